-- hand-written (drizzle-kit generate --custom): no schema change.
-- Day-level figures are now stored in a compact form (core's `serializeDayFigures`: arrays of numbers, about
-- two thirds of the bytes, read without the schema's per-field parse). Rows in the earlier object form are
-- still read, just slower: forgetting the month merge's watermarks makes the next nightly merge of each
-- centre merge every month with rows again and store its months, quarters and years in the new form.
DELETE FROM `job_watermarks` WHERE `job` LIKE 'month-partials:%';
