import type { LocalDate, ServiceUseSource } from "@halte/core";
import { and, asc, count, desc, eq, gt, gte, inArray, isNull, lte, sql, sum } from "drizzle-orm";
import type { Db } from "../client.js";
import { centres } from "../schema/centres.js";
import { jobRuns, jobWatermarks } from "../schema/job-runs.js";
import { serviceUses } from "../schema/service-uses.js";
import { visitRollups } from "../schema/visit-rollups.js";
import { visits } from "../schema/visits.js";

/** A centre's local day whose rows changed. */
export interface ChangedDay {
  centreId: string;
  localDay: LocalDate;
}

/**
 * The centre-days with a visit or a service use written in `(from, to]` (by `updated_at`): what an
 * incremental roll-up must re-roll. Late rows (an offline tablet's backlog, a partner's report of last
 * week) are found by when they were written, and name the day they belong to. With `centreId`, that
 * centre's only (a per-centre job run).
 */
export async function changedDays(
  db: Db,
  from: string,
  to: string,
  centreId?: string,
): Promise<ChangedDay[]> {
  const [visitDays, useDays] = await db.batch([
    db
      .selectDistinct({ centreId: visits.centreId, localDay: visits.localDay })
      .from(visits)
      .where(
        and(
          gt(visits.updatedAt, from),
          lte(visits.updatedAt, to),
          centreId === undefined ? undefined : eq(visits.centreId, centreId),
        ),
      ),
    db
      .selectDistinct({ centreId: serviceUses.centreId, localDay: serviceUses.localDay })
      .from(serviceUses)
      .where(
        and(
          gt(serviceUses.updatedAt, from),
          lte(serviceUses.updatedAt, to),
          centreId === undefined ? undefined : eq(serviceUses.centreId, centreId),
        ),
      ),
  ]);
  const seen = new Map<string, ChangedDay>();
  for (const day of [...visitDays, ...useDays]) seen.set(`${day.centreId}\u0000${day.localDay}`, day);
  return [...seen.values()].sort((a, b) =>
    a.centreId === b.centreId ? a.localDay.localeCompare(b.localDay) : a.centreId.localeCompare(b.centreId),
  );
}

/**
 * One visit as the columnar roll-up reads it: the local day as a day number and the local hour as stored,
 * the languages as their stored JSON text (parsed once per distinct list, not per row).
 */
export interface RollupVisitRow {
  id: string;
  /** The local day, as days since 1970-01-01. */
  day: number;
  /** The local hour 0–23; null for a row written before `local_hour` existed. */
  hour: number | null;
  /** The arrival instant, given only when `hour` is null, so that the hour can be computed. */
  arrivedAt: string | null;
  ageBand: string | null;
  gender: string | null;
  firstVisit: boolean | null;
  visitorCodeHash: string | null;
  languages: string;
  recordKey: number;
}

/** Service uses of one local day, service, source and visit (or none), counted in the database. */
export interface RollupUseGroup {
  /** The local day, as days since 1970-01-01. */
  day: number;
  serviceId: string;
  source: ServiceUseSource;
  visitId: string | null;
  uses: number;
  quantity: number;
  /** The sum of the uses' record keys modulo 2³²: their cell key. */
  key: number;
}

/** What the partials of some local days are built from. */
export interface RollupRows {
  visits: RollupVisitRow[];
  /** Every use of those days, counted per (day, service, source, visit). */
  useGroups: RollupUseGroup[];
  /** Visits plus service uses read. */
  rows: number;
}

// julianday('1970-01-01') is 2440587.5: a stored `YYYY-MM-DD` becomes its day number in SQL.
const dayNumber = (column: typeof visits.localDay | typeof serviceUses.localDay) =>
  sql<number>`CAST(julianday(${column}) - 2440587.5 AS INTEGER)`.mapWith(Number);

/**
 * The rows of several local days of one centre in one round trip, shaped for the columnar roll-up
 * (`aggregateVisitColumns` in @halte/core): the visits with integer day and hour (voided visits and uses left out), and the service uses
 * already counted per (day, service, source, visit) — a partial keeps only those counts, so the use rows
 * need not cross to the Worker. At most 90 days (D1's 100 bound parameters).
 */
export async function rowsOfDays(
  db: Db,
  centreId: string,
  localDays: readonly LocalDate[],
): Promise<RollupRows> {
  if (localDays.length === 0) return { visits: [], useGroups: [], rows: 0 };
  if (localDays.length > 90) throw new RangeError("rowsOfDays reads at most 90 days at a time");
  const [visitRows, useGroups] = await db.batch([
    db
      .select({
        id: visits.id,
        day: dayNumber(visits.localDay),
        hour: visits.localHour,
        arrivedAt: sql<string | null>`CASE WHEN ${visits.localHour} IS NULL THEN ${visits.arrivedAt} END`,
        ageBand: sql<string | null>`${visits.ageBand}`,
        gender: sql<string | null>`${visits.gender}`,
        firstVisit: visits.firstVisit,
        visitorCodeHash: visits.visitorCodeHash,
        languages: sql<string>`${visits.languages}`,
        recordKey: visits.recordKey,
      })
      .from(visits)
      .where(
        and(eq(visits.centreId, centreId), inArray(visits.localDay, [...localDays]), isNull(visits.voidedAt)),
      ),
    db
      .select({
        day: dayNumber(serviceUses.localDay),
        serviceId: serviceUses.serviceId,
        source: serviceUses.source,
        visitId: serviceUses.visitId,
        uses: count(),
        quantity: sum(serviceUses.quantity).mapWith(Number),
        key: sql<number>`sum(${serviceUses.recordKey}) % 4294967296`.mapWith(Number),
      })
      .from(serviceUses)
      .where(
        and(
          eq(serviceUses.centreId, centreId),
          inArray(serviceUses.localDay, [...localDays]),
          isNull(serviceUses.voidedAt),
        ),
      )
      .groupBy(serviceUses.localDay, serviceUses.serviceId, serviceUses.source, serviceUses.visitId),
  ]);
  let rows = visitRows.length;
  for (const group of useGroups) rows += group.uses;
  return { visits: visitRows, useGroups, rows };
}

/**
 * Statements writing the local hour of visits stored without one (before migration 0006): one `UPDATE`
 * per hour and chunk of ids, under D1's bound-parameter limit. `updated_at` is left alone, so the rows do
 * not count as changed for the incremental roll-up.
 */
export function setLocalHours(db: Db, hours: ReadonlyMap<string, number>) {
  const byHour = new Map<number, string[]>();
  for (const [id, hour] of hours) {
    const ids = byHour.get(hour);
    if (ids) ids.push(id);
    else byHour.set(hour, [id]);
  }
  const statements = [];
  for (const [hour, ids] of byHour) {
    for (let i = 0; i < ids.length; i += 98) {
      statements.push(
        db
          .update(visits)
          .set({ localHour: hour })
          .where(and(inArray(visits.id, ids.slice(i, i + 98)), isNull(visits.localHour))),
      );
    }
  }
  return statements;
}

/** The statement writing one day's serialised partial, replacing what was there. */
export function upsertRollup(db: Db, centreId: string, localDay: LocalDate, aggregate: string) {
  return db
    .insert(visitRollups)
    .values({ centreId, localDay, aggregate })
    .onConflictDoUpdate({ target: [visitRollups.centreId, visitRollups.localDay], set: { aggregate } });
}

/** A centre's stored day partials from `from` to `to` (local days, inclusive), in day order. */
export async function rollupsBetween(
  db: Db,
  centreId: string,
  from: LocalDate,
  to: LocalDate,
): Promise<{ localDay: LocalDate; aggregate: string }[]> {
  return db
    .select({ localDay: visitRollups.localDay, aggregate: visitRollups.aggregate })
    .from(visitRollups)
    .where(
      and(
        eq(visitRollups.centreId, centreId),
        gte(visitRollups.localDay, from),
        lte(visitRollups.localDay, to),
      ),
    )
    .orderBy(asc(visitRollups.localDay));
}

/**
 * Where a job got to; else where `fallbackJob` got to (a per-centre job carrying on from the all-centre
 * job it replaced); the start of time for a job that never ran.
 */
export async function watermarkOf(db: Db, job: string, fallbackJob?: string): Promise<string> {
  const jobs = fallbackJob === undefined ? [job] : [job, fallbackJob];
  const rows = await db.select().from(jobWatermarks).where(inArray(jobWatermarks.job, jobs));
  const own = rows.find((row) => row.job === job) ?? rows.find((row) => row.job === fallbackJob);
  return own?.watermark ?? "1970-01-01T00:00:00.000Z";
}

/** The ids of the centres not archived, in id order: the per-centre jobs' fan-out. */
export async function activeCentreIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: centres.id })
    .from(centres)
    .where(isNull(centres.archivedAt))
    .orderBy(asc(centres.id));
  return rows.map((row) => row.id);
}

/** Every centre (archived ones included) with the binding of its database, in id order: what the admin's purge walks. */
export async function centreBindings(db: Db): Promise<{ id: string; binding: string }[]> {
  return db.select({ id: centres.id, binding: centres.d1Binding }).from(centres).orderBy(asc(centres.id));
}

/** The statement moving a job's watermark. */
export function setWatermark(db: Db, job: string, watermark: string) {
  return db
    .insert(jobWatermarks)
    .values({ job, watermark })
    .onConflictDoUpdate({ target: jobWatermarks.job, set: { watermark } });
}

export type JobRun = typeof jobRuns.$inferSelect;

/** The statement recording one run of a job. */
export function insertJobRun(db: Db, run: typeof jobRuns.$inferInsert) {
  return db.insert(jobRuns).values(run);
}

/** The latest runs of a job, newest first. */
export async function lastJobRuns(db: Db, job: string, limit: number): Promise<JobRun[]> {
  return db.select().from(jobRuns).where(eq(jobRuns.job, job)).orderBy(desc(jobRuns.startedAt)).limit(limit);
}

/**
 * The local days of one centre between `from` and `to` (inclusive) that have rows or a stored partial:
 * what a rebuild of that span must re-roll (a day whose rows are all gone is rolled to an empty partial).
 */
export async function daysToRebuild(
  db: Db,
  centreId: string,
  from: LocalDate,
  to: LocalDate,
): Promise<ChangedDay[]> {
  const [visitDays, useDays, stored] = await db.batch([
    db
      .selectDistinct({ localDay: visits.localDay })
      .from(visits)
      .where(and(eq(visits.centreId, centreId), gte(visits.localDay, from), lte(visits.localDay, to))),
    db
      .selectDistinct({ localDay: serviceUses.localDay })
      .from(serviceUses)
      .where(
        and(
          eq(serviceUses.centreId, centreId),
          gte(serviceUses.localDay, from),
          lte(serviceUses.localDay, to),
        ),
      ),
    db
      .select({ localDay: visitRollups.localDay })
      .from(visitRollups)
      .where(
        and(
          eq(visitRollups.centreId, centreId),
          gte(visitRollups.localDay, from),
          lte(visitRollups.localDay, to),
        ),
      ),
  ]);
  const days = new Set([...visitDays, ...useDays, ...stored].map((row) => row.localDay));
  return [...days].sort().map((localDay) => ({ centreId, localDay }));
}

/**
 * Of the given local days of one centre, those that are past the centre's retention at `now` (the day ended
 * more than `retention_months` before) and already have a stored partial. Their partials are frozen: the
 * retention purge has cleared, or will clear, the visitor codes that made them exact, so re-rolling them from
 * the rows would lose unique visitors. Same cutoff as the purge (SQLite's date arithmetic).
 */
export async function frozenDays(
  db: Db,
  centreId: string,
  days: readonly LocalDate[],
  now: string,
): Promise<Set<string>> {
  if (days.length === 0) return new Set();
  const cutoff = sql`date(${now}, '-' || (SELECT ${centres.retentionMonths} FROM ${centres} WHERE ${centres.id} = ${centreId}) || ' months')`;
  const frozen = new Set<string>();
  // Under D1's 100 bound parameters per statement.
  for (let i = 0; i < days.length; i += 90) {
    const rows = await db
      .select({ localDay: visitRollups.localDay })
      .from(visitRollups)
      .where(
        and(
          eq(visitRollups.centreId, centreId),
          inArray(visitRollups.localDay, days.slice(i, i + 90)),
          sql`${visitRollups.localDay} < ${cutoff}`,
        ),
      );
    for (const row of rows) frozen.add(row.localDay);
  }
  return frozen;
}
