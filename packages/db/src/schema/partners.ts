import type { PartnerRole } from "@halte/core";
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { recordColumns } from "./columns.js";

export const partners = sqliteTable(
  "partners",
  {
    ...recordColumns,
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    name: text("name").notNull(),
    roles: text("roles", { mode: "json" }).$type<PartnerRole[]>().notNull(),
    description: text("description"),
    website: text("website"),
    email: text("email"),
    phone: text("phone"),
    archivedAt: text("archived_at"),
  },
  (t) => [
    // serves: list partners of a centre, paginated by id
    index("partners_centre_id_idx").on(t.centreId, t.id),
  ],
);
