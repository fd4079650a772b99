import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { partners } from "./partners.js";
import { referrals } from "./referrals.js";

/** A partner saying "we have it" about a referral it pulled: one row per referral, the first time. */
export const referralAcknowledgements = sqliteTable(
  "referral_acknowledgements",
  {
    referralId: text("referral_id")
      .primaryKey()
      .references(() => referrals.id),
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    acknowledgedAt: text("acknowledged_at").notNull(),
    acknowledgedBy: text("acknowledged_by"),
  },
  (t) => [
    // serves: a partner's unacknowledged referrals (pull API filter)
    index("referral_acknowledgements_partner_idx").on(t.partnerId, t.referralId),
  ],
);
