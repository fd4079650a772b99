// Instants "a while ago" that are still today in a centre's zone, for the demo seed and the tests that put
// records a few minutes back and then read them in today's counts: at 00:05 in Paris, "ten minutes ago" is
// yesterday, and such a record silently leaves today's figures (CI runs at any hour).
import { localDateOf, startOfLocalDay } from "@halte/core";

/**
 * Returns `back(ms)`: the instant `ms` before `now`, as long as the local day in `timeZone` began at least
 * `span` ms before `now` (the furthest back the caller goes). Earlier — just after the centre's midnight —
 * the whole span is squeezed into the part of today gone by: every instant is drawn towards `now` by the
 * same factor, so order and proportions stay and `back(span)` is at most the start of today, never before.
 * A span of ten minutes is squeezed only between 00:00 and 00:10, local time.
 *
 * @example
 * const back = earlierToday(new Date("2026-12-07T23:05:00Z"), 10 * 60_000, "Europe/Paris"); // 00:05 in Paris
 * back(10 * 60_000).toISOString(); // "2026-12-07T23:00:00.000Z", midnight in Paris: today, not 23:55 yesterday
 * back(60_000).toISOString(); // "2026-12-07T23:04:30.000Z", half a minute back: the same squeeze
 */
export function earlierToday(now, span, timeZone) {
  const startOfToday = startOfLocalDay(localDateOf(now, timeZone), timeZone).getTime();
  const share = Math.min(1, (now.getTime() - startOfToday) / span);
  return (ms) => new Date(now.getTime() - ms * share);
}
