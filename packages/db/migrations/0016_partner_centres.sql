CREATE TABLE `partner_centres` (
	`partner_id` text NOT NULL,
	`centre_id` text NOT NULL,
	`linked_at` text NOT NULL,
	PRIMARY KEY(`partner_id`, `centre_id`),
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `partner_centres_centre_idx` ON `partner_centres` (`centre_id`,`partner_id`);--> statement-breakpoint
-- hand-written
-- Every existing partner works with its home centre (the one that registered it).
INSERT OR IGNORE INTO `partner_centres` (`partner_id`, `centre_id`, `linked_at`) SELECT `id`, `centre_id`, `created_at` FROM `partners`;
