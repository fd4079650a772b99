ALTER TABLE `visit_month_rollups` ADD `day_figures` text;--> statement-breakpoint
ALTER TABLE `visit_period_figures` ADD `day_figures` text;--> statement-breakpoint
-- hand-written
-- Months and periods merged before this migration have no day-level figures: forgetting the month merge's
-- watermarks makes the next nightly merge of each centre merge every month with rows again and store them
-- (the arrivals and services reports across centres read the centre's days until then).
DELETE FROM `job_watermarks` WHERE `job` LIKE 'month-partials:%';
