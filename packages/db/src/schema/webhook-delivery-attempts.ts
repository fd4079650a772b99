import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { webhookDeliveries } from "./webhook-deliveries.js";

/** One try at delivering an event: when, what came back, how long it took. No payload, no personal data. */
export const webhookDeliveryAttempts = sqliteTable(
  "webhook_delivery_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id),
    endpointId: text("endpoint_id").notNull(),
    attempt: integer("attempt").notNull(),
    at: text("at").notNull(),
    /** The HTTP status, or null when no answer came (network error, timeout). */
    responseStatus: integer("response_status"),
    latencyMs: integer("latency_ms").notNull(),
    /** A short code for a failure without an answer (`timeout`, `network`), never a response body. */
    error: text("error"),
  },
  (t) => [
    // serves: the attempts of one delivery, in order (the delivery log's detail)
    index("webhook_delivery_attempts_delivery_idx").on(t.deliveryId, t.id),
  ],
);
