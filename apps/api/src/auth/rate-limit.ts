import type { Db } from "@halte/db";
import { rateLimits } from "@halte/db";
import { eq, sql } from "drizzle-orm";

export interface RateLimit {
  /** Attempts allowed per window. */
  max: number;
  windowMs: number;
}

/** Failed sign-ins: 5 per account and 20 per address every 15 minutes. */
export const LOGIN_LIMITS = {
  account: { max: 5, windowMs: 15 * 60_000 },
  address: { max: 20, windowMs: 15 * 60_000 },
} as const satisfies Record<string, RateLimit>;

/** Seconds until the key may try again, or 0 when it is under its limit. */
export async function retryAfter(db: Db, key: string, limit: RateLimit, now: Date): Promise<number> {
  const [row] = await db.select().from(rateLimits).where(eq(rateLimits.key, key)).limit(1);
  if (!row) return 0;
  const windowEnds = Date.parse(row.windowStart) + limit.windowMs;
  if (windowEnds <= now.getTime() || row.count < limit.max) return 0;
  return Math.ceil((windowEnds - now.getTime()) / 1000);
}

/**
 * Counts one failure for `key` in a fixed window, in one statement so concurrent failures all count.
 */
export function recordFailure(db: Db, key: string, limit: RateLimit, now: Date) {
  const at = now.toISOString();
  const windowStartsAfter = new Date(now.getTime() - limit.windowMs).toISOString();
  return db
    .insert(rateLimits)
    .values({ key, windowStart: at, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`CASE WHEN ${rateLimits.windowStart} <= ${windowStartsAfter} THEN 1 ELSE ${rateLimits.count} + 1 END`,
        windowStart: sql`CASE WHEN ${rateLimits.windowStart} <= ${windowStartsAfter} THEN ${at} ELSE ${rateLimits.windowStart} END`,
      },
    });
}

export function clearFailures(db: Db, key: string) {
  return db.delete(rateLimits).where(eq(rateLimits.key, key));
}
