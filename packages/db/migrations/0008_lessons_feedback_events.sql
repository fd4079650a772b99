CREATE TABLE `feedback` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`centre_id` text NOT NULL,
	`text` text NOT NULL,
	`theme` text,
	`service_id` text,
	`language` text NOT NULL,
	`status` text NOT NULL,
	`moderated_at` text,
	`moderated_by` text,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `feedback_centre_status_idx` ON `feedback` (`centre_id`,`status`,`id`);--> statement-breakpoint
ALTER TABLE `events` ADD `people_concerned` integer;--> statement-breakpoint
ALTER TABLE `events` ADD `vulnerable_concerned` integer;--> statement-breakpoint
ALTER TABLE `lessons` ADD `created_by` text;