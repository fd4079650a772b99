import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { partners } from "./partners.js";
import { services } from "./services.js";

/** The latest capacity a partner reported for one of its services on a day ("no beds left tonight"). */
export const serviceCapacityReports = sqliteTable(
  "service_capacity_reports",
  {
    id: text("id").primaryKey(),
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    serviceId: text("service_id")
      .notNull()
      .references(() => services.id),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    /** The centre-local day the report is about. */
    day: text("day").notNull(),
    available: integer("available").notNull(),
    note: text("note"),
    /** When the partner saw the change: a report older than the stored one does not replace it. */
    occurredAt: text("occurred_at").notNull(),
    receivedAt: text("received_at").notNull(),
  },
  (t) => [
    // serves: a service's reported capacity on a day (one row per service and day, upserted)
    uniqueIndex("service_capacity_reports_service_day_uq").on(t.serviceId, t.day),
  ],
);
