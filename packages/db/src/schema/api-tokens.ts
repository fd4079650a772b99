import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { partners } from "./partners.js";

export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    // unique: a presented token is found by its SHA-256
    tokenHash: text("token_hash").notNull().unique(),
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    name: text("name").notNull(),
    createdAt: text("created_at").notNull(),
    createdBy: text("created_by"),
    expiresAt: text("expires_at"),
    lastUsedAt: text("last_used_at"),
    revokedAt: text("revoked_at"),
  },
  (t) => [
    // serves: list a partner's tokens
    index("api_tokens_partner_idx").on(t.partnerId),
  ],
);
