ALTER TABLE `centres` ADD `perturbation_max_noise` integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE `referrals` ADD `record_key` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `service_uses` ADD `record_key` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `visits` ADD `record_key` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Record keys for consistent perturbation (packages/core/src/cell-key.ts): every existing row draws one in
-- [1, 2^32). Day partials rolled before this migration carry no cell keys: rebuild them (docs/disclosure.md).
UPDATE `visits` SET `record_key` = 1 + abs(random() % 4294967295);--> statement-breakpoint
UPDATE `service_uses` SET `record_key` = 1 + abs(random() % 4294967295);--> statement-breakpoint
UPDATE `referrals` SET `record_key` = 1 + abs(random() % 4294967295);--> statement-breakpoint
-- The application draws a key for every row it inserts; a row inserted by raw SQL without one (a bulk
-- import, a benchmark) gets one here, so no row is ever left with key 0.
CREATE TRIGGER `visits_record_key` AFTER INSERT ON `visits` WHEN NEW.`record_key` = 0 BEGIN UPDATE `visits` SET `record_key` = 1 + abs(random() % 4294967295) WHERE `id` = NEW.`id`; END;--> statement-breakpoint
CREATE TRIGGER `service_uses_record_key` AFTER INSERT ON `service_uses` WHEN NEW.`record_key` = 0 BEGIN UPDATE `service_uses` SET `record_key` = 1 + abs(random() % 4294967295) WHERE `id` = NEW.`id`; END;--> statement-breakpoint
CREATE TRIGGER `referrals_record_key` AFTER INSERT ON `referrals` WHEN NEW.`record_key` = 0 BEGIN UPDATE `referrals` SET `record_key` = 1 + abs(random() % 4294967295) WHERE `id` = NEW.`id`; END;
