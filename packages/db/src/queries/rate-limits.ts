import { eq, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { rateLimits } from "../schema/rate-limits.js";

export type RateLimitRow = typeof rateLimits.$inferSelect;

/** The failure counter of a key (its window start and count), or null if it has none. */
export async function getRateLimit(db: Db, key: string): Promise<RateLimitRow | null> {
  const [row] = await db.select().from(rateLimits).where(eq(rateLimits.key, key)).limit(1);
  return row ?? null;
}

/**
 * Counts one failure for `key` in one statement, so concurrent failures all count: a window that started
 * at or before `windowStartsAfter` is over, and the count starts again at 1 from `at`.
 */
export function countFailure(db: Db, key: string, at: string, windowStartsAfter: string) {
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

/** Forgets a key's failures (after a success). */
export function clearRateLimit(db: Db, key: string) {
  return db.delete(rateLimits).where(eq(rateLimits.key, key));
}
