import { and, asc, eq, gte, isNotNull, lte, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { centres } from "../schema/centres.js";
import { visitMonthRollups } from "../schema/visit-month-rollups.js";

/** A centre's stored month partial. */
export type MonthRollup = typeof visitMonthRollups.$inferSelect;

/** The statement writing one month's merged partial, replacing what was there. */
export function upsertMonthRollup(db: Db, row: MonthRollup) {
  const { centreId: _c, month: _m, ...set } = row;
  return db
    .insert(visitMonthRollups)
    .values(row)
    .onConflictDoUpdate({ target: [visitMonthRollups.centreId, visitMonthRollups.month], set });
}

/** A centre's stored month partials from `fromMonth` to `toMonth` (`YYYY-MM`, inclusive), in month order. */
export async function monthRollupsBetween(
  db: Db,
  centreId: string,
  fromMonth: string,
  toMonth: string,
): Promise<MonthRollup[]> {
  return db
    .select()
    .from(visitMonthRollups)
    .where(
      and(
        eq(visitMonthRollups.centreId, centreId),
        gte(visitMonthRollups.month, fromMonth),
        lte(visitMonthRollups.month, toMonth),
      ),
    )
    .orderBy(asc(visitMonthRollups.month));
}

/**
 * A centre's stored day-level figures of the months from `fromMonth` to `toMonth` (`YYYY-MM`, inclusive), in
 * order, without the month's partial (and its visitor codes): what the arrivals and services reports across
 * centres read for the months of a period in progress. Months merged before the column existed are left out.
 */
export async function monthDayFiguresBetween(
  db: Db,
  centreId: string,
  fromMonth: string,
  toMonth: string,
): Promise<{ month: string; dayFigures: string; mergedAt: string }[]> {
  const t = visitMonthRollups;
  const rows = await db
    .select({ month: t.month, dayFigures: t.dayFigures, mergedAt: t.mergedAt })
    .from(t)
    .where(
      and(eq(t.centreId, centreId), gte(t.month, fromMonth), lte(t.month, toMonth), isNotNull(t.dayFigures)),
    )
    .orderBy(asc(t.month));
  return rows.flatMap((row) => (row.dayFigures === null ? [] : [{ ...row, dayFigures: row.dayFigures }]));
}

/**
 * A centre's month partials that still hold visitor-code prefixes although the month ended before the
 * centre's retention cutoff at `now`: their day partials are (or are being) anonymised by the purge, so
 * they must be merged again from them.
 */
export async function monthsPastRetentionWithCodes(db: Db, centreId: string, now: string): Promise<string[]> {
  const cutoff = sql`date(${now}, '-' || (SELECT ${centres.retentionMonths} FROM ${centres} WHERE ${centres.id} = ${centreId}) || ' months')`;
  const rows = await db
    .select({ month: visitMonthRollups.month })
    .from(visitMonthRollups)
    .where(
      and(
        eq(visitMonthRollups.centreId, centreId),
        sql`json_array_length(${visitMonthRollups.aggregate}, '$.visitorCodes') > 0`,
        sql`date(${visitMonthRollups.month} || '-01', '+1 month') <= ${cutoff}`,
      ),
    );
  return rows.map((row) => row.month);
}
