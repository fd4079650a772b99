import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { partners } from "./partners.js";

/**
 * A partner's Standard Webhooks secrets. They must be usable to verify and to sign, so they cannot be
 * hashed: each is stored encrypted with AES-256-GCM under a key derived from the Worker secret
 * `WEBHOOK_SECRETS_KEY` (the row id and partner id as additional data, so a ciphertext cannot be moved to
 * another row). A database dump alone does not reveal them.
 */
export const webhookSecrets = sqliteTable(
  "webhook_secrets",
  {
    id: text("id").primaryKey(),
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    /** base64 of the 12-byte IV followed by the AES-GCM ciphertext of the `whsec_…` secret. */
    ciphertext: text("ciphertext").notNull(),
    createdAt: text("created_at").notNull(),
    createdBy: text("created_by"),
    /** Set when a newer secret replaces this one: both verify until then (the rotation overlap). */
    expiresAt: text("expires_at"),
    revokedAt: text("revoked_at"),
  },
  (t) => [
    // serves: the live secrets of a partner (verifying a delivery, signing one) and the list route
    index("webhook_secrets_partner_idx").on(t.partnerId, t.id),
  ],
);
