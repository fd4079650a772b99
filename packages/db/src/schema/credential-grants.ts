import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * In a centre's own database (one database per centre, docs/scale.md): a caller the directory found live and
 * allowed to record there — a door device, a staff session, a partner's webhook secret — so that its next door
 * write (or signed report) is checked by the write itself, in that one database, in one round trip. Written by
 * the ordinary path's write after the directory was read; deleted (and fenced) before any revocation or
 * change of the caller is written to the directory (`credential_fences`). Never holds a secret: only hashes.
 */
export const credentialGrants = sqliteTable(
  "credential_grants",
  {
    /**
     * What the write matches: the SHA-256 of a session's or device's cookie, or a webhook secret's id for a
     * partner's signed reports.
     */
    credentialHash: text("credential_hash").primaryKey(),
    /** `user` (a staff session), `door` (a door device) or `webhook` (a partner's secret). */
    kind: text("kind", { enum: ["user", "door", "webhook"] }).notNull(),
    /** Who writes: the user, the device or the partner — the recorder and the audit actor of the write. */
    actorId: text("actor_id").notNull(),
    centreId: text("centre_id").notNull(),
    /**
     * The second factor the write compares: the keyed hash of the CSRF token (sessions and devices), or the
     * SHA-256 of the secret's stored ciphertext (a re-issued secret under the same id does not match).
     */
    proofHash: text("proof_hash").notNull(),
    /** The session's or secret's expiry as the directory had it; null: none (a device, a secret not rotated). */
    expiresAt: text("expires_at"),
    /** When the directory read that found the caller live began (the fence compares it). */
    checkedAt: text("checked_at").notNull(),
  },
  (t) => [
    // serves: the fence's delete of every grant of a user, device or partner
    index("credential_grants_actor_idx").on(t.actorId),
  ],
);

/**
 * In a centre's own database: the callers whose grants were just deleted because the directory was about to
 * revoke or change them. Until `until`, no grant for that actor is written by a directory read that began
 * before it, so an ordinary-path write that raced the revocation cannot bring a grant back.
 */
export const credentialFences = sqliteTable("credential_fences", {
  actorId: text("actor_id").primaryKey(),
  until: text("until").notNull(),
});
