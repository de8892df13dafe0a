-- Full-text search over briefing titles and body text (maintained by server/persistence/projection.ts
-- and the briefing queries). unicode61 with diacritics removed so "Cavusoglu" finds "Çavuşoğlu".
CREATE VIRTUAL TABLE `briefing_search` USING fts5(
  `briefing_id` UNINDEXED,
  `title`,
  `body`,
  tokenize = 'unicode61 remove_diacritics 2'
);
