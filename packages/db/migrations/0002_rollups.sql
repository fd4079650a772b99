CREATE TABLE `job_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`job` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text NOT NULL,
	`watermark_from` text NOT NULL,
	`watermark_to` text NOT NULL,
	`rows_read` integer NOT NULL,
	`days_rolled` integer NOT NULL,
	`duration_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `job_runs_job_started_idx` ON `job_runs` (`job`,`started_at`);--> statement-breakpoint
CREATE TABLE `job_watermarks` (
	`job` text PRIMARY KEY NOT NULL,
	`watermark` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `visit_rollups` (
	`centre_id` text NOT NULL,
	`local_day` text NOT NULL,
	`aggregate` text NOT NULL,
	PRIMARY KEY(`centre_id`, `local_day`),
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action
);
