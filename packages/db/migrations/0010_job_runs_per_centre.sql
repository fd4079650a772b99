ALTER TABLE `job_runs` ADD `centre_id` text;--> statement-breakpoint
ALTER TABLE `job_runs` ADD `status` text DEFAULT 'succeeded' NOT NULL;--> statement-breakpoint
ALTER TABLE `job_runs` ADD `error_kind` text;