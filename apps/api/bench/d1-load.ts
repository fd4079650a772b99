// Loads a generated year of visits and service uses straight into the SQLite file of a local D1 (made by
// `wrangler d1 migrations apply --local`), with the columns the API writes (`local_day` and `local_hour` from
// the centre's time zone, languages as JSON, first visit as 0/1). Not timed: it stands in for a year of door taps.
import { type ChildProcess, spawn } from "node:child_process";
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PASSWORD_HASH } from "@halte/core";
import Database from "better-sqlite3";
import { generateWorkload, SERVICES, type Workload } from "../../../packages/core/bench/workload.js";
import { apiDir, startDev, waitFor } from "./harness.js";
import { localDayCache, localHourCache } from "./local-time-cache.js";

export const TIME_ZONE = "Europe/Paris";
export const ADMIN_EMAIL = "admin@bench.test";
export const ADMIN_PASSWORD = "bench admin password";
export const PARTNER_ID = "aurore";
/** The local day of the "new day" the nightly roll-up picks up (a Thursday, like the day it is copied from). */
export const NEW_DAY = "2026-01-01";
/** 2025-01-02 (a Thursday, winter time) + 364 days = 2026-01-01 (a Thursday, winter time). */
const NEW_DAY_SOURCE = "2025-01-02";
const NEW_DAY_SHIFT_MS = 364 * 86_400_000;

/** The local D1's SQLite file under a `--persist-to` directory (there is one database per Worker config). */
export function d1File(state: string): string {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".sqlite") && !name.startsWith("metadata")) found.push(path);
    }
  };
  walk(join(state, "v3", "d1"));
  if (found.length !== 1)
    throw new Error(`expected one D1 SQLite file under ${state}, found ${found.length}`);
  return found[0] as string;
}

/** Every file of the database (the main file and any WAL), in bytes. */
export function d1Bytes(file: string): number {
  let bytes = 0;
  for (const suffix of ["", "-wal", "-shm"]) {
    try {
      bytes += statSync(`${file}${suffix}`).size;
    } catch {
      // no such file
    }
  }
  return bytes;
}

/** Copies the database (checkpointed: the main file holds everything) for the raw reference. */
export function copyDatabase(file: string, to: string) {
  const db = new Database(file);
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  copyFileSync(file, to);
}

export interface Loaded {
  visits: number;
  uses: number;
  newDayVisits: number;
  newDayUses: number;
  description: string;
}

/** The prepared inserts and the local day/hour caches the loaders share. */
interface RowWriter {
  insertVisit: Database.Statement;
  insertUse: Database.Statement;
  localDay: (instant: string) => string;
  localHour: (instant: string) => number;
}

/** The bench admin (`INSERT OR IGNORE`: once per database) and the roll-up's watermark. */
function writeAdminAndWatermark(db: Database.Database, at: string, watermark: string): void {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(
    ADMIN_PASSWORD,
    salt,
    PASSWORD_HASH.iterations,
    PASSWORD_HASH.keyBits / 8,
    "sha256",
  ).toString("base64");
  db.prepare(
    `INSERT OR IGNORE INTO users (id, email, name, role, centre_id, partner_id, password_hash, password_salt, password_iterations, created_at, updated_at) VALUES ('bench-admin', ?, 'Bench admin', 'admin', NULL, NULL, ?, ?, ${PASSWORD_HASH.iterations}, ?, ?)`,
  ).run(ADMIN_EMAIL, hash, salt.toString("base64"), at, at);
  db.prepare(
    "INSERT INTO job_watermarks (job, watermark) VALUES ('visit-rollup', ?) ON CONFLICT (job) DO UPDATE SET watermark = excluded.watermark",
  ).run(watermark);
}

/** A centre with its partner and eight services; returns the partner's id. */
function writeCentre(db: Database.Database, centreId: string, at: string): string {
  const hours = JSON.stringify({ timeZone: TIME_ZONE, weekly: [], exceptions: [] });
  db.prepare(
    "INSERT INTO centres (id, name, slug, opening_hours, time_zone, disclosure_threshold, retention_months, languages, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 5, 24, '[]', ?, ?)",
  ).run(centreId, `Bench ${centreId}`, centreId, hours, TIME_ZONE, at, at);
  const partnerId = `${centreId}-${PARTNER_ID}`;
  db.prepare(
    `INSERT INTO partners (id, created_at, updated_at, centre_id, name, roles) VALUES (?, ?, ?, ?, 'Aurore', '["service_provider"]')`,
  ).run(partnerId, at, at, centreId);
  for (const service of SERVICES) {
    db.prepare(
      "INSERT INTO services (id, created_at, updated_at, centre_id, organization_id, name, category, status, languages, schedule, translations) VALUES (?, ?, ?, ?, ?, ?, 'other', 'active', '[]', ?, '{}')",
    ).run(`${centreId}-${service}`, at, at, centreId, partnerId, service, hours);
  }
  return partnerId;
}

/**
 * One centre's year of visits and, with `newDayAt`, a copy of the source day's visits on the new day.
 * Returns the ids of the copied visits (their uses follow them) and how many were copied.
 */
function writeVisits(
  w: RowWriter,
  centreId: string,
  workload: Workload,
  newDayAt: string | undefined,
): { copied: Set<string>; newDay: number } {
  const copied = new Set<string>();
  const write = (
    id: string,
    createdAt: string,
    updatedAt: string,
    arrivedAt: string,
    visit: Workload["visits"][number],
  ) =>
    w.insertVisit.run(
      id,
      createdAt,
      updatedAt,
      centreId,
      arrivedAt,
      w.localDay(arrivedAt),
      w.localHour(arrivedAt),
      visit.visitorCodeHash,
      visit.ageBand,
      visit.gender,
      JSON.stringify(visit.languages),
      visit.firstVisit === null ? null : visit.firstVisit ? 1 : 0,
    );
  for (const visit of workload.visits) {
    write(`${centreId}-${visit.id}`, visit.createdAt, visit.updatedAt, visit.arrivedAt, visit);
    if (newDayAt && w.localDay(visit.arrivedAt) === NEW_DAY_SOURCE) {
      copied.add(visit.id);
      const arrivedAt = new Date(Date.parse(visit.arrivedAt) + NEW_DAY_SHIFT_MS).toISOString();
      write(`${centreId}-${visit.id}-new`, newDayAt, newDayAt, arrivedAt, visit);
    }
  }
  return { copied, newDay: copied.size };
}

/** One centre's year of service uses and, with `newDayAt`, the source day's copied; returns the copies. */
function writeUses(
  w: RowWriter,
  centreId: string,
  partnerId: string,
  workload: Workload,
  copiedVisits: ReadonlySet<string>,
  newDayAt: string | undefined,
): number {
  let newDay = 0;
  for (const use of workload.uses) {
    const partnerOfUse = use.partnerId ? partnerId : null;
    const serviceId = `${centreId}-${use.serviceId}`;
    const visitId = use.visitId ? `${centreId}-${use.visitId}` : null;
    const day = w.localDay(use.usedAt);
    w.insertUse.run(
      `${centreId}-${use.id}`,
      use.createdAt,
      use.updatedAt,
      centreId,
      serviceId,
      visitId,
      use.usedAt,
      day,
      use.quantity,
      use.source,
      partnerOfUse,
    );
    if (newDayAt && day === NEW_DAY_SOURCE) {
      const usedAt = new Date(Date.parse(use.usedAt) + NEW_DAY_SHIFT_MS).toISOString();
      w.insertUse.run(
        `${centreId}-${use.id}-new`,
        newDayAt,
        newDayAt,
        centreId,
        serviceId,
        visitId && copiedVisits.has(use.visitId as string) ? `${visitId}-new` : null,
        usedAt,
        w.localDay(usedAt),
        use.quantity,
        use.source,
        partnerOfUse,
      );
      newDay++;
    }
  }
  return newDay;
}

/**
 * Writes the admin (once per database), then for each centre: the centre, its partner and eight services, the year's rows
 * (`updated_at` = when they happened, long before `watermark`), and — with `newDayAt` — one more day
 * (2026-01-01, a copy of 2025-01-02) written at `newDayAt`, after the roll-up's watermark, which is set to
 * `watermark`. Returns the row counts.
 */
export function loadYear(
  file: string,
  options: {
    centreIds: readonly string[];
    scale: number;
    watermark: string;
    newDayAt?: string;
    /** False: the centres, partners and services only, no visits or uses. */
    rows?: boolean;
  },
): Loaded {
  const workload: Workload = generateWorkload(options.scale);
  const at = new Date().toISOString();
  const db = new Database(file);
  db.pragma("foreign_keys = ON");
  const writer: RowWriter = {
    insertVisit: db.prepare(
      "INSERT INTO visits (id, created_at, updated_at, centre_id, arrived_at, local_day, local_hour, visitor_code_hash, age_band, gender, languages, first_visit, idempotency_key, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
    ),
    insertUse: db.prepare(
      "INSERT INTO service_uses (id, created_at, updated_at, centre_id, service_id, visit_id, used_at, local_day, quantity, source, partner_id, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
    ),
    localDay: localDayCache(TIME_ZONE),
    localHour: localHourCache(TIME_ZONE),
  };
  let newDayVisits = 0;
  let newDayUses = 0;
  db.transaction(() => {
    writeAdminAndWatermark(db, at, options.watermark);
    for (const centreId of options.centreIds) {
      const partnerId = writeCentre(db, centreId, at);
      if (options.rows === false) continue;
      const visits = writeVisits(writer, centreId, workload, options.newDayAt);
      newDayVisits += visits.newDay;
      newDayUses += writeUses(writer, centreId, partnerId, workload, visits.copied, options.newDayAt);
    }
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
  const centres = options.centreIds.length;
  return {
    visits: workload.visits.length * centres,
    uses: workload.uses.length * centres,
    newDayVisits,
    newDayUses,
    description: `${centres} centre${centres === 1 ? "" : "s"} (Europe/Paris) × 2025-01-01..2025-12-31, ${workload.visits.length * centres} visits, ${workload.uses.length * centres} service uses (core bench generator, scale ${options.scale})`,
  };
}

/**
 * The Worker's wrangler.jsonc without its static assets, written into `dir`; returns `--config <path>`.
 * wrangler 4.86 cannot hand the scheduled event to a Worker that has assets (the asset router forwards it
 * over RPC and fails with "DataCloneError: Could not serialize object of type ScheduledController"), and
 * the jobs do not need the admin site. The jobs queue's producer is left out too: the cron then runs every
 * centre's roll-up (and the nightly purge) inline, in the invocation the bench times, so the runs are
 * recorded when `/cdn-cgi/handler/scheduled` answers.
 */
export function configWithoutAssets(dir: string): string[] {
  const source = readFileSync(join(apiDir, "wrangler.jsonc"), "utf8");
  const config = JSON.parse(
    source
      .split("\n")
      .filter((line) => !/^\s*\/\//.test(line))
      .join("\n"),
  ) as Record<string, unknown> & { d1_databases: { migrations_dir: string }[] };
  delete config.$schema;
  delete config.assets;
  const queues = config.queues as { producers?: { binding: string }[] } | undefined;
  if (queues?.producers) queues.producers = queues.producers.filter((p) => p.binding !== "JOB_QUEUE");
  config.main = join(apiDir, String(config.main));
  for (const database of config.d1_databases) database.migrations_dir = join(apiDir, database.migrations_dir);
  const path = join(dir, "wrangler.bench.json");
  writeFileSync(path, JSON.stringify(config, null, 2));
  return ["--config", path];
}

/**
 * Starts the Worker under `wrangler dev` on `port`, over the local D1 in `state`, with the benchmarks'
 * secrets (and `--test-scheduled` for the jobs), and waits until `/api/health` answers; stops it again if
 * it never does.
 */
export async function startLoadedWorker(options: {
  port: number;
  config: string[];
  state: string;
  secret: string;
  testScheduled?: boolean;
}): Promise<{ dev: ChildProcess; url: string }> {
  const dev = startDev(options.port, [
    ...options.config,
    "--persist-to",
    options.state,
    ...(options.testScheduled ? ["--test-scheduled"] : []),
    "--var",
    `VISITOR_CODE_SECRET:${options.secret}`,
    "--var",
    `WEBHOOK_SECRETS_KEY:${options.secret}`,
    "--var",
    "ENVIRONMENT:development",
  ]);
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitFor(`${url}/api/health`, dev);
  } catch (error) {
    dev.kill("SIGTERM");
    throw error;
  }
  return { dev, url };
}

/**
 * Marks every centre's new day as written again at `at`, after `watermark` (which it sets): the next
 * incremental roll-up re-rolls that one day of every centre.
 */
export function restampNewDay(file: string, at: string, watermark: string) {
  const db = new Database(file);
  db.transaction(() => {
    db.prepare("UPDATE visits SET updated_at = ? WHERE local_day = ?").run(at, NEW_DAY);
    db.prepare("UPDATE service_uses SET updated_at = ? WHERE local_day = ?").run(at, NEW_DAY);
    // The all-centre watermark and each centre's own (the roll-up runs per centre).
    db.prepare("UPDATE job_watermarks SET watermark = ? WHERE job GLOB 'visit-rollup*'").run(watermark);
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}

/** Runs scripts/rebuild.mjs (the rebuild CLI) over 2025 for one centre; returns its wall time and totals. */
export function cliRebuild(
  url: string,
  centreId: string,
): Promise<{ ms: number; daysRolled: number; rowsRead: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["scripts/rebuild.mjs", "--url", url, "--centre", centreId, "--from", "2025-01", "--to", "2025-12"],
      {
        cwd: apiDir,
        env: { ...process.env, HALTE_EMAIL: ADMIN_EMAIL, HALTE_PASSWORD: ADMIN_PASSWORD },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.on("exit", (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`scripts/rebuild.mjs exited ${code}`));
      else resolve({ ms, ...(JSON.parse(out) as { daysRolled: number; rowsRead: number }) });
    });
  });
}

/** Signs the bench admin in; returns the session cookie for reads. */
export async function adminCookie(url: string): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  if (!login.ok) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
  return (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

/**
 * The latest cron tick's roll-up, as `GET /api/jobs/runs` lists it: one run per centre since the jobs fan
 * out, all stamped with the tick's time, summed (run inline, one after the other, their durations add up).
 * The list holds the last 20 runs: more centres than that would be undercounted.
 */
export async function lastRollupRun(
  url: string,
  cookie: string,
): Promise<{ daysRolled: number; rowsRead: number; durationMs: number } | undefined> {
  const response = await fetch(`${url}/api/jobs/runs`, { headers: { cookie } });
  if (!response.ok) throw new Error(`GET /api/jobs/runs: ${response.status} ${await response.text()}`);
  const runs = (await response.json()) as {
    rollup: { startedAt: string; daysRolled: number; rowsRead: number; durationMs: number }[];
  };
  const latest = runs.rollup[0];
  if (latest === undefined) return undefined;
  const tick = runs.rollup.filter((run) => run.startedAt === latest.startedAt);
  if (tick.length >= 20) throw new Error("more than 20 centre runs in one tick: GET /api/jobs/runs lists 20");
  return {
    daysRolled: tick.reduce((sum, run) => sum + run.daysRolled, 0),
    rowsRead: tick.reduce((sum, run) => sum + run.rowsRead, 0),
    durationMs: tick.reduce((sum, run) => sum + run.durationMs, 0),
  };
}
