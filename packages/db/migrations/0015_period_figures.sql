CREATE TABLE `visit_period_figures` (
	`centre_id` text NOT NULL,
	`grain` text NOT NULL,
	`start` text NOT NULL,
	`aggregate` text NOT NULL,
	`service_people` text NOT NULL,
	`days` integer NOT NULL,
	`merged_at` text NOT NULL,
	PRIMARY KEY(`centre_id`, `grain`, `start`),
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- hand-written
-- The month merge's watermark now sits in each centre's database, beside its month partials; forgetting it
-- here makes the next nightly merge merge every month again and write the new period figures.
DELETE FROM `job_watermarks` WHERE `job` LIKE 'month-partials:%';
