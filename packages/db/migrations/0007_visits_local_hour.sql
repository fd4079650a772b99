ALTER TABLE `visits` ADD `local_hour` integer;
-- hand-written
-- No SQL backfill: the hour of an instant in a centre's zone needs the zone's rules, which SQLite does not
-- have. New rows get local_hour from the Worker (visitRows, like local_day). Rows written before this
-- migration keep NULL until the roll-up reads them: it computes their hour from arrived_at in the centre's
-- zone (@halte/core) and writes it back in the same batch as the day's partial. A rebuild over the whole
-- history (POST /api/jobs/rebuild or scripts/rebuild.mjs, docs/reports.md) fills every old row once.
