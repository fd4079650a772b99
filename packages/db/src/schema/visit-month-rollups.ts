import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";

/**
 * One centre's counts for one local month: its day partials (`visit_rollups`) merged once by the nightly
 * job, with their visitor-code prefixes, in the centre's own database. A report across centres reads them
 * for a quarter or year still in progress (unique visitors over several months need the codes), and the
 * nightly merge builds a quarter's or a year's figures (`visit_period_figures`) from them.
 */
export const visitMonthRollups = sqliteTable(
  "visit_month_rollups",
  {
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    /** `YYYY-MM`, the centre's local month. */
    month: text("month").notNull(),
    /** `serializeVisitAggregate` output of the merged days. Holds visitor-code prefixes until retention. */
    aggregate: text("aggregate").notNull(),
    /**
     * The month's day-level figures (core's `dayFiguresOf`: days with a partial, arrivals by weekday × hour,
     * each service's uses per day and who used it — counts and cell keys, no visitor codes), for the arrivals
     * and services reports across centres, as `serializeDayFigures` stores them (its compact arrays since
     * migration 0019; the earlier object form is still read); null for a month merged before migration 0018.
     */
    dayFigures: text("day_figures"),
    /** How many day partials were merged. */
    days: integer("days").notNull(),
    /** When it was merged: reports say their past months are "as of" this. */
    mergedAt: text("merged_at").notNull(),
  },
  // serves: a centre's months in a range (reports across centres), and the upsert of one month (the job)
  (t) => [primaryKey({ columns: [t.centreId, t.month] })],
);
