import {
  addDays,
  CompactVisitSum,
  localDateOf,
  mergeVisitAggregates,
  type Period,
  parseVisitAggregate,
  periodOfDate,
  StreamedRollUp,
  type VisitAggregate,
} from "@halte/core";
import {
  type Db,
  type FiguresGrain,
  monthRollupsBetween,
  periodFiguresBetween,
  rollupsBetween,
} from "@halte/db";
import type { Databases } from "../../databases.js";
import { storedJson } from "../../stored-json.js";
import { dayPages, type ReportScope } from "./scope.js";

/** What a report across centres merges, and how fresh its stored periods are. */
export interface CrossCentrePartials {
  /**
   * Each period's partial of every centre together, by period code (`rollUp`'s), each centre's part with its
   * visitor codes counted and dropped (`anonymiseVisitorCodes`): centres never share a visitor.
   */
  byPeriod: Record<string, VisitAggregate>;
  /** The oldest `merged_at` of the stored periods and months used; null when none was used. */
  monthsAsOf: string | null;
}

/** The periods of `grain` that lie wholly in `[from, to]` and ended before `today`. */
export function completePeriodsWithin(
  grain: FiguresGrain,
  from: string,
  to: string,
  today: string,
): Period[] {
  const periods = [];
  for (let start = periodOfDate(grain, from).start; start <= to; ) {
    const period = periodOfDate(grain, start);
    if (period.start >= from && period.end <= to && period.end < today) periods.push(period);
    start = addDays(period.end, 1);
  }
  return periods;
}

/**
 * Splits `[from, to]` into the stored periods `stored` (by first day) covers and the ranges between them;
 * each stored period goes to `use`. Returns the ranges left.
 */
export function coverWith<T extends { mergedAt: string }>(
  periods: Period[],
  stored: Map<string, T>,
  from: string,
  to: string,
  use: (period: Period, row: T) => void,
): [string, string][] {
  const gaps: [string, string][] = [];
  let cursor = from;
  for (const period of periods) {
    const row = stored.get(period.start);
    if (row === undefined) continue;
    if (cursor < period.start) gaps.push([cursor, addDays(period.start, -1)]);
    use(period, row);
    cursor = addDays(period.end, 1);
  }
  if (cursor <= to) gaps.push([cursor, to]);
  return gaps;
}

/**
 * One centre's partials over `[from, to]` from its own database, visitor codes included, fed to `roll` in
 * order: its stored month partials (`visit_month_rollups`) for the months wholly in the range that ended
 * before `today`, its day partials for the other days, a page of days at a time (`dayPages`).
 */
async function rollOwnPartials(
  db: Db,
  centreId: string,
  range: [string, string],
  today: string,
  roll: StreamedRollUp,
  mergedAt: (at: string) => void,
) {
  const [from, to] = range;
  const months = completePeriodsWithin("month", from, to, today);
  const first = months[0];
  const last = months.at(-1);
  const stored = new Map(
    first && last
      ? (await monthRollupsBetween(db, centreId, first.start.slice(0, 7), last.start.slice(0, 7))).map(
          (m) => [`${m.month}-01`, m],
        )
      : [],
  );
  // The stored months and the days between them, in order: `roll` takes a centre's partials in order.
  const ranges: {
    from: string;
    to: string;
    month?: { month: string; aggregate: string; mergedAt: string };
  }[] = [];
  const gaps = coverWith(months, stored, from, to, (period, row) => {
    ranges.push({ from: period.start, to: period.end, month: row });
  });
  for (const [gapFrom, gapTo] of gaps) ranges.push({ from: gapFrom, to: gapTo });
  ranges.sort((a, b) => (a.from < b.from ? -1 : 1));
  for (const part of ranges) {
    if (part.month) {
      roll.addDay(
        part.from,
        storedJson(parseVisitAggregate, part.month.aggregate, `partial of ${part.month.month}`),
      );
      mergedAt(part.month.mergedAt);
      continue;
    }
    for (const page of dayPages(part.from, part.to))
      for (const row of await rollupsBetween(db, centreId, page.from, page.to))
        roll.addDay(
          row.localDay,
          storedJson(parseVisitAggregate, row.aggregate, `partial of ${row.localDay}`),
        );
  }
}

/**
 * The partials a visits report across several centres merges by month, quarter or year (`grain`):
 * - for each period of the grain that lies wholly in the range and ended before the centre's today, the
 *   centre's stored figures (`visit_period_figures` in the figures database `dbs.figures`, merged by the
 *   nightly job, without visitor-code prefixes); two centres never share a visitor (their codes are hashed
 *   with different keys), so these add up exactly, and core's `CompactVisitSum` adds them without
 *   validating each one. The services' `people` (most of a stored row's bytes, and never published to a
 *   protected report) are read only `withServicePeople` (a caller who sees raw figures);
 * - for the other days (a period in progress, the edges of a range, a period not merged yet), the centre's
 *   own stored months and day partials, with their codes, from its own database, rolled up as they are read
 *   (core's `StreamedRollUp`, a page of days at a time): only the period being rolled holds its codes, which
 *   are counted into its figures when it ends, so fifty centres' current month is never held code by code.
 * Merging is associative, so the figures equal the day-partial path's — as of the last nightly merge for
 * the past periods: a late row written since then reaches these figures the next night. Disclosure control
 * is applied afterwards, on the merged periods, exactly as on the day path.
 */
export async function crossCentrePartials(
  dbs: Pick<Databases, "figures" | "dbFor">,
  scope: ReportScope,
  options: { grain: FiguresGrain; now: Date; withServicePeople: boolean },
): Promise<CrossCentrePartials> {
  const { grain, now, withServicePeople } = options;
  let monthsAsOf: string | null = null;
  const mergedAt = (at: string) => {
    if (monthsAsOf === null || at < monthsAsOf) monthsAsOf = at;
  };
  const sums = new Map<string, CompactVisitSum>();
  // The days the stored figures do not cover, rolled up centre by centre as they are read.
  const roll = new StreamedRollUp(grain);
  for (const centre of scope.centres) {
    const today = localDateOf(now, centre.openingHours.timeZone);
    const periods = completePeriodsWithin(grain, scope.from, scope.to, today);
    const first = periods[0];
    const last = periods.at(-1);
    const stored = new Map(
      first && last
        ? (
            await periodFiguresBetween(dbs.figures, centre.id, grain, {
              fromStart: first.start,
              toStart: last.start,
              withServicePeople,
            })
          ).map((row) => [row.start, row])
        : [],
    );
    const gaps = coverWith(periods, stored, scope.from, scope.to, (period, row) => {
      const sum = sums.get(period.start) ?? new CompactVisitSum();
      sums.set(period.start, sum.add(row.aggregate));
      if (row.servicePeople !== null) sum.add(row.servicePeople);
      mergedAt(row.mergedAt);
    });
    const centreDb = gaps.length > 0 ? await dbs.dbFor(centre.id) : null;
    for (const gap of gaps)
      if (centreDb) await rollOwnPartials(centreDb, centre.id, gap, today, roll, mergedAt);
    roll.endCentre();
  }
  const byPeriod = roll.finish().byPeriod;
  for (const [start, sum] of sums) {
    const merged = sum.finish();
    if (!merged.ok) throw new Error(`stored figures of ${start} are unreadable`);
    const code = periodOfDate(grain, start).code;
    const rolled = byPeriod[code];
    byPeriod[code] = rolled === undefined ? merged.value : mergeVisitAggregates(rolled, merged.value);
  }
  return {
    byPeriod: Object.fromEntries(
      Object.keys(byPeriod)
        .sort()
        .map((code) => [code, byPeriod[code] as VisitAggregate]),
    ),
    monthsAsOf,
  };
}
