import type { EventKind } from "@halte/core";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { recordColumns } from "./columns.js";

export const events = sqliteTable(
  "events",
  {
    ...recordColumns,
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    kind: text("kind").$type<EventKind>().notNull(),
    title: text("title").notNull(),
    description: text("description"),
    startsOn: text("starts_on").notNull(),
    endsOn: text("ends_on"),
    peopleConcerned: integer("people_concerned"),
    vulnerableConcerned: integer("vulnerable_concerned"),
    archivedAt: text("archived_at"),
  },
  (t) => [
    // serves: events of a centre within a date range (charts)
    index("events_centre_starts_on_idx").on(t.centreId, t.startsOn),
  ],
);
