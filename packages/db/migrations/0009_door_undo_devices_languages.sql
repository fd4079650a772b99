CREATE TABLE `door_devices` (
	`id` text PRIMARY KEY NOT NULL,
	`centre_id` text NOT NULL,
	`name` text NOT NULL,
	`secret_hash` text NOT NULL,
	`csrf_token` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`last_used_at` text,
	`revoked_at` text,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `door_devices_secret_hash_uq` ON `door_devices` (`secret_hash`);--> statement-breakpoint
CREATE INDEX `door_devices_centre_idx` ON `door_devices` (`centre_id`);--> statement-breakpoint
ALTER TABLE `centres` ADD `door_languages` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `service_uses` ADD `recorded_by` text;--> statement-breakpoint
ALTER TABLE `service_uses` ADD `voided_at` text;--> statement-breakpoint
ALTER TABLE `visits` ADD `voided_at` text;