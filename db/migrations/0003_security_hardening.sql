CREATE TABLE `invitation_uses` (
	`invitation_id` text NOT NULL,
	`user_id` text NOT NULL,
	`previous_role` text,
	`role` text NOT NULL,
	`used_at` integer NOT NULL,
	PRIMARY KEY(`invitation_id`, `user_id`),
	FOREIGN KEY (`invitation_id`) REFERENCES `invitations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `invitations` ADD `revoked_by` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `invitations` ADD `max_uses` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `invitations` ADD `use_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `briefings` ADD `has_content` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `document_snapshots` ADD `checksum` integer;--> statement-breakpoint
ALTER TABLE `document_updates` ADD `checksum` integer;--> statement-breakpoint
UPDATE `briefings` SET `has_content` = 1 WHERE `id` IN (SELECT `briefing_id` FROM `document_snapshots`) OR `id` IN (SELECT `briefing_id` FROM `document_updates`);
