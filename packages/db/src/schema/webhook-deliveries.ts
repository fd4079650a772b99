import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { webhookEndpoints } from "./webhook-endpoints.js";

export type WebhookDeliveryStatus = "pending" | "delivered" | "failed" | "dead";

/**
 * One event for one endpoint; its id is the `webhook-id` every attempt carries, so a partner can
 * deduplicate. `payload` is the minimised event body (ids, statuses, need — never a contact detail).
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id),
    eventType: text("event_type").notNull(),
    referralId: text("referral_id"),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    status: text("status").$type<WebhookDeliveryStatus>().notNull(),
    attempts: integer("attempts").notNull(),
    createdAt: text("created_at").notNull(),
    lastAttemptAt: text("last_attempt_at"),
    deliveredAt: text("delivered_at"),
  },
  (t) => [
    // serves: an endpoint's deliveries, newest first (the delivery log)
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
  ],
);
