import { clearRateLimit, countFailure, type Db, getRateLimit } from "@halte/db";

export interface RateLimit {
  /** Attempts allowed per window. */
  max: number;
  windowMs: number;
}

const FIFTEEN_MINUTES = 15 * 60_000;

/**
 * Failed sign-ins. Refusals are keyed by what the caller controls: 5 failures per (account, address) and
 * 20 per address across accounts (the global cap) every 15 minutes. Nobody can lock a colleague out from
 * another address: failures on an account from every address together only slow its sign-ins down
 * (`LOGIN_SLOWDOWN`), and the right password still signs in.
 */
export const LOGIN_LIMITS = {
  accountAddress: { max: 5, windowMs: FIFTEEN_MINUTES },
  address: { max: 20, windowMs: FIFTEEN_MINUTES },
  /** Counted only to slow down; never refuses. `max` is where the slowdown starts. */
  account: { max: 10, windowMs: FIFTEEN_MINUTES },
} as const satisfies Record<string, RateLimit>;

/**
 * How an account under attack from many addresses is slowed down: from the 10th failure in the window,
 * every attempt on it waits 500 ms, doubling with each further failure, at most 8 s.
 */
export const LOGIN_SLOWDOWN = { firstDelayMs: 500, maxDelayMs: 8_000 } as const;

/** Wrong current passwords when changing one's own password: 5 every 15 minutes per account. */
export const PASSWORD_CHANGE_LIMIT = { max: 5, windowMs: FIFTEEN_MINUTES } as const satisfies RateLimit;

/** Failures counted for `key` in its current window (0 once the window is over). */
export async function failuresInWindow(db: Db, key: string, limit: RateLimit, now: Date): Promise<number> {
  const row = await getRateLimit(db, key);
  if (!row) return 0;
  const windowEnds = Date.parse(row.windowStart) + limit.windowMs;
  return windowEnds <= now.getTime() ? 0 : row.count;
}

/** Seconds until the key may try again, or 0 when it is under its limit. */
export async function retryAfter(db: Db, key: string, limit: RateLimit, now: Date): Promise<number> {
  const row = await getRateLimit(db, key);
  if (!row) return 0;
  const windowEnds = Date.parse(row.windowStart) + limit.windowMs;
  if (windowEnds <= now.getTime() || row.count < limit.max) return 0;
  return Math.ceil((windowEnds - now.getTime()) / 1000);
}

/** The wait before a sign-in attempt on an account with `failures` failures in the window. */
export function loginDelayMs(failures: number): number {
  if (failures < LOGIN_LIMITS.account.max) return 0;
  const doublings = Math.min(failures - LOGIN_LIMITS.account.max, 8);
  return Math.min(LOGIN_SLOWDOWN.firstDelayMs * 2 ** doublings, LOGIN_SLOWDOWN.maxDelayMs);
}

/**
 * Counts one failure for `key` in a fixed window, in one statement so concurrent failures all count.
 */
export function recordFailure(db: Db, key: string, limit: RateLimit, now: Date) {
  const at = now.toISOString();
  const windowStartsAfter = new Date(now.getTime() - limit.windowMs).toISOString();
  return countFailure(db, key, at, windowStartsAfter);
}

export function clearFailures(db: Db, key: string) {
  return clearRateLimit(db, key);
}
