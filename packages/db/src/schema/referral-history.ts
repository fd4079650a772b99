import type { ReferralActor, ReferralStatus, ReferralTimelineEvent, StatusReason } from "@halte/core";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { referrals } from "./referrals.js";

export const referralHistory = sqliteTable(
  "referral_history",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    referralId: text("referral_id")
      .notNull()
      .references(() => referrals.id),
    /** A status change, or an event that leaves the status as it is (consent withdrawn, details erased). */
    event: text("event").$type<ReferralTimelineEvent>().notNull().default("status_changed"),
    fromStatus: text("from_status").$type<ReferralStatus>().notNull(),
    toStatus: text("to_status").$type<ReferralStatus>().notNull(),
    actor: text("actor").$type<ReferralActor>().notNull(),
    /** The user or token that made the change. */
    actorId: text("actor_id"),
    reason: text("reason").$type<StatusReason>(),
    note: text("note"),
    at: text("at").notNull(),
  },
  (t) => [
    // serves: a referral's status timeline in order
    index("referral_history_referral_idx").on(t.referralId, t.id),
  ],
);
