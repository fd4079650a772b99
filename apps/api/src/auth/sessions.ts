import { type Db, insertSession } from "@halte/db";
import { csrfKeyedHash, randomSecret, sha256Hex } from "./crypto.js";

/** Staff sessions last one working day and a half; then the person signs in again. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** Creates a server-side session; returns the cookie value (shown once) and the CSRF token. */
export async function createSession(db: Db, userId: string, now: Date) {
  const cookie = randomSecret(32);
  const csrfToken = randomSecret(24);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const statement = insertSession(db, {
    idHash: await sha256Hex(cookie),
    userId,
    csrfToken,
    csrfHash: await csrfKeyedHash(cookie, csrfToken),
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    revokedAt: null,
  });
  return { cookie, csrfToken, expiresAt, statement };
}
