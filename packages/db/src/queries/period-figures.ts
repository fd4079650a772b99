import { and, asc, eq, gte, isNotNull, lte, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { visitPeriodFigures } from "../schema/visit-period-figures.js";

/** A centre's stored figures for one complete month, quarter or year (no visitor-code prefixes). */
export type PeriodFigures = typeof visitPeriodFigures.$inferSelect;

/** A grain of stored figures. */
export type FiguresGrain = PeriodFigures["grain"];

/** The statement writing one period's figures, replacing what was there. */
export function upsertPeriodFigures(db: Db, row: PeriodFigures) {
  const { centreId: _c, grain: _g, start: _s, ...set } = row;
  return db
    .insert(visitPeriodFigures)
    .values(row)
    .onConflictDoUpdate({
      target: [visitPeriodFigures.centreId, visitPeriodFigures.grain, visitPeriodFigures.start],
      set,
    });
}

/**
 * A centre's stored figures of one grain whose periods start from `fromStart` to `toStart` (local days,
 * inclusive), in order. `servicePeople` is read only when asked for (it is most of a row's bytes); it is
 * null otherwise.
 */
export async function periodFiguresBetween(
  db: Db,
  centreId: string,
  grain: FiguresGrain,
  range: { fromStart: string; toStart: string; withServicePeople: boolean },
): Promise<(Omit<PeriodFigures, "servicePeople" | "dayFigures"> & { servicePeople: string | null })[]> {
  const { fromStart, toStart } = range;
  const t = visitPeriodFigures;
  return db
    .select({
      centreId: t.centreId,
      grain: t.grain,
      start: t.start,
      aggregate: t.aggregate,
      servicePeople: range.withServicePeople ? t.servicePeople : sql<null>`NULL`,
      days: t.days,
      mergedAt: t.mergedAt,
    })
    .from(visitPeriodFigures)
    .where(
      and(
        eq(visitPeriodFigures.centreId, centreId),
        eq(visitPeriodFigures.grain, grain),
        gte(visitPeriodFigures.start, fromStart),
        lte(visitPeriodFigures.start, toStart),
      ),
    )
    .orderBy(asc(visitPeriodFigures.start));
}

/**
 * A centre's stored day-level figures of one grain whose periods start from `fromStart` to `toStart` (local
 * days, inclusive), in order: what the arrivals and services reports across centres read (never the merged
 * partial). Periods merged before the column existed are left out.
 */
export async function periodDayFiguresBetween(
  db: Db,
  centreId: string,
  grain: FiguresGrain,
  range: { fromStart: string; toStart: string },
): Promise<{ start: string; dayFigures: string; mergedAt: string }[]> {
  const t = visitPeriodFigures;
  const rows = await db
    .select({ start: t.start, dayFigures: t.dayFigures, mergedAt: t.mergedAt })
    .from(t)
    .where(
      and(
        eq(t.centreId, centreId),
        eq(t.grain, grain),
        gte(t.start, range.fromStart),
        lte(t.start, range.toStart),
        isNotNull(t.dayFigures),
      ),
    )
    .orderBy(asc(t.start));
  return rows.flatMap((row) => (row.dayFigures === null ? [] : [{ ...row, dayFigures: row.dayFigures }]));
}
