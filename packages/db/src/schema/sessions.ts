import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./users.js";

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 of the session cookie's value: a leaked table does not yield usable cookies. */
    idHash: text("id_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    csrfToken: text("csrf_token").notNull(),
    /**
     * HMAC-SHA-256 of the CSRF token keyed with the cookie's value (hex): the door's folded write compares
     * this keyed hash in SQL, never the plain token. Null on sessions older than the column; the first door
     * write through the ordinary path fills it in.
     */
    csrfHash: text("csrf_hash"),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    revokedAt: text("revoked_at"),
  },
  (t) => [
    // serves: revoke every session of a user (password change, disable)
    index("sessions_user_idx").on(t.userId),
    // serves: the purge of expired sessions
    index("sessions_expires_at_idx").on(t.expiresAt),
  ],
);
