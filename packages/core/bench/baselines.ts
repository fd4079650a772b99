import Database from "better-sqlite3";
import { bump, bumpService, emptyTotals, type Totals } from "./totals.js";
import {
  AGE_BANDS,
  CENTRE_ID,
  CODE_POOL_SIZE,
  GENDERS,
  LANGUAGES,
  SERVICES,
  SOURCES,
  type Workload,
} from "./workload.js";

// The two baselines of the aggregation benchmark (run.ts): SQLite GROUP BY queries and a hand-written loop.

// ---------------------------------------------------------------------------------------------------
// (b) better-sqlite3, in memory, rows inserted before timing

export function openDatabase(w: Workload): Database.Database {
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

export type SqlResult = Record<keyof typeof QUERIES, unknown[][]>;

export function runSqlite(db: Database.Database, w: Workload): SqlResult {
  const args = { centre: CENTRE_ID, from: w.dayKeys[0], to: w.dayKeys[w.dayKeys.length - 1] };
  const out = {} as SqlResult;
  for (const [name, sql] of Object.entries(QUERIES)) {
    out[name as keyof typeof QUERIES] = db.prepare(sql).raw().all(args) as unknown[][];
  }
  return out;
}

export function sqliteTotals(w: Workload, r: SqlResult): Totals {
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

export interface TypedResult {
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

export function runTyped(w: Workload): TypedResult {
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

export function typedTotals(w: Workload, r: TypedResult): Totals {
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
