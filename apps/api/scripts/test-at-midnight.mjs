#!/usr/bin/env node
// Runs the Worker tests (vitest's default config) with their clock moved to just after the last midnight in
// Paris, the test centres' zone (`HALTE_TEST_NOW`, test/pinned-clock.setup.ts): a test that puts records
// "minutes ago" and reads them as today's, or takes the UTC date for the centre's, fails here on every run
// rather than only when CI happens to run between 23:00 and 01:00 UTC. The clock then runs on in real time
// from 00:00:30, so the files run through the first minutes of the centre's day. Part of `npm test`.
// Extra arguments go to vitest (e.g. a test file).
import { spawnSync } from "node:child_process";
import { addDays, localDateOf, startOfLocalDay } from "@halte/core";

const TIME_ZONE = "Europe/Paris";
const now = new Date();
const today = localDateOf(now, TIME_ZONE);
const afterMidnight = (day) => new Date(startOfLocalDay(day, TIME_ZONE).getTime() + 30_000);
// Never ahead of the real clock: just after today's midnight in Paris, or in its first 30 s yesterday's.
const at = afterMidnight(today) <= now ? afterMidnight(today) : afterMidnight(addDays(today, -1));
console.log(`Worker tests at ${at.toISOString()} (00:00:30 in ${TIME_ZONE})`);
const run = spawnSync("npx", ["vitest", "run", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, HALTE_TEST_NOW: at.toISOString() },
});
process.exit(run.status ?? 1);
