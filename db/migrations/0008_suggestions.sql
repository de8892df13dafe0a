CREATE TABLE `suggestions` (
	`id` text PRIMARY KEY NOT NULL,
	`briefing_id` text NOT NULL,
	`kind` text NOT NULL,
	`anchor_start` blob NOT NULL,
	`anchor_end` blob NOT NULL,
	`original_text` text NOT NULL,
	`replacement` text NOT NULL,
	`author_id` text,
	`created_at` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`accepted_by` text,
	`accepted_at` integer,
	`rejected_by` text,
	`rejected_at` integer,
	`thread_id` text,
	FOREIGN KEY (`briefing_id`) REFERENCES `briefings`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`accepted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`rejected_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`thread_id`) REFERENCES `comment_threads`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `suggestions_briefing_idx` ON `suggestions` (`briefing_id`,`status`);
