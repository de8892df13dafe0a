-- One final version per number and briefing, enforced by the database: finalizing takes the next
-- number under the status write's lock (docs/decisions/0509), and this index refuses a second row
-- should a writer ever skip it. It replaces the plain index on the same columns. A database that
-- already holds two rows with one number (only a bug writes them) fails here, loudly, in the
-- migration's transaction: nothing is dropped or renumbered, the plain index stays, and the start
-- stops with the database's unique-constraint error (test/db/final-version-index.test.ts).
DROP INDEX "briefing_versions_briefing_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "briefing_versions_briefing_version_idx" ON "briefing_versions" USING btree ("briefing_id","version");