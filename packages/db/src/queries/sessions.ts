import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../client.js";
import { partners } from "../schema/partners.js";
import { sessions } from "../schema/sessions.js";
import { users } from "../schema/users.js";
import { parseCentreIds, partnerCentreIdsJson } from "./partner-centres.js";

export type SessionRow = typeof sessions.$inferSelect;
type UserRow = typeof users.$inferSelect;

/** A session with its user, as the sign-in check and `GET /auth/session` read them. */
export interface SessionWithUser {
  session: SessionRow;
  user: UserRow;
}

/** A live session, with the centres its user's partner works with (empty for staff). */
export interface LiveSession extends SessionWithUser {
  partnerCentreIds: string[];
}

/** Stores a new session (only the SHA-256 of its cookie); a statement, to batch with the sign-in's audit row. */
export function insertSession(db: Db, session: typeof sessions.$inferInsert) {
  return db.insert(sessions).values(session);
}

/**
 * The session behind a cookie hash if it may act now: not revoked, not expired at `at`, its user not
 * disabled and, for a partner's staff, its partner not archived (the archive revokes their sessions; this
 * also refuses one that raced it). A partner's staff get the centres it works with in the same statement.
 */
export async function findLiveSession(db: Db, idHash: string, at: string): Promise<LiveSession | null> {
  const [row] = await db
    .select({ session: sessions, user: users, centreIds: partnerCentreIdsJson(users.partnerId) })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(partners, eq(partners.id, users.partnerId))
    .where(
      and(
        eq(sessions.idHash, idHash),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, at),
        isNull(users.disabledAt),
        isNull(partners.archivedAt),
      ),
    )
    .limit(1);
  if (!row) return null;
  const { centreIds, ...found } = row;
  return { ...found, partnerCentreIds: row.user.partnerId ? parseCentreIds(centreIds) : [] };
}

/** The session behind a cookie hash and its user, whatever its state. */
export async function findSession(db: Db, idHash: string): Promise<SessionWithUser | null> {
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.idHash, idHash))
    .limit(1);
  return row ?? null;
}

/** Revokes one session (sign-out); a statement, to batch with its audit row. */
export function revokeSession(db: Db, idHash: string, at: string) {
  return db.update(sessions).set({ revokedAt: at }).where(eq(sessions.idHash, idHash));
}

/** Fills the keyed CSRF hash of a session made before the column existed (once; never overwrites one). */
export function fillSessionCsrfHash(db: Db, idHash: string, csrfHash: string) {
  return db
    .update(sessions)
    .set({ csrfHash })
    .where(and(eq(sessions.idHash, idHash), isNull(sessions.csrfHash)));
}
