import { primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";

/**
 * One centre's counts for one local day: `@halte/core`'s mergeable partial, serialised canonically so a
 * re-roll of unchanged rows writes the same bytes. Weeks, months, quarters and years are merged from these.
 */
export const visitRollups = sqliteTable(
  "visit_rollups",
  {
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    localDay: text("local_day").notNull(),
    /** `serializeVisitAggregate` output. Holds visitor-code prefixes: the retention purge thins it. */
    aggregate: text("aggregate").notNull(),
  },
  // serves: a centre's days in a range (reports), and the upsert of one day (the job)
  (t) => [primaryKey({ columns: [t.centreId, t.localDay] })],
);
