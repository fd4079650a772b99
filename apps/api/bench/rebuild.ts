// The roll-up jobs on a year of one busy centre, through the Worker under `wrangler dev` (workerd + local
// D1): the full-year rebuild (12 × POST /api/jobs/rebuild, with scripts/rebuild.mjs) against raw
// better-sqlite3 GROUP BY queries over a copy of the same file, and the nightly incremental roll-up of one
// new day against the rebuild. Rebuild and raw run in alternating rounds so that the machine's noise hits
// both. Run: `npm run bench` (all benchmarks) or `cd apps/api && npx tsx bench/rebuild.ts`
// (`HALTE_BENCH_SCALE=0.05` for a quick look, `HALTE_BENCH_ROUNDS` rounds, 4 by default).
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { recordFigures } from "../../../tooling/bench/results-file.js";
import { alternateRounds, median, ratioSpread } from "../../../tooling/bench/rounds.js";
import {
  adminCookie,
  cliRebuild,
  configWithoutAssets,
  copyDatabase,
  d1File,
  lastRollupRun,
  loadYear,
  NEW_DAY,
  startLoadedWorker,
  TIME_ZONE,
} from "./d1-load.js";
import { BENCH_CENTRE_ID as centreId, d1 } from "./harness.js";

const PORT = 8811;
const scale = Number(process.env.HALTE_BENCH_SCALE ?? "1");
if (!(scale > 0)) throw new Error(`HALTE_BENCH_SCALE must be a positive number, got ${scale}`);
const ROUNDS = Number(process.env.HALTE_BENCH_ROUNDS ?? "4");
const FROM = "2025-01-01";
const SECRET = randomBytes(32).toString("base64");
const TO = "2025-12-31";

/** Minutes east of UTC of each local day at noon (Paris changes clocks at night, never in opening hours). */
function noonOffsets(from: string, to: string, timeZone: string): [string, number][] {
  const formatter = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    hour: "numeric",
    minute: "numeric",
  });
  const offsets: [string, number][] = [];
  for (let ms = Date.parse(from); ms <= Date.parse(to); ms += 86_400_000) {
    const parts = Object.fromEntries(
      formatter.formatToParts(ms + 12 * 3_600_000).map((p) => [p.type, p.value]),
    );
    offsets.push([
      new Date(ms).toISOString().slice(0, 10),
      (Number(parts.hour) - 12) * 60 + Number(parts.minute),
    ]);
  }
  return offsets;
}

interface RawDay {
  visits: number;
  firstVisits: number;
  visitsWithCode: number;
  uniqueVisitors: number;
  byAgeBandGender: Record<string, Record<string, number>>;
  byLanguage: Record<string, number>;
  byHour: number[];
  services: Record<
    string,
    { uses: number; quantity: number; bySource: Record<string, { uses: number; quantity: number }> }
  >;
  visitorCodes: string[];
}

/**
 * The reference: the same per-day figures as a day partial (visits, first visits, with a code, distinct
 * codes and their 16-character prefixes, age band × gender, language, local hour, per service uses and
 * quantity by source), by GROUP BY queries over the year, then one row per day written, in one transaction.
 */
function rawRebuild(file: string): { ms: number; days: Map<string, RawDay> } {
  const db = new Database(file);
  const started = performance.now();
  const days = new Map<string, RawDay>();
  const dayOf = (key: string) => {
    let day = days.get(key);
    if (!day) {
      day = {
        visits: 0,
        firstVisits: 0,
        visitsWithCode: 0,
        uniqueVisitors: 0,
        byAgeBandGender: {},
        byLanguage: {},
        byHour: new Array(24).fill(0),
        services: {},
        visitorCodes: [],
      };
      days.set(key, day);
    }
    return day;
  };
  db.transaction(() => {
    db.exec(
      "CREATE TABLE IF NOT EXISTS bench_day_offsets (local_day TEXT PRIMARY KEY, offset_minutes INTEGER NOT NULL); DELETE FROM bench_day_offsets;",
    );
    db.exec(
      "CREATE TABLE IF NOT EXISTS bench_day_figures (centre_id TEXT NOT NULL, local_day TEXT NOT NULL, figures TEXT NOT NULL, PRIMARY KEY (centre_id, local_day))",
    );
    const insertOffset = db.prepare("INSERT INTO bench_day_offsets VALUES (?, ?)");
    for (const [day, offset] of noonOffsets(FROM, TO, TIME_ZONE)) insertOffset.run(day, offset);
    const range = [centreId, FROM, TO];
    const where = "centre_id = ? AND local_day BETWEEN ? AND ?";
    for (const row of db
      .prepare(
        `SELECT local_day d, count(*) n, sum(first_visit = 1) f, count(visitor_code_hash) c, count(DISTINCT substr(visitor_code_hash, 1, 16)) u FROM visits WHERE ${where} GROUP BY local_day`,
      )
      .all(...range) as { d: string; n: number; f: number; c: number; u: number }[]) {
      Object.assign(dayOf(row.d), {
        visits: row.n,
        firstVisits: row.f,
        visitsWithCode: row.c,
        uniqueVisitors: row.u,
      });
    }
    for (const row of db
      .prepare(
        `SELECT local_day d, coalesce(age_band, 'unknown') a, coalesce(gender, 'unknown') g, count(*) n FROM visits WHERE ${where} GROUP BY 1, 2, 3`,
      )
      .all(...range) as { d: string; a: string; g: string; n: number }[]) {
      const byAge = dayOf(row.d).byAgeBandGender;
      byAge[row.a] = { ...byAge[row.a], [row.g]: row.n };
    }
    for (const row of db
      .prepare(
        `SELECT v.local_day d, l.value l, count(*) n FROM visits v, json_each(v.languages) l WHERE v.centre_id = ? AND v.local_day BETWEEN ? AND ? GROUP BY 1, 2`,
      )
      .all(...range) as { d: string; l: string; n: number }[]) {
      dayOf(row.d).byLanguage[row.l] = row.n;
    }
    for (const row of db
      .prepare(
        `SELECT v.local_day d, ((CAST(substr(v.arrived_at, 12, 2) AS INTEGER) * 60 + CAST(substr(v.arrived_at, 15, 2) AS INTEGER) + o.offset_minutes + 1440) % 1440) / 60 h, count(*) n FROM visits v JOIN bench_day_offsets o ON o.local_day = v.local_day WHERE v.centre_id = ? AND v.local_day BETWEEN ? AND ? GROUP BY 1, 2`,
      )
      .all(...range) as { d: string; h: number; n: number }[]) {
      dayOf(row.d).byHour[row.h] = row.n;
    }
    for (const row of db
      .prepare(
        `SELECT local_day d, service_id s, source o, count(*) n, sum(quantity) q FROM service_uses WHERE ${where} GROUP BY 1, 2, 3`,
      )
      .all(...range) as { d: string; s: string; o: string; n: number; q: number }[]) {
      const services = dayOf(row.d).services;
      const tally = services[row.s] ?? { uses: 0, quantity: 0, bySource: {} };
      tally.uses += row.n;
      tally.quantity += row.q;
      tally.bySource[row.o] = { uses: row.n, quantity: row.q };
      services[row.s] = tally;
    }
    for (const row of db
      .prepare(
        `SELECT DISTINCT local_day d, substr(visitor_code_hash, 1, 16) c FROM visits WHERE ${where} AND visitor_code_hash IS NOT NULL ORDER BY 1, 2`,
      )
      .all(...range) as { d: string; c: string }[]) {
      dayOf(row.d).visitorCodes.push(row.c);
    }
    const write = db.prepare("INSERT OR REPLACE INTO bench_day_figures VALUES (?, ?, ?)");
    for (const [day, figures] of days) write.run(centreId, day, JSON.stringify(figures));
  })();
  const ms = performance.now() - started;
  db.close();
  return { ms, days };
}

/** Checks the Worker's stored partials against the reference's figures, day by day. */
function compare(file: string, raw: Map<string, RawDay>) {
  const db = new Database(file, { readonly: true });
  const rows = db
    .prepare(
      "SELECT local_day d, aggregate a FROM visit_rollups WHERE centre_id = ? AND local_day BETWEEN ? AND ?",
    )
    .all(centreId, FROM, TO) as { d: string; a: string }[];
  db.close();
  if (rows.length !== raw.size)
    throw new Error(`the rebuild stored ${rows.length} days, the reference ${raw.size}`);
  for (const row of rows) {
    const stored = JSON.parse(row.a) as {
      visits: number;
      firstVisits: number;
      uniqueVisitors: number;
      byHour: number[];
      visitorCodes: string[];
      services: RawDay["services"];
    };
    const day = raw.get(row.d);
    const same =
      day &&
      stored.visits === day.visits &&
      stored.firstVisits === day.firstVisits &&
      stored.uniqueVisitors === day.uniqueVisitors &&
      stored.byHour.join() === day.byHour.join() &&
      stored.visitorCodes.join() === day.visitorCodes.join() &&
      Object.keys(stored.services).length === Object.keys(day.services).length &&
      Object.entries(stored.services).every(([id, tally]) => {
        const raw = day.services[id];
        return (
          raw !== undefined &&
          tally.uses === raw.uses &&
          tally.quantity === raw.quantity &&
          Object.entries(raw.bySource).every(
            ([source, counts]) =>
              tally.bySource[source]?.uses === counts.uses &&
              tally.bySource[source]?.quantity === counts.quantity,
          )
        );
      });
    if (!same) throw new Error(`${row.d}: the Worker's partial and the reference disagree`);
  }
}

const state = mkdtempSync(join(tmpdir(), "halte-bench-rebuild-"));
let dev: ChildProcess | undefined;
try {
  console.log(
    "Preparing the local D1: migrations, then a year of rows written with better-sqlite3 (not timed)…",
  );
  const config = configWithoutAssets(state);
  d1(state, config, "migrations", "apply");
  const file = d1File(state);
  const now = Date.now();
  const loaded = loadYear(file, {
    centreIds: [centreId],
    scale,
    // The year was rolled long ago; the new day was written after the watermark and before the settle time.
    watermark: new Date(now - 10 * 60_000).toISOString(),
    newDayAt: new Date(now - 5 * 60_000).toISOString(),
  });
  console.log(
    `  ${loaded.description}; new day ${NEW_DAY}: ${loaded.newDayVisits} visits, ${loaded.newDayUses} uses`,
  );
  const rawFile = join(state, "raw.sqlite");
  copyDatabase(file, rawFile);

  const worker = await startLoadedWorker({ port: PORT, config, state, secret: SECRET, testScheduled: true });
  dev = worker.dev;
  const url = worker.url;

  let raw = new Map<string, RawDay>();
  const times = await alternateRounds(
    {
      raw: () => {
        const reference = rawRebuild(rawFile);
        raw = reference.days;
        console.log(`  raw     ${reference.ms.toFixed(0).padStart(7)} ms  (${reference.days.size} days)`);
        return reference.ms;
      },
      rebuild: async () => {
        const rebuilt = await cliRebuild(url, centreId);
        console.log(
          `  rebuild ${rebuilt.ms.toFixed(0).padStart(7)} ms  (${rebuilt.daysRolled} days, ${rebuilt.rowsRead} rows read)`,
        );
        if (rebuilt.rowsRead !== loaded.visits + loaded.uses)
          throw new Error(
            `the rebuild read ${rebuilt.rowsRead} rows, ${loaded.visits + loaded.uses} were loaded`,
          );
        return rebuilt.ms;
      },
    },
    ROUNDS,
    (round, order) => console.log(`  round ${round} done (${order.join(" then ")})`),
  );

  // The nightly trigger, once: the watermark moves, so a second run would have nothing to do.
  const started = performance.now();
  const scheduled = await fetch(`${url}/cdn-cgi/handler/scheduled?cron=30+2+*+*+*`);
  const nightlyMs = performance.now() - started;
  if (!scheduled.ok)
    throw new Error(`/cdn-cgi/handler/scheduled answered ${scheduled.status}: ${await scheduled.text()}`);
  const run = await lastRollupRun(url, await adminCookie(url));
  if (run?.daysRolled !== 1 || run.rowsRead !== loaded.newDayVisits + loaded.newDayUses)
    throw new Error(`the nightly run did not roll exactly the new day: ${JSON.stringify(run)}`);
  console.log(
    `  nightly ${nightlyMs.toFixed(0)} ms (roll-up ${run.durationMs} ms, then the retention purge)`,
  );

  dev.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 1500));
  dev = undefined;
  compare(file, raw);

  const rebuild = median(times.rebuild);
  const reference = median(times.raw);
  const rounds = ratioSpread(times.rebuild, times.raw);
  const ratio = Number(rounds.median.toFixed(3));
  const nightlyRatio = Number((run.durationMs / rebuild).toFixed(4));
  const nightlyRunRatio = Number((nightlyMs / rebuild).toFixed(4));
  console.log(
    `\nrebuild ÷ raw SQLite: ${ratio} (spread ${rounds.min.toFixed(3)}–${rounds.max.toFixed(3)}, target <= 3) — ${rebuild.toFixed(0)} vs ${reference.toFixed(0)} ms`,
  );
  console.log(
    `nightly roll-up ÷ rebuild: ${nightlyRatio} (target <= 0.01) — ${run.durationMs} ms; the whole nightly run (with the purge) ${nightlyRunRatio}`,
  );
  const workload = `${loaded.description}; wrangler dev (workerd + local D1) on loopback; ${ROUNDS} rounds, order rotated, median of per-round ratios`;
  const nightlyWorkload = `one new day (${loaded.newDayVisits} visits, ${loaded.newDayUses} uses) written after the watermark, on top of ${loaded.description}`;
  recordFigures([
    {
      name: "api.rebuild-year/raw-sqlite",
      value: ratio,
      min: Number(rounds.min.toFixed(3)),
      max: Number(rounds.max.toFixed(3)),
      rounds: ROUNDS,
      target: "<=3",
      reference:
        "better-sqlite3 over a copy of the same file: 6 GROUP BY queries giving the same per-day figures + one INSERT per day, one transaction",
      workload,
    },
    {
      name: "api.nightly-day/rebuild-year",
      value: nightlyRatio,
      target: "<=0.01",
      reference: "the full-year rebuild of the same centre (12 × POST /api/jobs/rebuild, wall)",
      workload: `${nightlyWorkload}; the roll-up's duration as job_runs records it, from GET /cdn-cgi/handler/scheduled?cron=30+2+*+*+* (wrangler dev --test-scheduled), one run`,
    },
    {
      name: "api.nightly-run/rebuild-year",
      value: nightlyRunRatio,
      target: null,
      reference: "the full-year rebuild of the same centre (12 × POST /api/jobs/rebuild, wall)",
      workload: `${nightlyWorkload}; the whole nightly trigger (roll-up, then the retention purge), wall, one run`,
    },
    {
      name: "api.rebuild-year.ms",
      value: Math.round(rebuild),
      target: null,
      reference: "scripts/rebuild.mjs --from 2025-01 --to 2025-12 (sign-in + 12 calls), wall ms",
      workload,
    },
    {
      name: "api.rebuild-year.raw-sqlite.ms",
      value: Math.round(reference),
      target: null,
      reference: "the raw better-sqlite3 reference, ms",
      workload,
    },
    {
      name: "api.nightly-day.ms",
      value: Math.round(nightlyMs),
      target: null,
      reference: "the nightly scheduled run (roll-up + retention purge), wall ms",
      workload: nightlyWorkload,
    },
    {
      name: "api.nightly-day.rollup.ms",
      value: run.durationMs,
      target: null,
      reference: "the roll-up part of it, as job_runs records it",
      workload: nightlyWorkload,
    },
  ]);
} finally {
  dev?.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 500));
  rmSync(state, { recursive: true, force: true });
}
