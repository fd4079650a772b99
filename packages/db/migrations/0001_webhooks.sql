CREATE TABLE `inbound_webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`centre_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`webhook_id` text NOT NULL,
	`event_type` text NOT NULL,
	`referral_id` text,
	`to_status` text,
	`reason` text,
	`note` text,
	`partner_reference` text,
	`occurred_at` text NOT NULL,
	`outcome` text NOT NULL,
	`response_status` integer NOT NULL,
	`response_body` text NOT NULL,
	`received_at` text NOT NULL,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbound_webhooks_partner_webhook_uq` ON `inbound_webhooks` (`partner_id`,`webhook_id`);--> statement-breakpoint
CREATE INDEX `inbound_webhooks_referral_outcome_idx` ON `inbound_webhooks` (`referral_id`,`outcome`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `referral_acknowledgements` (
	`referral_id` text PRIMARY KEY NOT NULL,
	`centre_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`acknowledged_at` text NOT NULL,
	`acknowledged_by` text,
	FOREIGN KEY (`referral_id`) REFERENCES `referrals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `referral_acknowledgements_partner_idx` ON `referral_acknowledgements` (`partner_id`,`referral_id`);--> statement-breakpoint
CREATE TABLE `service_capacity_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`centre_id` text NOT NULL,
	`service_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`day` text NOT NULL,
	`available` integer NOT NULL,
	`note` text,
	`occurred_at` text NOT NULL,
	`received_at` text NOT NULL,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `service_capacity_reports_service_day_uq` ON `service_capacity_reports` (`service_id`,`day`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`centre_id` text NOT NULL,
	`endpoint_id` text NOT NULL,
	`event_type` text NOT NULL,
	`referral_id` text,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`created_at` text NOT NULL,
	`last_attempt_at` text,
	`delivered_at` text,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`endpoint_id`) REFERENCES `webhook_endpoints`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_endpoint_idx` ON `webhook_deliveries` (`endpoint_id`,`id`);--> statement-breakpoint
CREATE TABLE `webhook_delivery_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`centre_id` text NOT NULL,
	`delivery_id` text NOT NULL,
	`endpoint_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`at` text NOT NULL,
	`response_status` integer,
	`latency_ms` integer NOT NULL,
	`error` text,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`delivery_id`) REFERENCES `webhook_deliveries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `webhook_delivery_attempts_delivery_idx` ON `webhook_delivery_attempts` (`delivery_id`,`id`);--> statement-breakpoint
CREATE TABLE `webhook_endpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`centre_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`url` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`created_by` text,
	`disabled_at` text,
	`disabled_reason` text,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `webhook_endpoints_partner_idx` ON `webhook_endpoints` (`partner_id`,`id`);--> statement-breakpoint
CREATE TABLE `webhook_secrets` (
	`id` text PRIMARY KEY NOT NULL,
	`centre_id` text NOT NULL,
	`partner_id` text NOT NULL,
	`ciphertext` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text,
	`expires_at` text,
	`revoked_at` text,
	FOREIGN KEY (`centre_id`) REFERENCES `centres`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_id`) REFERENCES `partners`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `webhook_secrets_partner_idx` ON `webhook_secrets` (`partner_id`,`id`);