ALTER TABLE `door_devices` ADD `csrf_hash` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `csrf_hash` text;