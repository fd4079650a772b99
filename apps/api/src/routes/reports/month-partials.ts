import {
  addDays,
  localDateOf,
  mergeVisitAggregates,
  parseVisitAggregate,
  periodOfDate,
  type VisitAggregate,
} from "@halte/core";
import { monthRollupsBetween, rollupsBetween } from "@halte/db";
import type { Databases } from "../../databases.js";
import type { ReportScope } from "./scope.js";

/** What a report across centres merges, and how fresh its stored months are. */
export interface CrossCentrePartials {
  /** Partials keyed by local day: a stored month sits under its first day (same month, quarter, year). */
  days: Record<string, VisitAggregate>;
  /** The oldest `merged_at` of the month partials used; null when none was used. */
  monthsAsOf: string | null;
}

/** The months of `[from, to]` that lie wholly in it and ended before `today`. */
function completeMonthsWithin(from: string, to: string, today: string): { month: string; end: string }[] {
  const months = [];
  for (let start = periodOfDate("month", from).start; start <= to; ) {
    const { end } = periodOfDate("month", start);
    if (start >= from && end <= to && end < today) months.push({ month: start.slice(0, 7), end });
    start = addDays(end, 1);
  }
  return months;
}

function parsed(json: string, what: string): VisitAggregate {
  const result = parseVisitAggregate(json);
  if (!result.ok) throw new Error(`stored partial of ${what} is unreadable`);
  return result.value;
}

/**
 * The partials a visits report across several centres merges by month, quarter or year: for each centre, its
 * stored month partial (`visit_month_rollups`, merged by the nightly job) for every month that lies wholly
 * in the range and ended before the centre's today, and its day partials for the other days (the month in
 * progress, the edges of a range, a month not merged yet). Merging is associative, so the figures equal
 * the day-partial path's — as of the last nightly merge for the past months: a late row written since then
 * for a past month reaches these figures the next night. Disclosure control is applied afterwards, on the
 * merged periods, exactly as on the day path. The month partials are read from the figures database
 * (`dbs.figures`), the day partials from each centre's own database.
 */
export async function crossCentrePartials(
  dbs: Pick<Databases, "figures" | "dbFor">,
  scope: ReportScope,
  now: Date,
): Promise<CrossCentrePartials> {
  const days: Record<string, VisitAggregate> = {};
  const add = (key: string, partial: VisitAggregate) => {
    const known = days[key];
    days[key] = known === undefined ? partial : mergeVisitAggregates(known, partial);
  };
  let monthsAsOf: string | null = null;
  for (const centre of scope.centres) {
    const today = localDateOf(now, centre.openingHours.timeZone);
    const months = completeMonthsWithin(scope.from, scope.to, today);
    const first = months[0];
    const last = months.at(-1);
    const stored = new Map(
      first && last
        ? (await monthRollupsBetween(dbs.figures, centre.id, first.month, last.month)).map((m) => [
            m.month,
            m,
          ])
        : [],
    );
    // The days no stored month covers, as ranges read in one query each.
    const gaps: [string, string][] = [];
    let cursor = scope.from;
    for (const { month, end } of months) {
      const row = stored.get(month);
      if (row === undefined) continue;
      const start = `${month}-01`;
      if (cursor < start) gaps.push([cursor, addDays(start, -1)]);
      add(start, parsed(row.aggregate, month));
      if (monthsAsOf === null || row.mergedAt < monthsAsOf) monthsAsOf = row.mergedAt;
      cursor = addDays(end, 1);
    }
    if (cursor <= scope.to) gaps.push([cursor, scope.to]);
    const centreDb = gaps.length > 0 ? await dbs.dbFor(centre.id) : null;
    for (const [from, to] of gaps) {
      for (const row of centreDb ? await rollupsBetween(centreDb, centre.id, from, to) : [])
        add(row.localDay, parsed(row.aggregate, row.localDay));
    }
  }
  return { days, monthsAsOf };
}
