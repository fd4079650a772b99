import {
  addUseGroup,
  aggregateVisitColumns,
  daysBetween,
  emptyVisitAggregate,
  type LocalDate,
  UseColumns,
  VisitColumns,
  zonedDateTime,
} from "@halte/core";
import {
  activeCentreIds,
  type ChangedDay,
  changedDays,
  type Db,
  frozenDays,
  getCentre,
  insertJobRun,
  type RollupRows,
  rowsOfDays,
  setLocalHours,
  setWatermark,
  upsertRollup,
  watermarkOf,
} from "@halte/db";
import type { Databases } from "../databases.js";
import { type JobErrorKind, jobErrorKind, recordFailedRun } from "./runs.js";

/** The incremental roll-up's name in `job_watermarks` and `job_runs`. */
export const ROLLUP_JOB = "visit-rollup";

/**
 * Rows written in the last minute wait for the next run: a write stamped just before the run's upper bound
 * but committed just after it would otherwise be passed over for good.
 */
export const SETTLE_MS = 60_000;

/** Days written per D1 batch: small enough for D1's limits, large enough to keep round trips few. */
const DAYS_PER_BATCH = 20;

export interface RollupOptions {
  /** The database of the centre's rows, partials and watermark (the directory on a single-database install). */
  db: Db;
  /** Where `job_runs` rows go: the directory (default: `db`, a single-database install). */
  directory?: Db;
  now: Date;
  newId: () => string;
  /** Called after each batch of days is written: tests stop a run half way by throwing here. */
  afterBatch?: (daysWritten: number) => void;
}

export interface RollupRun {
  watermarkFrom: string;
  watermarkTo: string;
  daysRolled: number;
  rowsRead: number;
  durationMs: number;
}

const EPOCH = "1970-01-01";

/**
 * The partials of some local days of one centre, canonically serialised (same rows → same bytes), from
 * their rows read as columns (`rowsOfDays`): the stored day and hour of each visit, its code and language
 * list numbered once, the uses counted per (day, service, source, visit) by D1. A use counts under its
 * visit's age band, gender and languages when the visit is filed under the same day. A visit stored
 * without a local hour (before migration 0006) gets it from its instant in the centre's zone; those hours
 * are returned so the caller writes them back. A day without rows gets the empty partial.
 */
export function partialsOfDays(
  rows: RollupRows,
  localDays: readonly LocalDate[],
  timeZone: string,
): { partials: Map<LocalDate, string>; hours: Map<string, number> } {
  const visits = new VisitColumns();
  const indexOf = new Map<string, number>();
  const hours = new Map<string, number>();
  for (const row of rows.visits) {
    let hour = row.hour;
    if (hour === null) {
      hour = zonedDateTime(row.arrivedAt ?? "", timeZone).hour;
      hours.set(row.id, hour);
    }
    const index = visits.add({
      day: row.day,
      hour,
      ageBand: row.ageBand,
      gender: row.gender,
      firstVisit: row.firstVisit,
      visitorCodeHash: row.visitorCodeHash,
      languages: row.languages,
      recordKey: row.recordKey,
    });
    indexOf.set(row.id, index);
  }
  const uses = new UseColumns();
  for (const group of rows.useGroups) addUseGroup(uses, visits, indexOf, group);
  const byDay = aggregateVisitColumns(visits, uses);
  const partials = new Map<LocalDate, string>();
  for (const localDay of localDays) {
    const partial = byDay.get(daysBetween(EPOCH, localDay));
    // Straight from the canonical finish(): serialising it again would give the same bytes.
    partials.set(localDay, JSON.stringify(partial ?? emptyVisitAggregate()));
  }
  return { partials, hours };
}

/** The days' local days, by centre, in the order the centres first appear. */
function byCentre(days: readonly ChangedDay[]): Map<string, LocalDate[]> {
  const grouped = new Map<string, LocalDate[]>();
  for (const day of days) {
    const ofCentre = grouped.get(day.centreId);
    if (ofCentre) ofCentre.push(day.localDay);
    else grouped.set(day.centreId, [day.localDay]);
  }
  return grouped;
}

/** What {@link rollDays} did. */
export interface RolledDays {
  /** Days re-rolled from their rows and written. */
  daysRolled: number;
  /** Days left as they were: past the centre's retention, with a stored partial (see `frozenDays`). */
  daysFrozen: number;
  rowsRead: number;
}

/**
 * Re-rolls the given days of their centres and writes them in batches. Days past their centre's retention
 * that already have a partial are left as they were: the visitor codes that made them exact are purged.
 */
export async function rollDays(options: RollupOptions, days: readonly ChangedDay[]): Promise<RolledDays> {
  const { db, now } = options;
  const timeZones = new Map<string, string>();
  const frozen = new Set<string>();
  for (const [centreId, localDays] of byCentre(days)) {
    // The directory's row: the centre's time zone and retention as the API serves them.
    const centre = await getCentre(options.directory ?? db, centreId);
    timeZones.set(centreId, centre?.openingHours.timeZone ?? "UTC");
    // Only days near or past the retention cutoff can be frozen; the nightly run's recent days skip the
    // query. Three days of margin cover any difference with SQLite's month arithmetic.
    const nearCutoff = new Date(now);
    nearCutoff.setUTCMonth(nearCutoff.getUTCMonth() - (centre?.retentionMonths ?? 0));
    nearCutoff.setUTCDate(nearCutoff.getUTCDate() + 3);
    const candidates = localDays.filter((day) => day < nearCutoff.toISOString().slice(0, 10));
    for (const day of await frozenDays(db, centreId, candidates, now.toISOString())) {
      frozen.add(`${centreId}\u0000${day}`);
    }
  }
  const toRoll = days.filter((day) => !frozen.has(`${day.centreId}\u0000${day.localDay}`));
  let rowsRead = 0;
  let written = 0;
  for (let i = 0; i < toRoll.length; i += DAYS_PER_BATCH) {
    const chunk = toRoll.slice(i, i + DAYS_PER_BATCH);
    const statements = [];
    // Changed days come sorted by centre: a chunk is one read per centre it touches.
    for (const [centreId, localDays] of byCentre(chunk)) {
      const rows = await rowsOfDays(db, centreId, localDays);
      rowsRead += rows.rows;
      const { partials, hours } = partialsOfDays(rows, localDays, timeZones.get(centreId) ?? "UTC");
      for (const [localDay, partial] of partials)
        statements.push(upsertRollup(db, centreId, localDay, partial));
      // Old rows get their hour once, in the same batch as the partials built from it.
      statements.push(...setLocalHours(db, hours));
    }
    const [first, ...rest] = statements;
    if (first) await db.batch([first, ...rest]);
    written += chunk.length;
    options.afterBatch?.(written);
  }
  return { daysRolled: toRoll.length, daysFrozen: frozen.size, rowsRead };
}

/** A centre's own watermark in `job_watermarks`: `visit-rollup:<centreId>`. */
export function rollupWatermarkOf(centreId: string): string {
  return `${ROLLUP_JOB}:${centreId}`;
}

/**
 * The incremental roll-up of one centre: re-rolls each of its days with a row written since the centre's
 * watermark, then moves the watermark and records the run (with the centre's id) in one batch. Re-rolling a
 * day recomputes it from all its rows, so a run repeated, or killed half way and run again, writes
 * byte-identical partials; missed runs are caught up by the next one, since the watermark only moves when a
 * run finishes. A centre without a watermark of its own starts from the all-centre one the job used before
 * it fanned out per centre. A failure throws: the caller (the job queue's consumer) records and retries it.
 * `db` is the centre's database (rows, partials, watermark); the run's `job_runs` row goes to `directory`.
 */
export async function runRollup(options: RollupOptions & { centreId: string }): Promise<RollupRun> {
  const { db, now, centreId } = options;
  const started = Date.now();
  const watermarkFrom = await watermarkOf(db, rollupWatermarkOf(centreId), ROLLUP_JOB);
  const upper = new Date(now.getTime() - SETTLE_MS).toISOString();
  // Never backwards: a clock that jumps back must not re-open a window already rolled.
  const watermarkTo = upper.localeCompare(watermarkFrom) > 0 ? upper : watermarkFrom;
  const days = watermarkTo > watermarkFrom ? await changedDays(db, watermarkFrom, watermarkTo, centreId) : [];
  const { daysRolled, rowsRead } = await rollDays(options, days);
  const run = {
    watermarkFrom,
    watermarkTo,
    daysRolled,
    rowsRead,
    durationMs: Date.now() - started,
  };
  const directory = options.directory ?? db;
  const mark = setWatermark(db, rollupWatermarkOf(centreId), watermarkTo);
  const record = insertJobRun(directory, {
    id: options.newId(),
    job: ROLLUP_JOB,
    centreId,
    startedAt: now.toISOString(),
    finishedAt: new Date(now.getTime() + run.durationMs).toISOString(),
    ...run,
  });
  if (directory === db) {
    await db.batch([mark, record]);
  } else {
    // Two databases, two writes: the watermark moves with the centre's partials first; the record of the
    // run follows in the directory. Should that second write fail, the run is retried and, starting from
    // the moved watermark, re-rolls nothing and records itself: a lost record, never a lost day.
    await db.batch([mark]);
    await record;
  }
  return run;
}

/** One centre's outcome in {@link runRollupEverywhere}. */
export type CentreRollup =
  | ({ centreId: string; status: "succeeded" } & RollupRun)
  | { centreId: string; status: "failed"; errorKind: JobErrorKind };

/**
 * The roll-up of every centre not archived, one after the other in this invocation (the admin's "run it
 * now", the demo's timer, and the cron when no job queue is bound). A centre that fails is recorded as a
 * failed run and the next centre goes on: one centre never stops the others. The centres are listed from
 * the directory and each is rolled up in its own database (`dbs.dbFor`).
 */
export async function runRollupEverywhere(
  options: Omit<RollupOptions, "db" | "directory"> & { dbs: Databases },
): Promise<{ centres: CentreRollup[] } & RollupRun> {
  const started = Date.now();
  const centres: CentreRollup[] = [];
  const { dbs, ...rest } = options;
  const directory = dbs.directory;
  for (const centreId of await activeCentreIds(directory)) {
    try {
      // Inside the try: a centre whose database is missing or failing fails alone.
      const db = await dbs.dbFor(centreId);
      centres.push({
        centreId,
        status: "succeeded",
        ...(await runRollup({ ...rest, db, directory, centreId })),
      });
    } catch (error) {
      const errorKind = jobErrorKind(error);
      await recordFailedRun(directory, {
        id: options.newId(),
        job: ROLLUP_JOB,
        centreId,
        at: options.now,
        errorKind,
        status: "failed",
      });
      centres.push({ centreId, status: "failed", errorKind });
    }
  }
  const succeeded = centres.filter((run) => run.status === "succeeded");
  const upper = new Date(options.now.getTime() - SETTLE_MS).toISOString();
  return {
    centres,
    watermarkFrom: succeeded.map((run) => run.watermarkFrom).sort()[0] ?? upper,
    watermarkTo:
      succeeded
        .map((run) => run.watermarkTo)
        .sort()
        .at(-1) ?? upper,
    daysRolled: succeeded.reduce((sum, run) => sum + run.daysRolled, 0),
    rowsRead: succeeded.reduce((sum, run) => sum + run.rowsRead, 0),
    durationMs: Date.now() - started,
  };
}
