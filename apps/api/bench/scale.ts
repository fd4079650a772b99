// How the jobs and reports grow with the number of centres: one local D1 under `wrangler dev`, grown one
// centre-year at a time (1 … HALTE_BENCH_SCALE_CENTRES centres, 5 by default). At each size: the database's
// size and rows, the rebuild of the newest centre's year, the incremental roll-up of one new day of every
// centre, GET /api/reports/visits of one centre's year by month and of all centres merged. Rows are written
// with better-sqlite3 while the Worker is stopped (not timed). Absolute times, single runs, on a shared
// machine: read the trend, not the digits.
// Run: `HALTE_BENCH_SCALE_CENTRES=5 npm run bench`, or `cd apps/api && npx tsx bench/scale.ts`
// (`HALTE_BENCH_SCALE=0.05` for a quick look). Writes bench/scale.md and a few figures to results.json.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { recordFigures } from "../../../tooling/bench/results-file.js";
import {
  adminCookie,
  cliRebuild,
  configWithoutAssets,
  d1Bytes,
  d1File,
  lastRollupRun,
  loadYear,
  restampNewDay,
  startLoadedWorker,
} from "./d1-load.js";
import { d1 } from "./harness.js";

const PORT = 8812;
const MAX_CENTRES = Number(process.env.HALTE_BENCH_SCALE_CENTRES ?? "5");
if (!(Number.isInteger(MAX_CENTRES) && MAX_CENTRES >= 1 && MAX_CENTRES <= 9))
  throw new Error(`HALTE_BENCH_SCALE_CENTRES must be 1 … 9, got ${process.env.HALTE_BENCH_SCALE_CENTRES}`);
const scale = Number(process.env.HALTE_BENCH_SCALE ?? "1");
if (!(scale > 0)) throw new Error(`HALTE_BENCH_SCALE must be a positive number, got ${scale}`);
const SECRET = randomBytes(32).toString("base64");
const REPORT_RUNS = 3;
const TABLE_PATH = fileURLToPath(new URL("../../../bench/scale.md", import.meta.url));

interface Size {
  centres: number;
  dbMB: number;
  rows: number;
  rebuildMs: number;
  rollupMs: number;
  rollupRunMs: number;
  reportMs: number;
  reportAllMs: number | null;
}

/** Mean wall time of `REPORT_RUNS` reads of a report (after one unmeasured read); null if refused. */
async function timeReport(url: string, cookie: string, query: string): Promise<number | null> {
  const read = () => fetch(`${url}/api/reports/visits?${query}`, { headers: { cookie } });
  const first = await read();
  if (!first.ok) {
    console.log(`  GET /api/reports/visits?${query.slice(0, 60)}… answered ${first.status}; not measured`);
    return null;
  }
  await first.arrayBuffer();
  let total = 0;
  for (let i = 0; i < REPORT_RUNS; i++) {
    const started = performance.now();
    const response = await read();
    await response.arrayBuffer();
    total += performance.now() - started;
    if (!response.ok) throw new Error(`report answered ${response.status}`);
  }
  return total / REPORT_RUNS;
}

const state = mkdtempSync(join(tmpdir(), "halte-bench-scale-"));
const sizes: Size[] = [];
let dev: ChildProcess | undefined;
let description = "";
try {
  const config = configWithoutAssets(state);
  d1(state, config, "migrations", "apply");
  const file = d1File(state);
  for (let n = 1; n <= MAX_CENTRES; n++) {
    const centreId = `centre-${n}`;
    const now = Date.now();
    const watermark = new Date(now - 10 * 60_000).toISOString();
    const writtenAt = new Date(now - 5 * 60_000).toISOString();
    console.log(`${n} centre(s): loading ${centreId}'s year (not timed)…`);
    const loaded = loadYear(file, { centreIds: [centreId], scale, watermark, newDayAt: writtenAt });
    description = loaded.description.replace(/^1 centre/, "each centre");
    restampNewDay(file, writtenAt, watermark);
    const db = new Database(file, { readonly: true });
    const counted = db
      .prepare("SELECT (SELECT count(*) FROM visits) + (SELECT count(*) FROM service_uses) AS n")
      .get() as { n: number };
    db.close();

    const worker = await startLoadedWorker({
      port: PORT,
      config,
      state,
      secret: SECRET,
      testScheduled: true,
    });
    dev = worker.dev;
    const url = worker.url;
    const cookie = await adminCookie(url);

    const rebuilt = await cliRebuild(url, centreId);
    const started = performance.now();
    const scheduled = await fetch(`${url}/cdn-cgi/handler/scheduled?cron=*/15+*+*+*+*`);
    const rollupRunMs = performance.now() - started;
    if (!scheduled.ok) throw new Error(`the scheduled roll-up answered ${scheduled.status}`);
    const run = await lastRollupRun(url, cookie);
    if (!run || run.daysRolled !== n)
      throw new Error(`the roll-up did not roll ${n} day(s): ${JSON.stringify(run)}`);
    const year = "from=2025-01-01&to=2025-12-31&period=month&disclosure=none";
    const reportMs = await timeReport(url, cookie, `centreId=centre-1&${year}`);
    if (reportMs === null) throw new Error("GET /api/reports/visits of one centre failed");
    const all = Array.from({ length: n }, (_, i) => `centre-${i + 1}`).join(",");
    const reportAllMs = n > 1 ? await timeReport(url, cookie, `centreIds=${all}&${year}`) : reportMs;

    const size: Size = {
      centres: n,
      dbMB: Number((d1Bytes(file) / 1024 / 1024).toFixed(1)),
      rows: counted.n,
      rebuildMs: Math.round(rebuilt.ms),
      rollupMs: run.durationMs,
      rollupRunMs: Math.round(rollupRunMs),
      reportMs: Math.round(reportMs),
      reportAllMs: reportAllMs === null ? null : Math.round(reportAllMs),
    };
    sizes.push(size);
    console.log(`  ${JSON.stringify(size)}`);
    dev.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    dev = undefined;
  }

  const header =
    "| centres | D1 file | rows (visits + uses) | rebuild of one centre-year | roll-up of one new day of every centre (job / wall) | visits report, one centre, year by month | visits report, all centres merged |";
  const lines = sizes.map(
    (s) =>
      `| ${s.centres} | ${s.dbMB} MB | ${s.rows.toLocaleString("en")} | ${(s.rebuildMs / 1000).toFixed(1)} s | ${s.rollupMs} ms / ${s.rollupRunMs} ms | ${s.reportMs} ms | ${s.reportAllMs === null ? "not supported" : `${s.reportAllMs} ms`} |`,
  );
  const first = sizes[0] as Size;
  const last = sizes[sizes.length - 1] as Size;
  const growth = (pick: (s: Size) => number) => (pick(last) / pick(first)).toFixed(2);
  const summary =
    `From 1 to ${last.centres} centres (×${last.centres} rows): D1 file ×${growth((s) => s.dbMB)}, rebuild of one ` +
    `centre-year ×${growth((s) => s.rebuildMs)}, roll-up of one day of every centre ×${growth((s) => s.rollupMs)}, ` +
    `one centre's report ×${growth((s) => s.reportMs)}.`;
  const table = [
    "# Scale simulation (apps/api/bench/scale.ts)",
    "",
    `Workload: ${description}; ${new Date().toISOString().slice(0, 10)}, wrangler dev (workerd + local D1).`,
    "Single runs (reports: mean of 3) on a shared 2-core machine.",
    "",
    header,
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...lines,
    "",
    summary,
    "",
  ].join("\n");
  writeFileSync(TABLE_PATH, table);
  console.log(`\n${table}\nWritten to ${TABLE_PATH}`);
  const workload = `${last.centres} centres, ${description}; single runs, wrangler dev`;
  recordFigures([
    {
      name: "api.scale.rebuild-centre-year.ms",
      value: last.rebuildMs,
      target: null,
      reference: `rebuild of one centre-year with ${last.centres} centres in the database (${first.rebuildMs} ms with 1)`,
      workload,
    },
    {
      name: "api.scale.rollup-day-all-centres.ms",
      value: last.rollupMs,
      target: null,
      reference: `incremental roll-up of one new day of each of ${last.centres} centres (${first.rollupMs} ms for 1)`,
      workload,
    },
    {
      name: "api.scale.report-all-centres.ms",
      value: last.reportAllMs ?? -1,
      target: null,
      reference: `GET /api/reports/visits of ${last.centres} centres merged, year by month (-1: not supported)`,
      workload,
    },
  ]);
} finally {
  dev?.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 500));
  rmSync(state, { recursive: true, force: true });
}
