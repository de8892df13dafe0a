CREATE TABLE `document_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`briefing_id` text NOT NULL,
	`seq` integer NOT NULL,
	`kind` text NOT NULL,
	`name` text,
	`authors` text DEFAULT '[]' NOT NULL,
	`clients` text DEFAULT '{}' NOT NULL,
	`change_bytes` integer DEFAULT 0 NOT NULL,
	`is_full` integer NOT NULL,
	`compressed` integer DEFAULT false NOT NULL,
	`state` blob NOT NULL,
	`state_vector` blob,
	`checksum` integer,
	`final_version` integer,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`briefing_id`) REFERENCES `briefings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `document_versions_briefing_seq_idx` ON `document_versions` (`briefing_id`,`seq`);--> statement-breakpoint
CREATE TABLE `history_reads` (
	`briefing_id` text NOT NULL,
	`user_id` text NOT NULL,
	`seq` integer NOT NULL,
	`state_vector` blob NOT NULL,
	`read_at` integer NOT NULL,
	PRIMARY KEY(`briefing_id`, `user_id`),
	FOREIGN KEY (`briefing_id`) REFERENCES `briefings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `document_versions` (`id`, `briefing_id`, `seq`, `kind`, `name`, `authors`, `clients`, `change_bytes`, `is_full`, `compressed`, `state`, `state_vector`, `checksum`, `final_version`, `created_by`, `created_at`)
SELECT `id`, `briefing_id`, `version`, 'final', 'Version ' || `version`, CASE WHEN `created_by` IS NULL THEN '[]' ELSE json_array(`created_by`) END, '{}', length(`snapshot`), 1, 0, `snapshot`, NULL, NULL, `version`, `created_by`, `created_at`
FROM `briefing_versions`;
