import {
  addCellKeys,
  addDays,
  addGrid,
  addServiceDaysOf,
  type DayFigures,
  emptyDayFigures,
  localDateOf,
  parseDayFigures,
} from "@halte/core";
import { type Db, type FiguresGrain, monthDayFiguresBetween, periodDayFiguresBetween } from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { Databases } from "../../databases.js";
import { storedJson } from "../../stored-json.js";
import { addCentreDayFields, type DayFields } from "./day-fields.js";
import { completePeriodsWithin, coverWith } from "./month-partials.js";
import type { ReportScope } from "./scope.js";

/** The answer's note that its past periods come from the nightly merge (arrivals and services across centres). */
export const pastMonthsAsOfField = {
  pastMonthsAsOf: z
    .string()
    .optional()
    .openapi({
      description:
        "Across several centres: the past months, quarters and years come from day-level figures merged by " +
        "the nightly job, as of this instant (the oldest merge used); the other days from day partials",
    }),
};

/** What the arrivals or the services report across centres reads. */
export interface CrossCentreDays {
  /** Day partials of the days no stored period covers; for the services report, also the stored periods' service tallies, day by day. */
  days: Record<string, DayFields>;
  /** For the arrivals report: the stored periods' arrivals by weekday × hour, and their keys. */
  arrivals: DayFigures["arrivals"];
  /** For the arrivals report: the local days that had a day partial in a stored period. */
  storedDays: Set<string>;
  /** The oldest `merged_at` of the stored periods and months used; null when none was used. */
  monthsAsOf: string | null;
}

type Range = [string, string];

/**
 * One centre's stored periods of `grain` that lie wholly in one of `ranges` and ended before `today`, read
 * in one query per range from `read`, each handed to `use`. Returns the ranges they leave.
 */
async function coverRanges(
  ranges: Range[],
  grain: FiguresGrain,
  today: string,
  read: (
    fromStart: string,
    toStart: string,
  ) => Promise<{ start: string; dayFigures: string; mergedAt: string }[]>,
  use: (start: string, figures: DayFigures, mergedAt: string) => void,
): Promise<Range[]> {
  const left: Range[] = [];
  for (const [from, to] of ranges) {
    const periods = completePeriodsWithin(grain, from, to, today);
    const first = periods[0];
    const last = periods.at(-1);
    if (first === undefined || last === undefined) {
      left.push([from, to]);
      continue;
    }
    const stored = new Map((await read(first.start, last.start)).map((row) => [row.start, row]));
    left.push(
      ...coverWith(periods, stored, from, to, (period, row) =>
        use(
          period.start,
          storedJson(parseDayFigures, row.dayFigures, `day figures of ${grain} ${period.start}`),
          row.mergedAt,
        ),
      ),
    );
  }
  return left;
}

/**
 * What the arrivals or the services report across several centres reads: per centre, the day-level figures
 * the nightly merge stored (`visit_period_figures.day_figures` in the figures database) for every period of
 * `grains` (largest first) that lies wholly in the range and ended before the centre's today, then its own
 * stored months' day-level figures (`visit_month_rollups.day_figures`, in its database) for the complete
 * months left when `ownMonths`, and its day partials for the other days. For `"services"`, each stored
 * period's service tallies are laid out day by day (`serviceDaysOf`: each day's uses, quantity and key, the
 * period's people on its first day, core's `addServiceDaysOf` — so `grains` must be periods that lie within
 * one of the report's); for
 * `"arrivals"`, their weekday × hour tables and keys are added up and their days with a partial collected.
 * Counts and keys add up, and the same days give the same per-day tallies, so the report equals the
 * day-partial path's (as of the last nightly merge for the stored periods). No visitor code is read.
 */
export async function crossCentreDayFigures(
  dbs: Pick<Databases, "figures" | "dbFor">,
  scope: ReportScope,
  options: {
    report: "arrivals" | "services";
    grains: readonly FiguresGrain[];
    ownMonths: boolean;
    now: Date;
  },
): Promise<CrossCentreDays> {
  const result: CrossCentreDays = {
    days: {},
    arrivals: emptyDayFigures().arrivals,
    storedDays: new Set(),
    monthsAsOf: null,
  };
  // Every centre's periods start on the same days: each day is named once for all of them.
  const named = new Map<string, string[]>();
  const dayAt = (start: string) => {
    const known = named.get(start) ?? [];
    named.set(start, known);
    return (offset: number) => {
      const day = known[offset] ?? addDays(start, offset);
      known[offset] = day;
      return day;
    };
  };
  const use = (start: string, figures: DayFigures, mergedAt: string) => {
    if (result.monthsAsOf === null || mergedAt < result.monthsAsOf) result.monthsAsOf = mergedAt;
    if (options.report === "services") {
      addServiceDaysOf(result.days, start, figures, {
        newDay: () => ({ byHour: new Array<number>(24).fill(0), services: {} }),
        dayAt: dayAt(start),
      });
      return;
    }
    addGrid(result.arrivals.counts, figures.arrivals.counts, (a, b) => a + b);
    addGrid(result.arrivals.keys, figures.arrivals.keys, addCellKeys);
    const at = dayAt(start);
    for (const offset of figures.days) result.storedDays.add(at(offset));
  };
  for (const centre of scope.centres) {
    const today = localDateOf(options.now, centre.openingHours.timeZone);
    let ranges: Range[] = [[scope.from, scope.to]];
    for (const grain of options.grains)
      ranges = await coverRanges(
        ranges,
        grain,
        today,
        (fromStart, toStart) =>
          periodDayFiguresBetween(dbs.figures, centre.id, grain, { fromStart, toStart }),
        use,
      );
    if (ranges.length === 0) continue;
    const db: Db = await dbs.dbFor(centre.id);
    if (options.ownMonths)
      ranges = await coverRanges(
        ranges,
        "month",
        today,
        async (fromStart, toStart) =>
          (await monthDayFiguresBetween(db, centre.id, fromStart.slice(0, 7), toStart.slice(0, 7))).map(
            (row) => ({
              ...row,
              start: `${row.month}-01`,
            }),
          ),
        use,
      );
    for (const [from, to] of ranges) await addCentreDayFields(result.days, db, centre.id, from, to);
  }
  return result;
}
