import type { ReferralStatus, StatusReason } from "@halte/core";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { partners } from "./partners.js";

/**
 * What became of an inbound event: `applied` changed a record; `unchanged` said what was already known;
 * `superseded` came after a newer change (by `occurredAt`); `pending` could not apply yet (an illegal move
 * from the current status, answered 409) and is applied later if the missing steps arrive; `refused` asked
 * for a move a partner may never make (answered 409, never applied).
 */
export type InboundWebhookOutcome = "applied" | "unchanged" | "superseded" | "pending" | "refused";

/** Every verified message a partner sent, with the answer it got: a repeat of a `webhook-id` gets the same. */
export const inboundWebhooks = sqliteTable(
  "inbound_webhooks",
  {
    id: text("id").primaryKey(),
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    webhookId: text("webhook_id").notNull(),
    eventType: text("event_type").notNull(),
    /** For `referral.status_changed`: the referral and the change asked for. */
    referralId: text("referral_id"),
    toStatus: text("to_status").$type<ReferralStatus>(),
    reason: text("reason").$type<StatusReason>(),
    note: text("note"),
    partnerReference: text("partner_reference"),
    occurredAt: text("occurred_at").notNull(),
    outcome: text("outcome").$type<InboundWebhookOutcome>().notNull(),
    responseStatus: integer("response_status").notNull(),
    responseBody: text("response_body", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    receivedAt: text("received_at").notNull(),
  },
  (t) => [
    // serves: idempotency — a repeated webhook-id of a partner finds the first answer (and races lose)
    uniqueIndex("inbound_webhooks_partner_webhook_uq").on(t.partnerId, t.webhookId),
    // serves: the pending changes of a referral, in the order they happened, when a new one arrives
    index("inbound_webhooks_referral_outcome_idx").on(t.referralId, t.outcome, t.occurredAt),
  ],
);
