CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`centre_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`name` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text,
	`expires_at` text,
	`last_used_at` text,
	`revoked_at` text,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_partner_idx` ON `api_tokens` (`partner_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`centre_id` text,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text,
	`diff` text,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_centre_idx` ON `audit_log` (`centre_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_log_entity_idx` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE TABLE `centres` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`address` text,
	`opening_hours` text NOT NULL,
	`time_zone` text NOT NULL,
	`daily_capacity` integer,
	`disclosure_threshold` integer NOT NULL,
	`retention_months` integer NOT NULL,
	`languages` text NOT NULL,
	`archived_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `centres_slug_unique` ON `centres` (`slug`);--> statement-breakpoint
CREATE TABLE `consents` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`centre_id` text NOT NULL,
	`referral_id` text NOT NULL,
	`given_at` text NOT NULL,
	`method` text NOT NULL,
	`scopes` text NOT NULL,
	`language` text,
	`withdrawn_at` text,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consents_referral_idx` ON `consents` (`referral_id`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`centre_id` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`description` text,
	`starts_on` text NOT NULL,
	`ends_on` text,
	`archived_at` text,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `events_centre_starts_on_idx` ON `events` (`centre_id`,`starts_on`);--> statement-breakpoint
CREATE TABLE `lessons` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`centre_id` text NOT NULL,
	`type` text NOT NULL,
	`theme` text NOT NULL,
	`title` text NOT NULL,
	`statement` text NOT NULL,
	`evidence` text NOT NULL,
	`contributors` text NOT NULL,
	`chs_commitments` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`status` text NOT NULL,
	`archived_at` text,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lessons_centre_status_idx` ON `lessons` (`centre_id`,`status`,`id`);--> statement-breakpoint
CREATE TABLE `partners` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`centre_id` text NOT NULL,
	`name` text NOT NULL,
	`roles` text NOT NULL,
	`description` text,
	`website` text,
	`email` text,
	`phone` text,
	`archived_at` text,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `partners_centre_id_idx` ON `partners` (`centre_id`,`id`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` text NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `referral_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`referral_id` text NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`actor` text NOT NULL,
	`actor_id` text,
	`reason` text,
	`note` text,
	`at` text NOT NULL,
	FOREIGN KEY (`referral_id`) REFERENCES `referrals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `referral_history_referral_idx` ON `referral_history` (`referral_id`,`id`);--> statement-breakpoint
CREATE TABLE `referrals` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`centre_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`service_id` text,
	`need` text NOT NULL,
	`note` text,
	`status` text NOT NULL,
	`status_reason` text,
	`status_note` text,
	`partner_reference` text,
	`contact` text,
	`consent_id` text,
	`age_band` text,
	`gender` text,
	`languages` text NOT NULL,
	`requested_at` text,
	`closed_at` text,
	`version` integer NOT NULL,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `referrals_centre_status_idx` ON `referrals` (`centre_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `referrals_partner_idx` ON `referrals` (`partner_id`,`id`);--> statement-breakpoint
CREATE INDEX `referrals_closed_at_idx` ON `referrals` (`closed_at`);--> statement-breakpoint
CREATE TABLE `service_uses` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`centre_id` text NOT NULL,
	`service_id` text NOT NULL,
	`visit_id` text,
	`used_at` text NOT NULL,
	`local_day` text NOT NULL,
	`quantity` integer NOT NULL,
	`source` text NOT NULL,
	`partner_id` text,
	`idempotency_key` text,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `service_uses_centre_idempotency_key_uq` ON `service_uses` (`centre_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `service_uses_centre_local_day_idx` ON `service_uses` (`centre_id`,`local_day`,`service_id`);--> statement-breakpoint
CREATE INDEX `service_uses_visit_id_idx` ON `service_uses` (`visit_id`);--> statement-breakpoint
CREATE TABLE `services` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`centre_id` text NOT NULL,
	`organization_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`category` text NOT NULL,
	`status` text NOT NULL,
	`languages` text NOT NULL,
	`location` text,
	`schedule` text NOT NULL,
	`translations` text NOT NULL,
	`archived_at` text,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `services_centre_id_idx` ON `services` (`centre_id`,`id`);--> statement-breakpoint
CREATE INDEX `services_organization_id_idx` ON `services` (`organization_id`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`csrf_token` text NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE INDEX `sessions_expires_at_idx` ON `sessions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`centre_id` text,
	`partner_id` text,
	`password_hash` text NOT NULL,
	`password_salt` text NOT NULL,
	`password_iterations` integer NOT NULL,
	`disabled_at` text,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `visits` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`centre_id` text NOT NULL,
	`arrived_at` text NOT NULL,
	`local_day` text NOT NULL,
	`visitor_code_hash` text,
	`age_band` text,
	`gender` text,
	`languages` text NOT NULL,
	`first_visit` integer,
	`idempotency_key` text,
	`recorded_by` text,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `visits_centre_idempotency_key_uq` ON `visits` (`centre_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `visits_centre_local_day_idx` ON `visits` (`centre_id`,`local_day`);--> statement-breakpoint
CREATE INDEX `visits_updated_at_idx` ON `visits` (`updated_at`);