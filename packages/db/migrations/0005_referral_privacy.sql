ALTER TABLE `referral_history` ADD `event` text DEFAULT 'status_changed' NOT NULL;--> statement-breakpoint
ALTER TABLE `referrals` ADD `erased_at` text;