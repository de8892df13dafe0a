CREATE TABLE `briefing_markings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`briefing_id` text NOT NULL,
	`version` integer NOT NULL,
	`from_level` text NOT NULL,
	`to_level` text NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`changed_by` text,
	`changed_by_name` text NOT NULL,
	`changed_at` integer NOT NULL,
	FOREIGN KEY (`briefing_id`) REFERENCES `briefings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`changed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `briefing_markings_briefing_idx` ON `briefing_markings` (`briefing_id`,`version`);--> statement-breakpoint
ALTER TABLE `teams` ADD `classification_levels` text DEFAULT '[{"name":"UNCLASSIFIED","abbr":"U"},{"name":"RESTRICTED","abbr":"R"},{"name":"CONFIDENTIAL","abbr":"C"},{"name":"SECRET","abbr":"S"}]' NOT NULL;--> statement-breakpoint
ALTER TABLE `briefings` ADD `portion_marks` text DEFAULT '[]' NOT NULL;