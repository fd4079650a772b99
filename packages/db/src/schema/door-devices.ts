import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";

/**
 * A tablet or phone set up by a coordinator to record at the door of one centre, for as long as it is not
 * revoked: it keeps working through closed tabs and offline starts, where a staff session (one tab) would
 * not. Its credential is an HttpOnly cookie whose SHA-256 alone is stored here.
 */
export const doorDevices = sqliteTable(
  "door_devices",
  {
    id: text("id").primaryKey(),
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    name: text("name").notNull(),
    /** SHA-256 of the device cookie's value: a leaked table does not yield a usable credential. */
    secretHash: text("secret_hash").notNull(),
    /** Sent back in `x-csrf-token` on every write, as for staff sessions. */
    csrfToken: text("csrf_token").notNull(),
    /** HMAC-SHA-256 of the CSRF token keyed with the cookie's value, as for sessions (`sessions.csrf_hash`). */
    csrfHash: text("csrf_hash"),
    createdBy: text("created_by").notNull(),
    createdAt: text("created_at").notNull(),
    lastUsedAt: text("last_used_at"),
    revokedAt: text("revoked_at"),
  },
  (t) => [
    // serves: every request of a door device finds it by its cookie's hash
    uniqueIndex("door_devices_secret_hash_uq").on(t.secretHash),
    // serves: the users page lists a centre's devices
    index("door_devices_centre_idx").on(t.centreId),
  ],
);
