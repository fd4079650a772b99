CREATE TABLE `credential_fences` (
	`actor_id` text PRIMARY KEY NOT NULL,
	`until` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `credential_grants` (
	`credential_hash` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`actor_id` text NOT NULL,
	`centre_id` text NOT NULL,
	`proof_hash` text NOT NULL,
	`expires_at` text,
	`checked_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `credential_grants_actor_idx` ON `credential_grants` (`actor_id`);