import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { partners } from "./partners.js";

/** Where a partner receives our events. A `410 Gone` answer disables it (`disabledReason: "gone"`). */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    url: text("url").notNull(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    createdBy: text("created_by"),
    disabledAt: text("disabled_at"),
    disabledReason: text("disabled_reason").$type<"gone" | "manual">(),
  },
  (t) => [
    // serves: the live endpoints of a partner when an event is sent to it, and the list route
    index("webhook_endpoints_partner_idx").on(t.partnerId, t.id),
  ],
);
