// Credential grants in a centre's own database (docs/scale.md, "One round trip per tap with one database per
// centre"): the directory found a caller live, the centre's database remembers it until the directory changes
// it, so the caller's next door write is checked inside the write, in that database alone.
import { sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { credentialFences, credentialGrants } from "../schema/credential-grants.js";
import type { RawStatement } from "./folded-writes.js";

/** A caller the directory found live and allowed, as a centre's database remembers it. */
export interface CredentialGrant {
  /** SHA-256 of the session's or device's cookie, or the webhook secret's id. */
  credentialHash: string;
  kind: "user" | "door" | "webhook";
  /** The user, the device or the partner. */
  actorId: string;
  centreId: string;
  /** The keyed hash of the CSRF token, or the SHA-256 of the secret's stored ciphertext. */
  proofHash: string;
  /** The session's or secret's expiry as the directory had it; null: none. */
  expiresAt: string | null;
  /** When the directory read that found the caller live began: a fence set after it refuses the grant. */
  checkedAt: string;
}

/**
 * The statement that writes (or refreshes) a grant, to batch with the ordinary path's write in the centre's
 * database (`grantQuery` as raw SQL): written unless a fence for the actor holds past `checkedAt` (a
 * revocation or change written to the directory while, or after, that directory read ran).
 */
export function grantStatement(db: Db, grant: CredentialGrant): RawStatement {
  return grantQuery(db, grant).toSQL();
}

/**
 * The batch that, in one centre's database, deletes every grant of `actorIds` and fences them until `until`
 * (a fence only ever moves later). Run it in every database that may hold their grants before the directory
 * revokes or changes them: if it fails, the revocation is not written and can be retried.
 */
export function fenceStatements(actorIds: readonly string[], until: string): RawStatement[] {
  if (actorIds.length === 0) return [];
  const marks = actorIds.map(() => "?").join(", ");
  return [
    { sql: `delete from "credential_grants" where "actor_id" in (${marks})`, params: [...actorIds] },
    {
      sql:
        `insert into "credential_fences" ("actor_id", "until") values ${actorIds.map(() => "(?, ?)").join(", ")} ` +
        `on conflict ("actor_id") do update set "until" = max("until", excluded."until")`,
      params: actorIds.flatMap((id) => [id, until]),
    },
  ];
}

/** The nightly purge's statements: grants past their expiry, fences past their end. */
export function purgeGrantStatements(at: string): RawStatement[] {
  return [
    {
      sql: `delete from "credential_grants" where "expires_at" is not null and "expires_at" <= ?`,
      params: [at],
    },
    { sql: `delete from "credential_fences" where "until" <= ?`, params: [at] },
  ];
}

/** A grant's upsert, unless fenced (see `grantStatement`), as a drizzle query for a drizzle batch. */
export function grantQuery(db: Db, grant: CredentialGrant) {
  const fenced = sql`select 1 from ${credentialFences} f where f."actor_id" = ${grant.actorId} and f."until" > ${grant.checkedAt}`;
  return db
    .insert(credentialGrants)
    .select(
      sql`select ${grant.credentialHash}, ${grant.kind}, ${grant.actorId}, ${grant.centreId}, ${grant.proofHash}, ${grant.expiresAt}, ${grant.checkedAt} where not exists (${fenced})`,
    )
    .onConflictDoUpdate({
      target: credentialGrants.credentialHash,
      set: {
        kind: sql`excluded."kind"`,
        actorId: sql`excluded."actor_id"`,
        centreId: sql`excluded."centre_id"`,
        proofHash: sql`excluded."proof_hash"`,
        expiresAt: sql`excluded."expires_at"`,
        checkedAt: sql`excluded."checked_at"`,
      },
    });
}
