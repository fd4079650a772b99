ALTER TABLE `service_uses` ADD `recorded_by` text;--> statement-breakpoint
ALTER TABLE `service_uses` ADD `voided_at` text;--> statement-breakpoint
ALTER TABLE `visits` ADD `voided_at` text;