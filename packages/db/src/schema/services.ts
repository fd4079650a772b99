import type { Schedule, ServiceCategory, ServiceStatus, ServiceTranslation } from "@halte/core";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { recordColumns } from "./columns.js";
import { partners } from "./partners.js";

export const services = sqliteTable(
  "services",
  {
    ...recordColumns,
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    organizationId: text("organization_id")
      .notNull()
      .references(() => partners.id),
    name: text("name").notNull(),
    description: text("description"),
    category: text("category").$type<ServiceCategory>().notNull(),
    status: text("status").$type<ServiceStatus>().notNull(),
    languages: text("languages", { mode: "json" }).$type<string[]>().notNull(),
    location: text("location"),
    schedule: text("schedule", { mode: "json" }).$type<Schedule>().notNull(),
    translations: text("translations", { mode: "json" })
      .$type<Record<string, ServiceTranslation>>()
      .notNull(),
    /** Reception hands out tickets for it (core `ticket.ts`). */
    ticketQueue: integer("ticket_queue", { mode: "boolean" }).notNull().default(false),
    archivedAt: text("archived_at"),
  },
  (t) => [
    // serves: list services of a centre (directory, admin), paginated by id
    index("services_centre_id_idx").on(t.centreId, t.id),
    // serves: which services a partner provides (network view, HSDS organisation export)
    index("services_organization_id_idx").on(t.organizationId),
  ],
);
