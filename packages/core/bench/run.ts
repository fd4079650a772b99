import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import Database from "better-sqlite3";
import { type Figure, RESULTS_PATH, recordFigures } from "../../../tooling/bench/results-file.js";
import { alternateRounds, median, ratioSpread } from "../../../tooling/bench/rounds.js";
import {
  aggregateVisitColumns,
  aggregateVisitsByDay,
  rollUp,
  UseColumns,
  type VisitAggregate,
  type VisitAggregatesByCentre,
  VisitColumns,
} from "../src/aggregate.js";
import { epochDay, formatEpochDay } from "../src/calendar.js";
import { Visit } from "../src/visit.js";
import {
  AGE_BANDS,
  CENTRE_ID,
  CODE_POOL_SIZE,
  GENDERS,
  generateWorkload,
  LANGUAGES,
  SERVICES,
  SOURCES,
  WORKLOAD_TIME_ZONE,
  type Workload,
} from "./workload.js";

// Run: cd packages/core && npx tsx bench/run.ts   (HALTE_BENCH_SCALE=0.05 for a smoke run)
//
// Measures the nightly aggregation (per local day: visits, first visits, unique codes, age band × gender,
// language, hour; per service per day: uses and quantity) four ways on the same rows — core's columnar path
// from the rows as the Worker reads them from D1, core's aggregateVisitsByDay from the records, SQLite and a
// typed-array loop — checks they agree, and compares zod's parse of one visit with JSON.parse of it. Every
// comparison runs its sides in rounds, the order rotated each round (tooling/bench/rounds.ts), and publishes
// the median of the per-round ratios with their spread.

const scale = Number(process.env.HALTE_BENCH_SCALE ?? "1");
if (!(scale > 0))
  throw new Error(`HALTE_BENCH_SCALE must be a positive number, got ${process.env.HALTE_BENCH_SCALE}`);
const ROUNDS = Number(process.env.HALTE_BENCH_ROUNDS ?? (scale < 0.2 ? "9" : "7"));

/** What each method must agree on, summed over the year. */
interface Totals {
  days: number;
  visits: number;
  firstVisits: number;
  /** Σ over days of the distinct codes of the day. */
  dailyUniqueVisitors: number;
  /** Σ over days of (day index + 1) × visits: catches a visit counted on the wrong day. */
  dayChecksum: number;
  /** Σ over days of (day index + 1) × quantity: the same for service uses. */
  useDayChecksum: number;
  byAgeGender: Record<string, number>;
  byLanguage: Record<string, number>;
  byHour: number[];
  services: Record<string, { uses: number; quantity: number }>;
  partnerUses: number;
}

function emptyTotals(): Totals {
  return {
    days: 0,
    visits: 0,
    firstVisits: 0,
    dailyUniqueVisitors: 0,
    dayChecksum: 0,
    useDayChecksum: 0,
    byAgeGender: {},
    byLanguage: {},
    byHour: new Array(24).fill(0),
    services: {},
    partnerUses: 0,
  };
}

function bump(record: Record<string, number>, key: string, amount: number): void {
  record[key] = (record[key] ?? 0) + amount;
}

function bumpService(totals: Totals, serviceId: string, uses: number, quantity: number): void {
  const s = totals.services[serviceId] ?? { uses: 0, quantity: 0 };
  totals.services[serviceId] = { uses: s.uses + uses, quantity: s.quantity + quantity };
}

function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function canonical(t: Totals): string {
  return JSON.stringify({
    ...t,
    byAgeGender: sorted(t.byAgeGender),
    byLanguage: sorted(t.byLanguage),
    services: sorted(t.services),
  });
}

// ---------------------------------------------------------------------------------------------------
// (a) core

interface CoreResult {
  days: VisitAggregatesByCentre;
  months: VisitAggregatesByCentre;
}

function runRecords(w: Workload): VisitAggregatesByCentre {
  return aggregateVisitsByDay(w.visits, w.uses, { timeZone: WORKLOAD_TIME_ZONE });
}

/** The rows as the roll-up reads them from D1 (`rowsOfDays`): integer day and hour, uses counted per visit. */
interface D1Rows {
  visits: {
    id: string;
    day: number;
    hour: number;
    ageBand: string | null;
    gender: string | null;
    firstVisit: boolean | null;
    visitorCodeHash: string | null;
    languages: string;
    recordKey: number;
  }[];
  useGroups: {
    day: number;
    serviceId: string;
    source: string;
    visitId: string | null;
    uses: number;
    quantity: number;
    key: number;
  }[];
}

function d1Rows(w: Workload): D1Rows {
  const [year = 2025, month = 1, day = 1] = (w.dayKeys[0] ?? "2025-01-01").split("-").map(Number);
  const first = epochDay(year, month, day);
  const c = w.columns;
  const visits = w.visits.map((v, i) => ({
    id: v.id,
    day: first + (c.visitDay[i] as number),
    hour: c.visitHour[i] as number,
    ageBand: v.ageBand,
    gender: v.gender,
    firstVisit: v.firstVisit,
    visitorCodeHash: v.visitorCodeHash,
    languages: JSON.stringify(v.languages),
    recordKey: 0,
  }));
  const groups = new Map<string, D1Rows["useGroups"][number]>();
  w.uses.forEach((u, i) => {
    const d = first + (c.useDay[i] as number);
    const id = `${d}|${u.serviceId}|${u.source}|${u.visitId}`;
    const group = groups.get(id) ?? {
      day: d,
      serviceId: u.serviceId,
      source: u.source,
      visitId: u.visitId,
      uses: 0,
      quantity: 0,
      key: 0,
    };
    group.uses++;
    group.quantity += u.quantity;
    groups.set(id, group);
  });
  return { visits, useGroups: [...groups.values()] };
}

/** What the roll-up does with those rows (apps/api/src/jobs/rollup.ts), serialisation aside. */
function runRows(rows: D1Rows): Map<number, VisitAggregate> {
  const { visits, uses } = columnsOf(rows);
  return aggregateVisitColumns(visits, uses);
}

/** The rows numbered into typed columns: codes, language lists and services once, uses matched to visits. */
function columnsOf(rows: D1Rows): { visits: VisitColumns; uses: UseColumns } {
  const visits = new VisitColumns();
  const indexOf = new Map<string, number>();
  for (const row of rows.visits) indexOf.set(row.id, visits.add(row));
  const uses = new UseColumns();
  for (const group of rows.useGroups) {
    const visit = group.visitId === null ? undefined : indexOf.get(group.visitId);
    uses.add({
      day: group.day,
      serviceId: group.serviceId,
      source: group.source,
      visit: visit !== undefined && visits.day[visit] === group.day ? visit : -1,
      uses: group.uses,
      quantity: group.quantity,
      key: group.key,
    });
  }
  return { visits, uses };
}

function columnsAsCore(days: Map<number, VisitAggregate>): CoreResult {
  const byDay = {
    [CENTRE_ID]: Object.fromEntries([...days].map(([d, partial]) => [formatEpochDay(d), partial])),
  };
  return { days: byDay, months: rollUp(byDay, "month") };
}

function coreTotals(w: Workload, result: CoreResult): Totals {
  const t = emptyTotals();
  const dayIndex = new Map(w.dayKeys.map((key, i) => [key, i]));
  for (const [day, agg] of Object.entries(result.days[CENTRE_ID] ?? {})) {
    const i = dayIndex.get(day);
    if (i === undefined) throw new Error(`core produced a day outside the year: ${day}`);
    t.days++;
    t.visits += agg.visits;
    t.firstVisits += agg.firstVisits;
    t.dailyUniqueVisitors += agg.uniqueVisitors;
    t.dayChecksum += (i + 1) * agg.visits;
    for (const [age, genders] of Object.entries(agg.byAgeBandGender)) {
      for (const [gender, n] of Object.entries(genders ?? {}))
        bump(t.byAgeGender, `${age}|${gender}`, n ?? 0);
    }
    for (const [language, n] of Object.entries(agg.byLanguage)) bump(t.byLanguage, language, n);
    agg.byHour.forEach((n, h) => {
      t.byHour[h] = (t.byHour[h] ?? 0) + n;
    });
    for (const [serviceId, tally] of Object.entries(agg.services)) {
      bumpService(t, serviceId, tally.uses, tally.quantity);
      t.useDayChecksum += (i + 1) * tally.quantity;
      t.partnerUses += tally.bySource.partner_report?.uses ?? 0;
    }
  }
  // The monthly roll-up must hold the same year.
  const monthVisits = Object.values(result.months[CENTRE_ID] ?? {}).reduce((sum, m) => sum + m.visits, 0);
  if (monthVisits !== t.visits) throw new Error(`rollUp lost visits: ${monthVisits} ≠ ${t.visits}`);
  return t;
}

// ---------------------------------------------------------------------------------------------------
// (b) better-sqlite3, in memory, rows inserted before timing

function openDatabase(w: Workload): Database.Database {
  const db = new Database(":memory:");
  db.exec(`
    CREATE TABLE visits (
      id INTEGER PRIMARY KEY, centre_id TEXT NOT NULL, arrived_at TEXT NOT NULL,
      local_day TEXT NOT NULL, local_hour INTEGER NOT NULL,
      visitor_code_hash TEXT, age_band TEXT, gender TEXT, first_visit INTEGER
    );
    CREATE TABLE visit_languages (
      visit_id INTEGER NOT NULL, language TEXT NOT NULL, PRIMARY KEY (visit_id, language)
    ) WITHOUT ROWID;
    CREATE TABLE service_uses (
      id INTEGER PRIMARY KEY, centre_id TEXT NOT NULL, service_id TEXT NOT NULL, used_at TEXT NOT NULL,
      local_day TEXT NOT NULL, quantity INTEGER NOT NULL, source TEXT NOT NULL, visit_id INTEGER
    );
    CREATE INDEX visits_centre_day ON visits (centre_id, local_day);
    CREATE INDEX service_uses_centre_day ON service_uses (centre_id, local_day);
  `);
  const insertVisit = db.prepare("INSERT INTO visits VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const insertLanguage = db.prepare("INSERT INTO visit_languages VALUES (?, ?)");
  const insertUse = db.prepare("INSERT INTO service_uses VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  const c = w.columns;
  db.transaction(() => {
    w.visits.forEach((v, i) => {
      const first = v.firstVisit === null ? null : v.firstVisit ? 1 : 0;
      const day = w.dayKeys[c.visitDay[i] as number];
      insertVisit.run(
        i,
        v.centreId,
        v.arrivedAt,
        day,
        c.visitHour[i],
        v.visitorCodeHash,
        v.ageBand,
        v.gender,
        first,
      );
      for (const language of v.languages) insertLanguage.run(i, language);
    });
    w.uses.forEach((u, i) => {
      const day = w.dayKeys[c.useDay[i] as number];
      insertUse.run(i, u.centreId, u.serviceId, u.usedAt, day, u.quantity, u.source, null);
    });
  })();
  db.exec("ANALYZE");
  return db;
}

const QUERIES = {
  perDay: `SELECT local_day, COUNT(*), SUM(first_visit = 1), COUNT(DISTINCT visitor_code_hash)
           FROM visits WHERE centre_id = @centre AND local_day BETWEEN @from AND @to GROUP BY local_day`,
  ageGender: `SELECT local_day, COALESCE(age_band, 'unknown'), COALESCE(gender, 'unknown'), COUNT(*)
              FROM visits WHERE centre_id = @centre AND local_day BETWEEN @from AND @to GROUP BY 1, 2, 3`,
  language: `SELECT v.local_day, COALESCE(l.language, 'unknown'), COUNT(*)
             FROM visits v LEFT JOIN visit_languages l ON l.visit_id = v.id
             WHERE v.centre_id = @centre AND v.local_day BETWEEN @from AND @to GROUP BY 1, 2`,
  hour: `SELECT local_day, local_hour, COUNT(*)
         FROM visits WHERE centre_id = @centre AND local_day BETWEEN @from AND @to GROUP BY 1, 2`,
  services: `SELECT local_day, service_id, source, COUNT(*), SUM(quantity)
             FROM service_uses WHERE centre_id = @centre AND local_day BETWEEN @from AND @to GROUP BY 1, 2, 3`,
} as const;

type SqlResult = Record<keyof typeof QUERIES, unknown[][]>;

function runSqlite(db: Database.Database, w: Workload): SqlResult {
  const args = { centre: CENTRE_ID, from: w.dayKeys[0], to: w.dayKeys[w.dayKeys.length - 1] };
  const out = {} as SqlResult;
  for (const [name, sql] of Object.entries(QUERIES)) {
    out[name as keyof typeof QUERIES] = db.prepare(sql).raw().all(args) as unknown[][];
  }
  return out;
}

function sqliteTotals(w: Workload, r: SqlResult): Totals {
  const t = emptyTotals();
  const dayIndex = new Map(w.dayKeys.map((key, i) => [key, i]));
  const indexOf = (day: unknown) => dayIndex.get(day as string) as number;
  for (const [day, visits, first, unique] of r.perDay as [string, number, number, number][]) {
    t.days++;
    t.visits += visits;
    t.firstVisits += first;
    t.dailyUniqueVisitors += unique;
    t.dayChecksum += (indexOf(day) + 1) * visits;
  }
  for (const [, age, gender, n] of r.ageGender as [string, string, string, number][]) {
    bump(t.byAgeGender, `${age}|${gender}`, n);
  }
  for (const [, language, n] of r.language as [string, string, number][]) bump(t.byLanguage, language, n);
  for (const [, hour, n] of r.hour as [string, number, number][]) t.byHour[hour] = (t.byHour[hour] ?? 0) + n;
  for (const [day, serviceId, source, uses, quantity] of r.services as [
    string,
    string,
    string,
    number,
    number,
  ][]) {
    bumpService(t, serviceId, uses, quantity);
    t.useDayChecksum += (indexOf(day) + 1) * quantity;
    if (source === "partner_report") t.partnerUses += uses;
  }
  return t;
}

// ---------------------------------------------------------------------------------------------------
// (c) hand-written loop over typed columns

interface TypedResult {
  visits: Int32Array;
  first: Int32Array;
  unique: Int32Array;
  ageGender: Int32Array;
  language: Int32Array;
  hour: Int32Array;
  serviceUses: Int32Array;
  serviceQuantity: Int32Array;
}

const AGE_N = AGE_BANDS.length;
const GENDER_N = GENDERS.length;
const LANGUAGE_N = LANGUAGES.length + 1;
const SERVICE_N = SERVICES.length;
const SOURCE_N = SOURCES.length;

function runTyped(w: Workload): TypedResult {
  const c = w.columns;
  const days = c.days;
  const r: TypedResult = {
    visits: new Int32Array(days),
    first: new Int32Array(days),
    unique: new Int32Array(days),
    ageGender: new Int32Array(days * AGE_N * GENDER_N),
    language: new Int32Array(days * LANGUAGE_N),
    hour: new Int32Array(days * 24),
    serviceUses: new Int32Array(days * SERVICE_N * SOURCE_N),
    serviceQuantity: new Int32Array(days * SERVICE_N * SOURCE_N),
  };
  const seen = new Uint8Array(days * CODE_POOL_SIZE);
  const n = c.visitDay.length;
  for (let i = 0; i < n; i++) {
    const d = c.visitDay[i] as number;
    r.visits[d]++;
    r.first[d] += c.visitFirst[i] as number;
    const code = c.visitCode[i] as number;
    if (code >= 0) {
      const slot = d * CODE_POOL_SIZE + code;
      if (seen[slot] === 0) {
        seen[slot] = 1;
        r.unique[d]++;
      }
    }
    r.ageGender[(d * AGE_N + (c.visitAge[i] as number)) * GENDER_N + (c.visitGender[i] as number)]++;
    const from = c.languageOffsets[i] as number;
    const to = c.languageOffsets[i + 1] as number;
    if (from === to) r.language[d * LANGUAGE_N + LANGUAGE_N - 1]++;
    for (let l = from; l < to; l++) r.language[d * LANGUAGE_N + (c.languageIds[l] as number)]++;
    r.hour[d * 24 + (c.visitHour[i] as number)]++;
  }
  const m = c.useDay.length;
  for (let i = 0; i < m; i++) {
    const slot =
      ((c.useDay[i] as number) * SERVICE_N + (c.useService[i] as number)) * SOURCE_N +
      (c.useSource[i] as number);
    r.serviceUses[slot]++;
    r.serviceQuantity[slot] += c.useQuantity[i] as number;
  }
  return r;
}

function typedTotals(w: Workload, r: TypedResult): Totals {
  const t = emptyTotals();
  const days = w.columns.days;
  for (let d = 0; d < days; d++) {
    const visits = r.visits[d] as number;
    const uses = SERVICES.reduce(
      (sum, _, s) => sum + (r.serviceUses[(d * SERVICE_N + s) * SOURCE_N] as number),
      0,
    );
    if (visits > 0 || uses > 0) t.days++;
    t.visits += visits;
    t.firstVisits += r.first[d] as number;
    t.dailyUniqueVisitors += r.unique[d] as number;
    t.dayChecksum += (d + 1) * visits;
    for (let a = 0; a < AGE_N; a++) {
      for (let g = 0; g < GENDER_N; g++) {
        const count = r.ageGender[(d * AGE_N + a) * GENDER_N + g] as number;
        if (count > 0) bump(t.byAgeGender, `${AGE_BANDS[a] ?? "unknown"}|${GENDERS[g] ?? "unknown"}`, count);
      }
    }
    for (let l = 0; l < LANGUAGE_N; l++) {
      const count = r.language[d * LANGUAGE_N + l] as number;
      if (count > 0) bump(t.byLanguage, LANGUAGES[l] ?? "unknown", count);
    }
    for (let h = 0; h < 24; h++) t.byHour[h] = (t.byHour[h] ?? 0) + (r.hour[d * 24 + h] as number);
    for (let s = 0; s < SERVICE_N; s++) {
      for (let src = 0; src < SOURCE_N; src++) {
        const slot = (d * SERVICE_N + s) * SOURCE_N + src;
        const uses = r.serviceUses[slot] as number;
        if (uses === 0) continue;
        bumpService(t, SERVICES[s] as string, uses, r.serviceQuantity[slot] as number);
        t.useDayChecksum += (d + 1) * (r.serviceQuantity[slot] as number);
        if (SOURCES[src] === "partner_report") t.partnerUses += uses;
      }
    }
  }
  return t;
}

// ---------------------------------------------------------------------------------------------------
// Timing

// A full collection before each timed run, so no method pays for the garbage of the one before it; the
// workload keeps about a gigabyte alive, which makes those collections long and their timing random.
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

function timed(fn: () => unknown): number {
  collectGarbage();
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function perOpNanoseconds(fn: () => unknown, iterations: number): number {
  let sink = 0;
  const start = performance.now();
  for (let i = 0; i < iterations; i++) sink += fn() === undefined ? 0 : 1;
  const ns = ((performance.now() - start) * 1e6) / iterations;
  if (sink < 0) console.log(sink);
  return ns;
}

const ms = (values: readonly number[]) => values.map((x) => x.toFixed(0)).join(", ");

// ---------------------------------------------------------------------------------------------------

console.log(`Generating workload (scale ${scale})…`);
const workload = generateWorkload(scale);
console.log(`  ${workload.description}`);
console.log("Loading SQLite and shaping the D1 rows (not timed)…");
const db = openDatabase(workload);
const rows = d1Rows(workload);
const columns = columnsOf(rows);
const runColumns = () => aggregateVisitColumns(columns.visits, columns.uses);

// Results and agreement first (also the warm-up of every method: JIT, caches, page faults).
const columnsDays = runColumns();
if (JSON.stringify([...runRows(rows)]) !== JSON.stringify([...columnsDays]))
  throw new Error("rows ≠ columns");
const records = runRecords(workload);
const totals = {
  columns: canonical(coreTotals(workload, columnsAsCore(columnsDays))),
  records: canonical(coreTotals(workload, { days: records, months: rollUp(records, "month") })),
  sqlite: canonical(sqliteTotals(workload, runSqlite(db, workload))),
  typed: canonical(typedTotals(workload, runTyped(workload))),
};
if (new Set(Object.values(totals)).size !== 1) {
  for (const [name, text] of Object.entries(totals)) console.error(`${name}:`, text);
  throw new Error("The aggregations disagree: the comparison would be meaningless");
}
// The columnar path from D1's rows and aggregateVisitsByDay from the records give the same bytes.
for (const [day, partial] of Object.entries(records[CENTRE_ID] ?? {})) {
  const [y = 0, m = 0, d = 0] = day.split("-").map(Number);
  if (JSON.stringify(columnsDays.get(epochDay(y, m, d))) !== JSON.stringify(partial)) {
    throw new Error(`The columnar path and aggregateVisitsByDay differ on ${day}`);
  }
}
console.log(
  "  ✓ the four methods agree on every total; both core paths give the same partials byte for byte",
);

console.log(`Aggregating the year: ${ROUNDS} rounds, the order rotated each round (ms):`);
const times = await alternateRounds(
  {
    columns: () => timed(runColumns),
    rows: () => timed(() => runRows(rows)),
    records: () => timed(() => runRecords(workload)),
    sqlite: () => timed(() => runSqlite(db, workload)),
    typed: () => timed(() => runTyped(workload)),
  },
  ROUNDS,
  (round, order, values) =>
    console.log(`  round ${round}: ${order.map((name) => `${name} ${values[name].toFixed(0)}`).join(", ")}`),
);
const columnsVsTyped = ratioSpread(times.columns, times.typed);
const rowsVsTyped = ratioSpread(times.rows, times.typed);
const recordsVsTyped = ratioSpread(times.records, times.typed);
const columnsVsSqlite = ratioSpread(times.columns, times.sqlite);
for (const [name, values] of Object.entries(times)) {
  console.log(
    `  ${name.padEnd(8)} median ${median(values).toFixed(1).padStart(8)} ms  (rounds: ${ms(values)})`,
  );
}

console.log("Parsing one visit, in rounds:");
const sample = workload.visits.find((v) => v.visitorCodeHash !== null && v.languages.length > 0) as Visit;
const sampleJson = JSON.stringify({ ...sample, idempotencyKey: "door-tablet-1:000042" });
const sampleObject = JSON.parse(sampleJson) as unknown;
const iterations = Math.max(20_000, Math.round(200_000 * Math.min(1, scale * 4)));
for (let i = 0; i < 20_000; i++) {
  Visit.parse(sampleObject);
  JSON.parse(sampleJson);
}
const parses = await alternateRounds(
  {
    zod: () => perOpNanoseconds(() => Visit.parse(sampleObject), iterations),
    json: () => perOpNanoseconds(() => JSON.parse(sampleJson), iterations),
  },
  7,
);
const zodVsJson = ratioSpread(parses.zod, parses.json);
const zodNs = median(parses.zod);
const jsonNs = median(parses.json);
console.log(`  zod Visit.parse(object)            median ${zodNs.toFixed(0).padStart(9)} ns/op`);
console.log(`  JSON.parse(string)                 median ${jsonNs.toFixed(0).padStart(9)} ns/op`);

db.close();

const workloadText = `${workload.description}; ${ROUNDS} rounds, order rotated, median of per-round ratios`;
const ratio = (x: number) => Math.round(x * 1000) / 1000;
const spread = (r: { median: number; min: number; max: number }, rounds: number) => ({
  value: ratio(r.median),
  min: ratio(r.min),
  max: ratio(r.max),
  rounds,
});
const figures: Figure[] = [
  {
    name: "core.aggregate/sqlite",
    ...spread(columnsVsSqlite, ROUNDS),
    target: "<=0.5",
    reference:
      "better-sqlite3 12, in-memory, rows and indexes loaded before timing, 5 GROUP BY queries over " +
      "precomputed local_day and local_hour columns; core: aggregateVisitColumns over the typed columns",
    workload: workloadText,
  },
  {
    name: "core.aggregate/typed-loop",
    ...spread(columnsVsTyped, ROUNDS),
    target: "<=3",
    reference:
      "hand-written loop over pre-encoded Int32Array/Uint8Array columns (local day and hour precomputed, " +
      "codes numbered); core: aggregateVisitColumns over the same rows as VisitColumns/UseColumns (integer " +
      "day and hour, codes and languages numbered once, uses counted per visit), canonical day partials " +
      "with cell keys, visitor groups and who used each service included",
    workload: workloadText,
  },
  {
    name: "core.aggregate-rows/typed-loop",
    ...spread(rowsVsTyped, ROUNDS),
    target: null,
    reference:
      "the same from D1-shaped rows (integer day and hour, code hash, languages JSON text, uses counted per " +
      "visit with its id): numbering into columns and matching uses to visits included ÷ the typed loop",
    workload: workloadText,
  },
  {
    name: "core.aggregate-records/typed-loop",
    ...spread(recordsVsTyped, ROUNDS),
    target: null,
    reference:
      "aggregateVisitsByDay from the records (ISO instants read in the centre's zone) ÷ the typed loop",
    workload: workloadText,
  },
  {
    name: "core.visit-parse/json-parse",
    ...spread(zodVsJson, 7),
    target: "<=3",
    reference: "zod 4 Visit.parse of a parsed object vs JSON.parse of the same visit's JSON, per op",
    workload: "one visit with a code hash, two languages and an idempotency key; 7 rounds, order rotated",
  },
  {
    name: "core.aggregate.ms",
    value: ratio(median(times.columns)),
    target: null,
    reference: "aggregateVisitColumns over the typed columns (day partials), median ms",
    workload: workloadText,
  },
  {
    name: "core.aggregate-rows.ms",
    value: ratio(median(times.rows)),
    target: null,
    reference: "the same from D1-shaped rows, numbering included, median ms",
    workload: workloadText,
  },
  {
    name: "core.aggregate-records.ms",
    value: ratio(median(times.records)),
    target: null,
    reference: "aggregateVisitsByDay from the records, median ms",
    workload: workloadText,
  },
  {
    name: "core.aggregate.sqlite.ms",
    value: ratio(median(times.sqlite)),
    target: null,
    reference: "the SQLite baseline, median ms",
    workload: workloadText,
  },
  {
    name: "core.aggregate.typed-loop.ms",
    value: ratio(median(times.typed)),
    target: null,
    reference: "the typed-array baseline, median ms",
    workload: workloadText,
  },
  {
    name: "core.visit-parse.zod.ns",
    value: ratio(zodNs),
    target: null,
    reference: "Visit.parse, median ns/op",
    workload: "one visit",
  },
  {
    name: "core.visit-parse.json.ns",
    value: ratio(jsonNs),
    target: null,
    reference: "JSON.parse, median ns/op",
    workload: "one visit",
  },
];

console.log("\nFigures (median of per-round ratios, spread min–max):");
for (const f of figures) {
  const range = f.min === undefined ? "" : `  (${f.min}–${f.max})`;
  console.log(`  ${f.name.padEnd(34)} ${String(f.value).padStart(10)}${range}  ${f.target ?? ""}`);
}
recordFigures(figures);
console.log(`\nWritten to ${RESULTS_PATH}`);
