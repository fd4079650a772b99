import type { Role } from "@halte/core";
import { and, asc, eq, gt, isNull, ne, type SQL } from "drizzle-orm";
import type { Db } from "../client.js";
import { partners } from "../schema/partners.js";
import { sessions } from "../schema/sessions.js";
import { users } from "../schema/users.js";

export type UserRow = typeof users.$inferSelect;

/** A staff account as the API shows it: never the password hash or salt. */
export type StaffUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  centreId: string | null;
  partnerId: string | null;
  disabledAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export function userFromRow(row: UserRow): StaffUser {
  const { passwordHash: _hash, passwordSalt: _salt, passwordIterations: _iterations, ...user } = row;
  return user;
}

export interface ListUsersOptions {
  centreId?: string | null;
  role?: Role;
  includeDisabled?: boolean;
  afterId?: string;
  limit: number;
}

export async function listUsers(db: Db, options: ListUsersOptions): Promise<StaffUser[]> {
  const conditions: (SQL | undefined)[] = [];
  if (options.centreId) conditions.push(eq(users.centreId, options.centreId));
  if (options.role) conditions.push(eq(users.role, options.role));
  if (!options.includeDisabled) conditions.push(isNull(users.disabledAt));
  if (options.afterId) conditions.push(gt(users.id, options.afterId));
  const rows = await db
    .select()
    .from(users)
    .where(and(...conditions))
    .orderBy(asc(users.id))
    .limit(options.limit + 1);
  return rows.map(userFromRow);
}

export async function getUser(db: Db, id: string): Promise<StaffUser | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row ? userFromRow(row) : null;
}

export async function getUserByEmail(db: Db, email: string): Promise<StaffUser | null> {
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return row ? userFromRow(row) : null;
}

/** The stored password of a user, for verification only. */
export async function getUserPassword(db: Db, id: string) {
  const [row] = await db
    .select({ hash: users.passwordHash, salt: users.passwordSalt, iterations: users.passwordIterations })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return row ?? null;
}

export interface NewUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  centreId: string | null;
  partnerId: string | null;
  password: { hash: string; salt: string; iterations: number };
}

export function insertUser(db: Db, user: NewUser, at: string) {
  return db.insert(users).values({
    id: user.id,
    email: user.email.toLowerCase(),
    name: user.name,
    role: user.role,
    centreId: user.centreId,
    partnerId: user.partnerId,
    passwordHash: user.password.hash,
    passwordSalt: user.password.salt,
    passwordIterations: user.password.iterations,
    createdAt: at,
    updatedAt: at,
  });
}

export function updateUser(
  db: Db,
  id: string,
  fields: { name: string; role: Role; centreId: string | null; partnerId: string | null },
  at: string,
) {
  return db
    .update(users)
    .set({ ...fields, updatedAt: at })
    .where(eq(users.id, id));
}

export function setUserPassword(db: Db, id: string, password: NewUser["password"], at: string) {
  return db
    .update(users)
    .set({
      passwordHash: password.hash,
      passwordSalt: password.salt,
      passwordIterations: password.iterations,
      updatedAt: at,
    })
    .where(eq(users.id, id));
}

export function disableUser(db: Db, id: string, at: string) {
  return db.update(users).set({ disabledAt: at, updatedAt: at }).where(eq(users.id, id));
}

/** Lets a disabled account sign in again (its old sessions stay revoked). */
export function enableUser(db: Db, id: string, at: string) {
  return db.update(users).set({ disabledAt: null, updatedAt: at }).where(eq(users.id, id));
}

/** Revokes every live session of a user, optionally sparing one (the caller's own, on a password change). */
export function revokeSessions(db: Db, userId: string, at: string, exceptIdHash?: string) {
  const conditions: SQL[] = [eq(sessions.userId, userId), isNull(sessions.revokedAt)];
  return db
    .update(sessions)
    .set({ revokedAt: at })
    .where(and(...conditions, ...(exceptIdHash ? [ne(sessions.idHash, exceptIdHash)] : [])));
}

/**
 * The account that may sign in with this email (compared lower-cased), password fields included: not
 * disabled and, for a partner's staff, its partner not archived — the others are refused like an unknown
 * account.
 */
export async function findSignInUser(db: Db, email: string): Promise<UserRow | null> {
  const [found] = await db
    .select({ user: users })
    .from(users)
    .leftJoin(partners, eq(partners.id, users.partnerId))
    .where(and(eq(users.email, email.toLowerCase()), isNull(users.disabledAt), isNull(partners.archivedAt)))
    .limit(1);
  return found?.user ?? null;
}
