// What consistent cell-key perturbation costs the report routes: three years of one busy centre's day
// partials in a local D1 under `wrangler dev`, and GET /api/reports/visits (by month, three years),
// /api/reports/arrivals (one year) and /api/reports/services (by month, three years) read **protected** (a
// coordinator without `disclosure`: perturbed, on the grid) against **exact** (the same coordinator with
// `disclosure=none`), taking turns read by read so that the machine's noise hits both sides. The figure per
// route is the median of the per-round ratios protected ÷ exact, with their spread.
// Run: `npm run bench` (all benchmarks) or `cd apps/api && npx tsx bench/report-disclosure.ts`
// (`HALTE_BENCH_SCALE=0.05` for a quick look, `HALTE_BENCH_ROUNDS` rounds, 5 by default).
import type { ChildProcess } from "node:child_process";
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  aggregateVisitsByDay,
  type KeyedRecord,
  PASSWORD_HASH,
  type ServiceUse,
  serializeVisitAggregate,
  type Visit,
} from "@halte/core";
import Database from "better-sqlite3";
import {
  generateWorkload,
  mulberry32,
  CENTRE_ID as WORKLOAD_CENTRE,
  WORKLOAD_TIME_ZONE,
} from "../../../packages/core/bench/workload.js";
import { type Figure, recordFigures } from "../../../tooling/bench/results-file.js";
import { ADMIN_PASSWORD, configWithoutAssets, d1File, loadYear, startLoadedWorker } from "./d1-load.js";
import { BENCH_CENTRE_ID as centreId, d1 } from "./harness.js";

const PORT = 8816;
const scale = Number(process.env.HALTE_BENCH_SCALE ?? "1");
if (!(scale > 0)) throw new Error(`HALTE_BENCH_SCALE must be a positive number, got ${scale}`);
const ROUNDS = Number(process.env.HALTE_BENCH_ROUNDS ?? "5");
if (!(Number.isInteger(ROUNDS) && ROUNDS >= 1))
  throw new Error(`HALTE_BENCH_ROUNDS must be a whole number ≥ 1, got ${process.env.HALTE_BENCH_ROUNDS}`);
/** Reads per side in each round; the round's time for a side is their median. */
const READS = 5;
const YEARS = [2023, 2024, 2025] as const;
const SECRET = randomBytes(32).toString("base64");
const COORDINATOR = "coordinator@bench.test";
const OBSERVER = "observer@bench.test";
/** The perturbation every protected answer must stay within: the centre's defaults (k 5, noise 2). */
const MAX_NOISE = 2;

/** A coordinator and an observer of the bench centre, with the admin's password. */
function insertStaff(file: string) {
  const db = new Database(file);
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(
    ADMIN_PASSWORD,
    salt,
    PASSWORD_HASH.iterations,
    PASSWORD_HASH.keyBits / 8,
    "sha256",
  ).toString("base64");
  const at = new Date().toISOString();
  const insert = db.prepare(
    `INSERT INTO users (id, email, name, role, centre_id, partner_id, password_hash, password_salt, password_iterations, created_at, updated_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ${PASSWORD_HASH.iterations}, ?, ?)`,
  );
  insert.run(
    "bench-coordinator",
    COORDINATOR,
    "Coordinator",
    "coordinator",
    centreId,
    hash,
    salt.toString("base64"),
    at,
    at,
  );
  insert.run(
    "bench-observer",
    OBSERVER,
    "Observer",
    "observer",
    centreId,
    hash,
    salt.toString("base64"),
    at,
    at,
  );
  db.close();
}

/** Record keys as the database draws them: a whole number in [1, 2³²) per row. */
function* withRecordKeys<T>(records: readonly T[], random: () => number): Generator<KeyedRecord<T>> {
  for (const item of records) yield { ...item, recordKey: 1 + Math.floor(random() * (2 ** 32 - 1)) };
}

/**
 * Writes the day partials of three generated years (the core benchmark's generator, one seed per year,
 * record keys drawn per row) straight into `visit_rollups`, as the roll-up would have stored them; the
 * services are the ones `loadYear` created. Not timed. Returns the visits per year.
 */
function writePartials(file: string): { visitsPerYear: Map<number, number>; days: number } {
  const db = new Database(file);
  const insert = db.prepare("INSERT INTO visit_rollups (centre_id, local_day, aggregate) VALUES (?, ?, ?)");
  const keys = mulberry32(0x6b657973);
  const visitsPerYear = new Map<number, number>();
  let days = 0;
  for (const year of YEARS) {
    const workload = generateWorkload(scale, year * 10_000 + 101, year);
    const uses = workload.uses.map((use) => ({ ...use, serviceId: `${centreId}-${use.serviceId}` }));
    const partials =
      aggregateVisitsByDay(
        withRecordKeys<Visit>(workload.visits, keys),
        withRecordKeys<ServiceUse>(uses, keys),
        { timeZone: WORKLOAD_TIME_ZONE },
      )[WORKLOAD_CENTRE] ?? {};
    db.transaction(() => {
      for (const [day, partial] of Object.entries(partials)) {
        insert.run(centreId, day, serializeVisitAggregate(partial));
        days++;
      }
    })();
    visitsPerYear.set(year, workload.visits.length);
    console.log(`  ${workload.description}`);
  }
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  return { visitsPerYear, days };
}

async function signIn(url: string, email: string): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: ADMIN_PASSWORD }),
  });
  if (!login.ok) throw new Error(`sign-in of ${email} failed: ${login.status} ${await login.text()}`);
  return (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

/** One read of a report: wall time of the whole answer, body included; fails on anything but 200. */
async function read(url: string, cookie: string, path: string): Promise<{ ms: number; body: string }> {
  const started = performance.now();
  const response = await fetch(`${url}${path}`, { headers: { cookie } });
  const body = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200)
    throw new Error(`GET ${path} answered ${response.status}: ${body.slice(0, 400)}`);
  return { ms, body };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

interface Cell {
  value: number;
  suppressed: boolean;
}
interface Table {
  grandTotal: Cell;
}
interface VisitAnswer {
  protection: string;
  items: { period: string; visits: number | Table }[];
}

/** The checks that make the comparison meaningful: both sides answered the whole range, the protected one perturbed. */
const checks = {
  visits(exactBody: string, protectedBody: string, expected: number) {
    const exact = JSON.parse(exactBody) as VisitAnswer;
    const shown = JSON.parse(protectedBody) as VisitAnswer;
    if (exact.protection !== "none" || shown.protection !== "cell-key")
      throw new Error(`visits: protections ${exact.protection} / ${shown.protection}`);
    if (exact.items.length !== 36 || shown.items.length !== 36)
      throw new Error(`visits: ${exact.items.length} / ${shown.items.length} months, expected 36`);
    const total = exact.items.reduce((sum, item) => sum + (item.visits as number), 0);
    if (total !== expected)
      throw new Error(`visits: the exact answer counts ${total} visits, ${expected} were loaded`);
    shown.items.forEach((item, i) => {
      const truth = exact.items[i]?.visits as number;
      const published = (item.visits as Table).grandTotal.value;
      if (Math.abs(published - truth) > MAX_NOISE)
        throw new Error(`visits ${item.period}: published ${published}, true ${truth}`);
    });
  },
  arrivals(exactBody: string, protectedBody: string, expected: number) {
    const exact = JSON.parse(exactBody) as { protection: string; table: Table };
    const shown = JSON.parse(protectedBody) as { protection: string; table: Table };
    if (exact.protection !== "none" || shown.protection !== "cell-key")
      throw new Error(`arrivals: protections ${exact.protection} / ${shown.protection}`);
    if (exact.table.grandTotal.value !== expected)
      throw new Error(`arrivals: ${exact.table.grandTotal.value} arrivals, ${expected} were loaded`);
    if (Math.abs(shown.table.grandTotal.value - expected) > MAX_NOISE)
      throw new Error(`arrivals: published ${shown.table.grandTotal.value}, true ${expected}`);
  },
  services(exactBody: string, protectedBody: string) {
    const exact = JSON.parse(exactBody) as { protection: string; items: unknown[]; totals: unknown[] };
    const shown = JSON.parse(protectedBody) as { protection: string; items: unknown[]; totals: unknown[] };
    if (exact.protection !== "none" || shown.protection !== "cell-key")
      throw new Error(`services: protections ${exact.protection} / ${shown.protection}`);
    if (exact.items.length !== 36 * 8 || shown.items.length !== 36 * 8 || shown.totals.length !== 36)
      throw new Error(`services: ${exact.items.length} / ${shown.items.length} rows, expected ${36 * 8}`);
  },
};

interface RouteResult {
  name: string;
  label: string;
  ratios: number[];
  exactMs: number[];
  protectedMs: number[];
}

const state = mkdtempSync(join(tmpdir(), "halte-bench-report-disclosure-"));
let dev: ChildProcess | undefined;
try {
  console.log(
    "Preparing the local D1: migrations, the centre and its services, then three years of day partials (not timed)…",
  );
  const config = configWithoutAssets(state);
  d1(state, config, "migrations", "apply");
  const file = d1File(state);
  // Only the admin, the centre, its partner and services (`rows: false`): the scale of its unused year is moot.
  loadYear(file, { centreIds: [centreId], scale: 0.001, watermark: new Date().toISOString(), rows: false });
  insertStaff(file);
  const loaded = writePartials(file);
  const totalVisits = [...loaded.visitsPerYear.values()].reduce((a, b) => a + b, 0);

  const worker = await startLoadedWorker({ port: PORT, config, state, secret: SECRET });
  dev = worker.dev;
  const url = worker.url;
  const coordinator = await signIn(url, COORDINATOR);
  const observer = await signIn(url, OBSERVER);

  const threeYears = `centreId=${centreId}&from=2023-01-01&to=2025-12-31&period=month`;
  const routes = [
    {
      name: "visits",
      label: "GET /api/reports/visits?period=month, 2023-01-01..2025-12-31",
      path: `/api/reports/visits?${threeYears}`,
      check: (exact: string, shown: string) => checks.visits(exact, shown, totalVisits),
    },
    {
      name: "arrivals",
      label: "GET /api/reports/arrivals, 2025-01-01..2025-12-31",
      path: `/api/reports/arrivals?centreId=${centreId}&from=2025-01-01&to=2025-12-31`,
      check: (exact: string, shown: string) =>
        checks.arrivals(exact, shown, loaded.visitsPerYear.get(2025) as number),
    },
    {
      name: "services",
      label: "GET /api/reports/services?period=month, 2023-01-01..2025-12-31",
      path: `/api/reports/services?${threeYears}`,
      check: checks.services,
    },
  ];

  const results: RouteResult[] = [];
  for (const route of routes) {
    console.log(`${route.label}:`);
    // One unmeasured read of each side, checked; the observer must be shown exactly what the coordinator is.
    const exact = await read(url, coordinator, `${route.path}&disclosure=none`);
    const shown = await read(url, coordinator, route.path);
    route.check(exact.body, shown.body);
    const observed = await read(url, observer, route.path);
    if (observed.body !== shown.body)
      throw new Error(`${route.name}: the observer and the coordinator were shown different figures`);
    console.log(
      `  answers: exact ${(exact.body.length / 1024).toFixed(0)} kB, protected ${(shown.body.length / 1024).toFixed(0)} kB`,
    );

    const result: RouteResult = {
      name: route.name,
      label: route.label,
      ratios: [],
      exactMs: [],
      protectedMs: [],
    };
    for (let round = 1; round <= ROUNDS; round++) {
      // The sides take turns read by read, in an ABBA order (the round's parity picks who starts), so a burst
      // of load from the machine's other work falls on both.
      const reads = { exact: [] as number[], protected: [] as number[] };
      for (let i = 0; i < READS; i++) {
        const sides =
          (round + i) % 2 === 1 ? (["protected", "exact"] as const) : (["exact", "protected"] as const);
        for (const side of sides) {
          const path = side === "exact" ? `${route.path}&disclosure=none` : route.path;
          reads[side].push((await read(url, coordinator, path)).ms);
        }
      }
      const times = { exact: median(reads.exact), protected: median(reads.protected) };
      result.exactMs.push(times.exact);
      result.protectedMs.push(times.protected);
      result.ratios.push(times.protected / times.exact);
      console.log(
        `  round ${round}  exact ${times.exact.toFixed(0).padStart(6)} ms  protected ${times.protected.toFixed(0).padStart(6)} ms  ratio ${(times.protected / times.exact).toFixed(3)}`,
      );
    }
    results.push(result);
  }

  const workload =
    `${loaded.days} day partials of 1 centre (Europe/Paris), 2023-01-01..2025-12-31, ${totalVisits} visits ` +
    `(core bench generator, one seed per year, scale ${scale}, record keys per row), written straight into ` +
    `visit_rollups; wrangler dev (workerd + local D1) on loopback; ${ROUNDS} rounds of ${READS} reads a side, the sides alternating read by read (ABBA), median per side and round`;
  const figures: Figure[] = [];
  const three = (x: number) => Number(x.toFixed(3));
  console.log("");
  for (const result of results) {
    const ratio = median(result.ratios);
    const min = Math.min(...result.ratios);
    const max = Math.max(...result.ratios);
    console.log(
      `${result.name}: protected ÷ exact ${ratio.toFixed(3)} (rounds ${min.toFixed(3)}–${max.toFixed(3)}; target <= 1.5) — medians ${median(result.protectedMs).toFixed(0)} vs ${median(result.exactMs).toFixed(0)} ms`,
    );
    const base = `api.report-${result.name}`;
    const reference = `the same request with disclosure=none (exact figures), same coordinator, same Worker`;
    figures.push(
      {
        name: `${base}-protected/exact`,
        value: three(ratio),
        min: three(min),
        max: three(max),
        rounds: ROUNDS,
        target: "<=1.5",
        reference: `${reference}; median of the per-round ratios (rounds ${three(min)}–${three(max)})`,
        workload: `${result.label}; ${workload}`,
      },
      {
        name: `${base}.protected.ms`,
        value: Math.round(median(result.protectedMs)),
        target: null,
        reference: `${result.label}, perturbed (coordinator, no disclosure): median of the rounds, wall ms`,
        workload,
      },
      {
        name: `${base}.exact.ms`,
        value: Math.round(median(result.exactMs)),
        target: null,
        reference: `${result.label}, disclosure=none: median of the rounds, wall ms`,
        workload,
      },
    );
  }
  recordFigures(figures);
} finally {
  dev?.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 1000));
  rmSync(state, { recursive: true, force: true });
}
