-- What a reader's mark keeps besides its state vector: the delete set of that moment (an update with
-- no structs), so "deleted since you last read" counts exactly what was deleted after the mark
-- (server/history/since-read.ts). Null for marks taken before; those count from the version read.
ALTER TABLE `history_reads` ADD `delete_set` blob;