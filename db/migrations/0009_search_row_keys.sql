-- Search rows keyed by briefing: `briefing_search.briefing_id` is UNINDEXED, so finding a briefing's
-- row by it scans the whole index, and every projection did that. Each briefing now owns one integer
-- key, which is the rowid of its FTS row; finding, replacing and deleting a row are rowid look-ups.
-- Hand-written like 0001 (drizzle-kit does not model FTS5); maintained by server/persistence/search-rows.ts.
CREATE TABLE `briefing_search_keys` (
	`search_rowid` integer PRIMARY KEY NOT NULL,
	`briefing_id` text NOT NULL UNIQUE
);
--> statement-breakpoint
-- Existing rows keep their rowid; a briefing with more than one row (a lost race) keeps its first.
INSERT INTO `briefing_search_keys` (`search_rowid`, `briefing_id`)
	SELECT min(rowid), briefing_id FROM `briefing_search`
	WHERE briefing_id IN (SELECT id FROM `briefings`)
	GROUP BY briefing_id;
--> statement-breakpoint
-- Rows of deleted briefings and duplicates have no key: they could never be replaced, so they go.
DELETE FROM `briefing_search` WHERE rowid NOT IN (SELECT search_rowid FROM `briefing_search_keys`);
--> statement-breakpoint
-- Deleting a briefing removes its search row in the same statement (FTS tables have no foreign keys).
CREATE TRIGGER `briefing_search_keys_briefing_deleted` AFTER DELETE ON `briefings` BEGIN
	DELETE FROM `briefing_search` WHERE rowid = (SELECT search_rowid FROM `briefing_search_keys` WHERE briefing_id = old.id);
	DELETE FROM `briefing_search_keys` WHERE briefing_id = old.id;
END;
