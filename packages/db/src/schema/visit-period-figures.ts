import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";

/**
 * One centre's figures for one complete local month, quarter or year, as reports across centres read them
 * (the figures database: `FIGURES`, else the directory; docs/scale.md). The partial is the centre's merged
 * partial for the period with its visitor-code prefixes folded into counts (core's
 * `anonymiseVisitorCodes`): two centres' visitors are never the same people (their codes are hashed with
 * different keys), so partials of different centres add up exactly, and no visitor-code prefix leaves the
 * centre's own database. Written by the nightly month merge once the period has ended.
 */
export const visitPeriodFigures = sqliteTable(
  "visit_period_figures",
  {
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    /** `month`, `quarter` or `year`. */
    grain: text("grain", { enum: ["month", "quarter", "year"] }).notNull(),
    /** The period's first local day, `YYYY-MM-DD`. */
    start: text("start").notNull(),
    /**
     * The period's partial without visitor-code prefixes and without its services' `people` (core's
     * `periodFiguresOf`): what a protected report reads.
     */
    aggregate: text("aggregate").notNull(),
    /** The rest of it, `{"services":{<id>:{"people":…}}}`: read only for callers who see raw figures. */
    servicePeople: text("service_people").notNull(),
    /**
     * The period's day-level figures (core's `DayFigures`: days with a partial, arrivals by weekday × hour,
     * each service's uses per day and who used it over the period — counts and cell keys, no visitor codes),
     * what the arrivals and services reports across centres read, as `serializeDayFigures` stores them (its
     * compact arrays since migration 0019; the earlier object form is still read); null for a period merged
     * before migration 0018 (those reports then read the centre's days for it).
     */
    dayFigures: text("day_figures"),
    /** How many day partials the period's partial was merged from. */
    days: integer("days").notNull(),
    /** When it was merged: reports say their past periods are "as of" this. */
    mergedAt: text("merged_at").notNull(),
  },
  // serves: a centre's periods of one grain in a range (reports across centres), and the upsert (the job)
  (t) => [primaryKey({ columns: [t.centreId, t.grain, t.start] })],
);
