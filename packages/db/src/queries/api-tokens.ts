import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../client.js";
import { apiTokens } from "../schema/api-tokens.js";
import { partners } from "../schema/partners.js";
import { parseCentreIds, partnerCentreIdsJson } from "./partner-centres.js";

export type TokenRow = typeof apiTokens.$inferSelect;

/** A token as listed: never its secret or hash. */
export interface ApiTokenInfo {
  id: string;
  centreId: string;
  partnerId: string;
  name: string;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function tokenFromRow(row: TokenRow): ApiTokenInfo {
  const { tokenHash: _hash, ...info } = row;
  return info;
}

export interface ListTokensOptions {
  afterId?: string;
  limit: number;
}

/** A partner's tokens in id order, one more than `limit` so the caller knows whether a next page exists. */
export async function listPartnerTokens(
  db: Db,
  partnerId: string,
  options: ListTokensOptions,
): Promise<ApiTokenInfo[]> {
  const rows = await db
    .select()
    .from(apiTokens)
    .where(
      and(
        eq(apiTokens.partnerId, partnerId),
        options.afterId ? gt(apiTokens.id, options.afterId) : undefined,
      ),
    )
    .orderBy(asc(apiTokens.id))
    .limit(options.limit + 1);
  return rows.map(tokenFromRow);
}

export async function getToken(db: Db, id: string): Promise<ApiTokenInfo | null> {
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id)).limit(1);
  return row ? tokenFromRow(row) : null;
}

export function insertToken(
  db: Db,
  token: Omit<ApiTokenInfo, "lastUsedAt" | "revokedAt"> & { tokenHash: string },
) {
  return db.insert(apiTokens).values(token);
}

export function revokeToken(db: Db, id: string, at: string) {
  return db
    .update(apiTokens)
    .set({ revokedAt: at })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)));
}

/**
 * The token with this hash if it may act: not revoked, and its partner not archived (archiving an
 * organisation shuts its integrations out at once). Expiry is the caller's check, against its clock. With it,
 * the centres its partner works with (`partnerCentreIds`), read in the same statement.
 */
export async function findLiveToken(
  db: Db,
  tokenHash: string,
): Promise<(TokenRow & { partnerCentreIds: string[] }) | null> {
  const [match] = await db
    .select({ token: apiTokens, centreIds: partnerCentreIdsJson(apiTokens.partnerId) })
    .from(apiTokens)
    .innerJoin(partners, eq(partners.id, apiTokens.partnerId))
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), isNull(partners.archivedAt)))
    .limit(1);
  return match ? { ...match.token, partnerCentreIds: parseCentreIds(match.centreIds) } : null;
}

/** Stamps a token's last use. */
export function stampTokenUse(db: Db, id: string, at: string) {
  return db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
}
