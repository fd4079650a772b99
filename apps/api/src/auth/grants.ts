// Credential grants: how a door write (or a partner's signed report) at a centre with its own database is
// checked in that one database, in one round trip (docs/scale.md, "One round trip per tap with one database
// per centre"). The ordinary path, having found the caller live in the directory, writes a grant beside its
// write in the centre's database; every later write there is `INSERT … SELECT … WHERE <the grant matches>`.
// Before the directory revokes or changes a caller, `withFence` deletes its grants in every centre database
// that may hold them and fences it, so a revoked session, device or secret never writes again.
import {
  type CredentialGrant,
  type Db,
  fenceStatements,
  grantQuery,
  grantStatement,
  type RawStatement,
} from "@halte/db";
import type { Context } from "hono";
import type { AppEnv } from "../context.js";
import { csrfKeyedHash, sha256Hex } from "./crypto.js";
import { principalCan, reachesCentre } from "./principal.js";

/**
 * How long a fence refuses grants made from directory reads that began before it, counted from the start of
 * the revocation: longer than a revocation's writes take and than clocks of two machines differ. `withFence`
 * fences again when its directory write took longer than half of it.
 */
export const FENCE_MS = 60_000;

/** Where a caller's grants may be: the centres it may record at, or every centre (`"all"`). */
export type FenceScope = readonly string[] | "all";

/** The actors to fence and where. */
export interface Fence {
  actorIds: readonly string[];
  centres: FenceScope;
}

/**
 * The grant statement for the door caller the ordinary path just looked up (`checkedCredential`), to batch
 * with its write in the database of `centreId` — none when the caller may not record there (the grant would
 * let it do what the directory would refuse) or was not a deferred cookie credential.
 */
export async function doorGrantStatements(
  c: Context<AppEnv>,
  centreId: string,
  db: Db,
): Promise<RawStatement[]> {
  const grant = await doorGrant(c, centreId);
  return grant ? [grantStatement(db, grant)] : [];
}

/** `doorGrantStatements` as drizzle queries of `db` (the centre's database), for a drizzle batch. */
export async function doorGrantQueries(c: Context<AppEnv>, centreId: string, db: Db) {
  const grant = await doorGrant(c, centreId);
  return grant ? [grantQuery(db, grant)] : [];
}

async function doorGrant(c: Context<AppEnv>, centreId: string): Promise<CredentialGrant | null> {
  const checked = c.get("checkedCredential");
  const principal = c.get("principal");
  if (!checked || !principal || principal.kind === "token" || principal.kind !== checked.kind) return null;
  if (!principalCan(principal, "visits:record") || !reachesCentre(principal, centreId)) return null;
  const credentialHash = await sha256Hex(checked.cookie);
  const grant: CredentialGrant = {
    credentialHash,
    kind: principal.kind,
    actorId: principal.id,
    centreId,
    proofHash: await csrfKeyedHash(checked.cookie, checked.csrfToken, credentialHash),
    expiresAt: principal.kind === "user" ? (principal.expiresAt ?? checked.checkedAt) : null,
    checkedAt: checked.checkedAt,
  };
  return grant;
}

/** Deletes the actors' grants and fences them until `until` in every centre database of `scope`. */
async function fenceIn(c: Context<AppEnv>, fence: Fence, until: Date): Promise<void> {
  if (fence.actorIds.length === 0) return;
  const { dbs } = c.get("services");
  const databases = await dbs.databasesOf(fence.centres);
  const statements = fenceStatements(fence.actorIds, until.toISOString());
  await Promise.all(
    databases
      // The directory's own centres check the directory's rows in their writes: they hold no grants.
      .filter((held) => held.d1 !== dbs.directoryD1)
      .map((held) => held.d1.batch(statements.map((s) => held.d1.prepare(s.sql).bind(...s.params)))),
  );
}

/**
 * Runs `write` — a directory write that revokes or changes callers (a sign-out, a disabled user, a revoked
 * device or secret) — after deleting their grants and fencing them in every centre database that may hold
 * them. If the fence fails, nothing is written (the caller may retry); if `write` fails, the grants are gone
 * and come back with the next write of a caller still live. A directory write slower than half the fence is
 * fenced again, so no grant made from a read that saw the old state survives.
 */
export async function withFence<T>(c: Context<AppEnv>, fence: Fence, write: () => Promise<T>): Promise<T> {
  const { now } = c.get("services");
  const start = now().getTime();
  await fenceIn(c, fence, new Date(start + FENCE_MS));
  const result = await write();
  const end = now().getTime();
  if (end - start > FENCE_MS / 2) await fenceIn(c, fence, new Date(end + FENCE_MS));
  return result;
}

/** Where a staff user's door grants may be: its centre, or every centre for one bound to none or a partner's. */
export function userFenceScope(user: { centreId: string | null; partnerId: string | null }): FenceScope {
  return user.centreId !== null && user.partnerId === null ? [user.centreId] : "all";
}
