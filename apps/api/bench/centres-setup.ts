// The databases of bench/centres.ts (see there): the template centre, each centre's file, the measured steps.
import { randomUUID } from "node:crypto";
import { copyFileSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  anonymiseVisitorCodes,
  type Centre,
  dayFiguresOf,
  emptyVisitAggregate,
  mergeDayFigures,
  mergeVisitAggregates,
  parseVisitAggregate,
  periodFiguresOf,
  rollUp,
  serializeDayFigures,
  serializeVisitAggregate,
  type VisitAggregate,
} from "@halte/core";
import type { Db, FiguresGrain } from "@halte/db";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import * as schema from "../../../packages/db/src/schema/index.js";
import type { Databases } from "../src/databases.js";
import { mergeMonthPartials } from "../src/jobs/months.js";
import { runRollup } from "../src/jobs/rollup.js";
import { crossCentrePartials } from "../src/routes/reports/month-partials.js";
import { type ReportScope, visitPeriodPartials } from "../src/routes/reports/scope.js";
import { loadYear, TIME_ZONE } from "./d1-load.js";

export const SIZES = (process.env.HALTE_BENCH_CENTRES_SIZES ?? "1,5,10,25,50").split(",").map(Number);
export const ROUNDS = Number(process.env.HALTE_BENCH_ROUNDS ?? "3");
export const SCALE = Number(process.env.HALTE_BENCH_SCALE ?? "1");
export const MAX = Math.max(...SIZES);
const NEW_DAY = "2025-12-31";
/** The nightly run's clock: 02:30 UTC the day after the new day. */
export const NOW = new Date("2026-01-01T02:30:00.000Z");
/** The roll-up's watermark before the night: the new day's rows were written after it. */
const WATERMARK = "2025-12-31T23:50:00.000Z";
const WRITTEN_AT = "2026-01-01T00:30:00.000Z";
export const YEARS = [2023, 2024, 2025];
/** The first month within the centres' 24 months of retention on the night measured. */
const RETENTION_CUTOFF = "2024-01";
const migrationsDir = new URL("../../../packages/db/migrations/", import.meta.url).pathname;

export const centreIdOf = (n: number) => `centre-${String(n).padStart(2, "0")}`;

/** A drizzle client over a SQLite file with the D1 client's `batch` (statements run in order, in one transaction). */
export function open(file: string): { db: Db; sqlite: Database.Database } {
  const sqlite = new Database(file);
  sqlite.pragma("foreign_keys = ON");
  const db = drizzle(sqlite, { schema });
  const batch = async (statements: readonly PromiseLike<unknown>[]) => {
    sqlite.exec("BEGIN");
    try {
      const results = [];
      for (const statement of statements) results.push(await statement);
      sqlite.exec("COMMIT");
      return results;
    } catch (error) {
      sqlite.exec("ROLLBACK");
      throw error;
    }
  };
  // The job's functions take the D1 client's type; this one has the same query builder and this `batch`.
  return { db: Object.assign(db, { batch }) as unknown as Db, sqlite };
}

export function migrate(file: string) {
  const sqlite = new Database(file);
  for (const name of readdirSync(migrationsDir)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    sqlite.exec(readFileSync(join(migrationsDir, name), "utf8").split("--> statement-breakpoint").join("\n"));
  }
  sqlite.close();
}

function copyRows(
  from: Database.Database,
  to: Database.Database,
  table: string,
  where: string,
  map: (row: Record<string, unknown>) => Record<string, unknown>,
) {
  const rows = from.prepare(`SELECT * FROM ${table} WHERE ${where}`).all() as Record<string, unknown>[];
  if (rows.length === 0) return 0;
  const columns = Object.keys(rows[0] as object);
  const insert = to.prepare(
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
  );
  for (const row of rows) insert.run(...columns.map((c) => map(row)[c]));
  return rows.length;
}

/** The template centre: a generated year of raw rows, rolled into day partials by the job itself. */
export async function buildTemplate(work: string) {
  const file = join(work, "template.sqlite");
  migrate(file);
  console.log(`template: a generated year of raw visits (scale ${SCALE}), rolled by runRollup (not timed)…`);
  const loaded = loadYear(file, { centreIds: ["tmpl"], scale: SCALE, watermark: "1970-01-01T00:00:00.000Z" });
  const { db, sqlite } = open(file);
  const started = performance.now();
  await runRollup({ db, now: new Date("2026-06-01T00:00:00Z"), newId: randomUUID, centreId: "tmpl" });
  console.log(`  ${loaded.description}; rolled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  const rawYearBytes = statSync(file).size;
  const { newDayVisits } = sqlite
    .prepare("SELECT count(*) AS newDayVisits FROM visits WHERE local_day = ?")
    .get(NEW_DAY) as { newDayVisits: number };
  const days = new Map(
    (
      sqlite.prepare("SELECT local_day, aggregate FROM visit_rollups WHERE centre_id = 'tmpl'").all() as {
        local_day: string;
        aggregate: string;
      }[]
    ).map((r) => [r.local_day.slice(5), r.aggregate]),
  );
  sqlite.close();
  return { file, days, rawYearBytes, loaded, newDayVisits };
}

/** Each month's partial (core's rollUp of the template's days, visitor codes included), by `MM`. */
export function monthTemplates(days: Map<string, string>): Map<string, string> {
  const parsed: Record<string, VisitAggregate> = {};
  for (const [md, json] of days) {
    const result = parseVisitAggregate(json);
    if (result.ok) parsed[`2025-${md}`] = result.value;
  }
  const months = rollUp({ tmpl: parsed }, "month").tmpl ?? {};
  return new Map(
    Object.entries(months).map(([code, aggregate]) => [code.slice(4), serializeVisitAggregate(aggregate)]),
  );
}

/** The months without their visitor codes, as stored once past retention, by `MM`. */
export function pastMonthTemplates(months: Map<string, string>): Map<string, string> {
  return new Map(
    [...months].map(([mm, json]) => {
      const result = parseVisitAggregate(json);
      if (!result.ok) throw new Error(`month ${mm} is unreadable`);
      return [mm, serializeVisitAggregate(anonymiseVisitorCodes(result.value))];
    }),
  );
}

/**
 * The figures the nightly merge stores for each complete month, quarter and year (the template's months
 * merged, without visitor codes), as `[grain, first day's MM-DD, figures]`.
 */
type Figures = ReturnType<typeof periodFiguresOf>;
export function figuresTemplates(months: Map<string, string>): [FiguresGrain, string, Figures][] {
  const parsedMonths = new Map(
    [...months].map(([mm, json]) => {
      const result = parseVisitAggregate(json);
      if (!result.ok) throw new Error(`month ${mm} is unreadable`);
      return [mm, result.value];
    }),
  );
  const compact = (mms: string[]) =>
    periodFiguresOf(
      mms.reduce(
        (sum, mm) => mergeVisitAggregates(sum, parsedMonths.get(mm) ?? emptyVisitAggregate()),
        emptyVisitAggregate(),
      ),
    );
  const mm = (n: number) => String(n).padStart(2, "0");
  return [
    ...[...parsedMonths.keys()].map((m): [FiguresGrain, string, Figures] => [
      "month",
      `${m}-01`,
      compact([m]),
    ]),
    ...[1, 4, 7, 10].map((q): [FiguresGrain, string, Figures] => [
      "quarter",
      `${mm(q)}-01`,
      compact([mm(q), mm(q + 1), mm(q + 2)]),
    ]),
    ["year", "01-01", compact([...parsedMonths.keys()])],
  ];
}

/**
 * The day-level figures the nightly merge stores (core's `dayFiguresOf`, then `mergeDayFigures` for quarters
 * and years) of every month, quarter and year of the three years, keyed `grain:first day`: the template's
 * days put on each year's calendar (weekdays differ from year to year), 31 December 2025 left out as in the
 * centres' day partials.
 */
export function dayFiguresTemplates(days: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const mm = (n: number) => String(n).padStart(2, "0");
  for (const year of YEARS) {
    const months = new Map<string, ReturnType<typeof dayFiguresOf>>();
    for (let m = 1; m <= 12; m++) {
      const month: Record<string, VisitAggregate> = {};
      for (const [md, json] of days) {
        const day = `${year}-${md}`;
        const result = parseVisitAggregate(json);
        if (md.startsWith(mm(m)) && day < NEW_DAY && result.ok) month[day] = result.value;
      }
      months.set(`${year}-${mm(m)}-01`, dayFiguresOf(`${year}-${mm(m)}-01`, month));
    }
    const merged = (starts: string[]) =>
      mergeDayFigures(
        starts[0] as string,
        starts.map((start) => ({ start, figures: months.get(start) ?? dayFiguresOf(start, {}) })),
      );
    for (const [start, figures] of months) out.set(`month:${start}`, serializeDayFigures(figures));
    for (const q of [1, 4, 7, 10])
      out.set(
        `quarter:${year}-${mm(q)}-01`,
        serializeDayFigures(merged([q, q + 1, q + 2].map((m) => `${year}-${mm(m)}-01`))),
      );
    out.set(`year:${year}-01-01`, serializeDayFigures(merged([...months.keys()])));
  }
  return out;
}

/** One centre's database: the schema, its centre, partner and services, three years of day partials, the new day raw. */
export function writeCentre(
  work: string,
  template: {
    file: string;
    days: Map<string, string>;
    months: Map<string, string>;
    pastMonths: Map<string, string>;
    dayFigures: Map<string, string>;
  },
  n: number,
  emptyFile: string,
) {
  const centreId = centreIdOf(n);
  const file = join(work, `${centreId}.sqlite`);
  copyFileSync(emptyFile, file);
  const to = new Database(file);
  const from = new Database(template.file, { readonly: true });
  const rename = (row: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [
        k,
        typeof v === "string" && v.startsWith("tmpl") ? `${centreId}${v.slice(4)}` : v,
      ]),
    );
  to.transaction(() => {
    copyRows(from, to, "centres", "id = 'tmpl'", (r) => ({ ...rename(r), slug: centreId }));
    copyRows(from, to, "partners", "centre_id = 'tmpl'", rename);
    copyRows(from, to, "services", "centre_id = 'tmpl'", rename);
    const at = { created_at: WRITTEN_AT, updated_at: WRITTEN_AT };
    copyRows(from, to, "visits", `local_day = '${NEW_DAY}'`, (r) => ({ ...rename(r), ...at }));
    copyRows(from, to, "service_uses", `local_day = '${NEW_DAY}'`, (r) => ({ ...rename(r), ...at }));
    const insert = to.prepare("INSERT INTO visit_rollups (centre_id, local_day, aggregate) VALUES (?, ?, ?)");
    for (const year of YEARS) {
      for (const [md, aggregate] of template.days) {
        const day = `${year}-${md}`;
        if (day < NEW_DAY && !(md === "02-29")) insert.run(centreId, day, aggregate);
      }
    }
    // The months the nightly merge stored in the centre's own database: with their codes, or without them
    // once past the 24 months of retention (the purge anonymised their days and the merge merged them again).
    const month = to.prepare(
      "INSERT INTO visit_month_rollups (centre_id, month, aggregate, day_figures, days, merged_at) VALUES (?, ?, ?, ?, ?, ?)",
    );
    for (const year of YEARS)
      for (const [mm, aggregate] of template.months) {
        const key = `${year}-${mm}`;
        const stored = key < RETENTION_CUTOFF ? (template.pastMonths.get(mm) ?? aggregate) : aggregate;
        const dayFigures = template.dayFigures.get(`month:${key}-01`) ?? null;
        if (key < NEW_DAY.slice(0, 7)) month.run(centreId, key, stored, dayFigures, 30, WRITTEN_AT);
      }
    const mark = to.prepare("INSERT INTO job_watermarks (job, watermark) VALUES (?, ?)");
    mark.run(`visit-rollup:${centreId}`, WATERMARK);
    mark.run(`month-partials:${centreId}`, WATERMARK);
  })();
  to.pragma("wal_checkpoint(TRUNCATE)");
  to.close();
  from.close();
  return file;
}

/** The figures file: every centre's directory row and its figures of 36 months, 12 quarters and 3 years. */
export function writeFigures(
  file: string,
  figures: ReturnType<typeof figuresTemplates>,
  dayFigures: Map<string, string>,
) {
  const sqlite = new Database(file);
  sqlite.transaction(() => {
    const centre = sqlite.prepare(
      "INSERT INTO centres (id, name, slug, opening_hours, time_zone, disclosure_threshold, retention_months, languages, created_at, updated_at) VALUES (?, ?, ?, '{\"timeZone\":\"Europe/Paris\",\"weekly\":[],\"exceptions\":[]}', 'Europe/Paris', 5, 24, '[]', 'x', 'x')",
    );
    const period = sqlite.prepare(
      "INSERT INTO visit_period_figures (centre_id, grain, start, aggregate, service_people, day_figures, days, merged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    for (let n = 1; n <= MAX; n++) {
      centre.run(centreIdOf(n), centreIdOf(n), centreIdOf(n));
      for (const year of YEARS)
        for (const [grain, monthDay, { aggregate, servicePeople }] of figures)
          period.run(
            centreIdOf(n),
            grain,
            `${year}-${monthDay}`,
            aggregate,
            servicePeople,
            dayFigures.get(`${grain}:${year}-${monthDay}`) ?? null,
            30,
            "2026-01-01T02:00:00.000Z",
          );
    }
  })();
  sqlite.close();
}

/** Puts a centre back as it was before the night: the watermarks moved back (the new day is re-rolled identically). */
function resetNight(file: string, centreId: string) {
  const sqlite = new Database(file);
  sqlite
    .prepare("UPDATE job_watermarks SET watermark = ? WHERE job IN (?, ?)")
    .run(WATERMARK, `visit-rollup:${centreId}`, `month-partials:${centreId}`);
  sqlite.close();
}

/** The nightly work of one centre as the queue consumer does it: its roll-up, then its month merge. */
export async function nightOf(file: string, centreId: string): Promise<number> {
  resetNight(file, centreId);
  const { db, sqlite } = open(file);
  const started = performance.now();
  const run = await runRollup({ db, now: NOW, newId: randomUUID, centreId });
  const months = await mergeMonthPartials({ db, centreId, now: NOW });
  const ms = performance.now() - started;
  sqlite.close();
  if (run.daysRolled !== 1 || months.join() !== "2025-12")
    throw new Error(`${centreId}: rolled ${run.daysRolled} day(s), merged ${months.join()}`);
  return ms;
}

export const centreOf = (id: string) =>
  ({ id, openingHours: { timeZone: TIME_ZONE, weekly: [], exceptions: [] } }) as unknown as Centre;

/** The cross-centre three-year report by month, on the months path, over the figures file. */
export async function crossCentreReport(figures: Db, n: number): Promise<number> {
  const ids = Array.from({ length: n }, (_, i) => centreIdOf(i + 1));
  const scope = {
    centres: ids.map(centreOf),
    centreIds: ids,
    from: "2023-01-01",
    to: "2025-12-31",
  } as unknown as ReportScope;
  const started = performance.now();
  // Every month of the three years is complete: the report reads the figures alone, no centre's days.
  const { byPeriod: byMonth } = await crossCentrePartials({ figures, dbFor: async () => figures }, scope, {
    grain: "month",
    now: NOW,
    withServicePeople: false,
  });
  const ms = performance.now() - started;
  if (Object.keys(byMonth).length !== 36)
    throw new Error(`cross-centre report: ${Object.keys(byMonth).length} months`);
  return ms;
}

/** One centre's three-year report by month from its own day partials, as the route reads them. */
export async function oneCentreReport(file: string): Promise<number> {
  const { db, sqlite } = open(file);
  const id = centreIdOf(1);
  const scope = { centres: [centreOf(id)], centreIds: [id], from: "2023-01-01", to: "2025-12-31" };
  const started = performance.now();
  const dbs = { dbFor: async () => db } as unknown as Databases;
  const { byPeriod } = await visitPeriodPartials(dbs, scope as unknown as ReportScope, "month");
  const ms = performance.now() - started;
  sqlite.close();
  if (Object.keys(byPeriod).length !== 36)
    throw new Error(`one centre's report: ${Object.keys(byPeriod).length} months`);
  return ms;
}
