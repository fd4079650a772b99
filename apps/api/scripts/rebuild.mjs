#!/usr/bin/env node
// Re-rolls a centre's day partials month by month through a running Worker (POST /api/jobs/rebuild), with a
// progress bar on stderr. Plain Node (18+), no dependencies.
//
//   HALTE_EMAIL=admin@… HALTE_PASSWORD=… node scripts/rebuild.mjs --url http://localhost:8787 \
//     --centre <id> --from 2025-01 --to 2025-12
//   HALTE_TOKEN=halte_pt_… node scripts/rebuild.mjs …          (an API token instead of signing in)
//
// Prints one JSON line with the totals on stdout; exits 1 with the problem details on stderr if a call
// fails (the months before it are rebuilt; run it again from the failed month), 2 on bad arguments.
import {
  authenticate,
  describeFailure,
  progress as drawProgress,
  endProgress,
  fail,
  parseCli,
} from "./cli.mjs";

const usage =
  "usage: node scripts/rebuild.mjs --url <worker url> --centre <id> --from YYYY-MM --to YYYY-MM\n" +
  "  sign in with HALTE_EMAIL and HALTE_PASSWORD (an admin), or set HALTE_TOKEN to an API token";

const { options, base } = parseCli(usage, {
  centre: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
});
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
if (!options.centre) fail(`--centre is required\n${usage}`, 2);
for (const name of ["from", "to"]) {
  if (!MONTH.test(options[name] ?? "")) fail(`--${name} must be a month, YYYY-MM\n${usage}`, 2);
}
if (options.from > options.to) fail(`--from ${options.from} is after --to ${options.to}`, 2);

/** Every month from `from` to `to`, inclusive, as YYYY-MM. */
function monthsBetween(from, to) {
  const months = [];
  let [year, month] = from.split("-").map(Number);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, "0")}`;
    months.push(key);
    if (key === to) return months;
    month += 1;
    if (month === 13) {
      year += 1;
      month = 1;
    }
  }
}

async function call(path, init) {
  try {
    return await fetch(new URL(path, base), init);
  } catch (error) {
    fail(`${init.method} ${new URL(path, base)} failed: ${error.cause?.message ?? error.message}`);
  }
}

/** One progress line: month n/N, days so far, elapsed time. */
function progress(done, total, month, days, startedMs) {
  const elapsed = ((Date.now() - startedMs) / 1000).toFixed(1);
  drawProgress(done, total, `month ${done}/${total} ${month} · ${days} days · ${elapsed} s`);
}

const months = monthsBetween(options.from, options.to);
const headers = { "content-type": "application/json", ...(await authenticate(call, usage)) };
const totals = { months: 0, daysRolled: 0, daysFrozen: 0, rowsRead: 0 };
const started = Date.now();
progress(0, months.length, options.from, 0, started);
for (const [index, month] of months.entries()) {
  const response = await call("/api/jobs/rebuild", {
    method: "POST",
    headers,
    body: JSON.stringify({ centreId: options.centre, month }),
  });
  if (!response.ok) {
    endProgress();
    fail(`Rebuild of ${month} failed (${response.status}):\n${(await describeFailure(response)).text}`);
  }
  const rolled = await response.json();
  totals.months += 1;
  totals.daysRolled += rolled.daysRolled;
  totals.daysFrozen += rolled.daysFrozen;
  totals.rowsRead += rolled.rowsRead;
  progress(index + 1, months.length, month, totals.daysRolled + totals.daysFrozen, started);
}
endProgress();
process.stdout.write(
  `${JSON.stringify({ centreId: options.centre, from: options.from, to: options.to, ...totals, elapsedMs: Date.now() - started })}\n`,
);
