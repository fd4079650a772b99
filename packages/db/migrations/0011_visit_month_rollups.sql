CREATE TABLE `visit_month_rollups` (
	`centre_id` text NOT NULL,
	`month` text NOT NULL,
	`aggregate` text NOT NULL,
	`days` integer NOT NULL,
	`merged_at` text NOT NULL,
	PRIMARY KEY(`centre_id`, `month`),
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action
);
