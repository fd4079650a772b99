CREATE TABLE `ticket_prefixes` (
	`centre_id` text NOT NULL,
	`holder_id` text NOT NULL,
	`prefix` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_prefixes_holder_uq` ON `ticket_prefixes` (`centre_id`,`holder_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_prefixes_prefix_uq` ON `ticket_prefixes` (`centre_id`,`prefix`);--> statement-breakpoint
CREATE TABLE `tickets` (
	`id` text PRIMARY KEY NOT NULL,
	`centre_id` text NOT NULL,
	`service_id` text NOT NULL,
	`local_day` text NOT NULL,
	`prefix` text NOT NULL,
	`number` integer NOT NULL,
	`status` text NOT NULL,
	`taken_at` text NOT NULL,
	`taken_by` text NOT NULL,
	`called_at` text,
	`called_by` text,
	`service_use_id` text,
	`cancelled_at` text,
	`cancelled_by` text,
	`cancel_reason` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_service_day_number_uq` ON `tickets` (`service_id`,`local_day`,`prefix`,`number`);--> statement-breakpoint
CREATE INDEX `tickets_centre_day_idx` ON `tickets` (`centre_id`,`local_day`,`service_id`);--> statement-breakpoint
ALTER TABLE `services` ADD `ticket_queue` integer DEFAULT false NOT NULL;