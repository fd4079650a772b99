import type { VisitAggregate } from "./aggregate.js";
import { UNKNOWN, uniqueVisitorsCellKey } from "./aggregate.js";
import { addCellKeys, type KeyGrid, type PerturbationTable, perturbCount } from "./cell-key.js";
import { ARRIVALS_LINES, OWN_MARGINS, publishTable } from "./closed-lines.js";
import { AgeBand, Gender } from "./common.js";
import type { CountTable, DisclosedCell, DisclosedTable } from "./disclosure.js";
import type { DisclosedVisitFigures } from "./figures.js";
import type { PeriodType } from "./period.js";
import { type PeriodPublication, periodLadder, publishPeriodFigure, tableFigures } from "./period-lines.js";
import { openVisitorGroupLines, publishVisitorGroups } from "./visitor-groups.js";
import { isoWeekday } from "./zoned-time.js";

/**
 * The figures behind the reports API, as pure functions of stored partials: arrivals by weekday × hour,
 * service use against capacity per period, and the referral funnel with time to outcome. Each report is a
 * table (or a few) of counts that goes through the same disclosure step: consistent perturbation
 * (`cell-key.ts`) for callers without raw-record access, {@link openTable} for the admin views that may see
 * every count. Both give the same shape, so a dashboard reads one format whatever the caller.
 */

/** ISO weekdays, Monday first: the rows of {@link arrivalsByWeekdayHour}. */
export const WEEKDAYS = [
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
] as const;

/** Local hours of the day, `00` … `23`: the columns of {@link arrivalsByWeekdayHour}. */
export const HOURS: readonly string[] = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, "0"));

/**
 * Folds day partials into a 7 × 24 table of arrivals: row = ISO weekday of the local day (Monday first),
 * column = local hour (the partial's `byHour`, already in the centre's wall time, so a DST night files
 * its arrivals under the hours the clock showed). Keys of `days` are local days `YYYY-MM-DD`.
 *
 * @example
 * const table = arrivalsByWeekdayHour({ "2026-11-30": mondayPartial });
 * table.cells[0][9]; // arrivals on Mondays between 09:00 and 09:59
 */
export function arrivalsByWeekdayHour(
  days: Readonly<Record<string, Pick<VisitAggregate, "byHour">>>,
): CountTable {
  const cells = WEEKDAYS.map(() => new Array<number>(24).fill(0));
  for (const [day, partial] of Object.entries(days)) {
    const row = cells[isoWeekday(day) - 1] as number[];
    for (let h = 0; h < 24; h++) row[h] = (row[h] as number) + (partial.byHour[h] ?? 0);
  }
  return { rowLabels: [...WEEKDAYS], columnLabels: [...HOURS], cells };
}

/**
 * The cell keys of {@link arrivalsByWeekdayHour}'s table: the keys of each local hour of each day (the
 * partials' `keys.byHour`), added up per weekday and hour exactly as the counts are.
 *
 * @example
 * const published = publishTable(arrivalsByWeekdayHour(days), arrivalsCellKeys(days), table, ARRIVALS_LINES);
 */
export function arrivalsCellKeys(days: Readonly<Record<string, Pick<VisitAggregate, "keys">>>): KeyGrid {
  const keys = WEEKDAYS.map(() => new Array<number>(24).fill(0));
  for (const [day, partial] of Object.entries(days)) {
    const row = keys[isoWeekday(day) - 1] as number[];
    for (let h = 0; h < 24; h++) row[h] = addCellKeys(row[h] as number, partial.keys?.byHour[h] ?? 0);
  }
  return keys;
}

/**
 * The arrivals table (weekday × hour, {@link arrivalsByWeekdayHour}) of one grid period of `type` made of
 * `days` (its local days' partials), as a caller without raw access may get it: consistent perturbation,
 * no closed line inside the table (`publishTable` with `ARRIVALS_LINES`), and no figure closing a line
 * with the same figure of the period's days, months and quarters, each published by its own answer
 * (`period-lines.ts`: the period's figure moves, never a sub-period's). A day's table is its plain
 * publication; a month's (Wednesday, 18:00) cell never pins its Wednesdays' cells.
 *
 * @example
 * const table = perturbationTable({ k: 5, maxNoise: 2 });
 * if (table.ok) publishArrivals("month", aprilDays, table.value).cells[2][18]; // Wednesdays at 18:00
 */
export function publishArrivals(
  type: PeriodType,
  days: Readonly<Record<string, Pick<VisitAggregate, "byHour" | "keys">>>,
  table: PerturbationTable,
): DisclosedTable {
  interface Published extends PeriodPublication {
    readonly table: DisclosedTable;
  }
  const publishPeriod = periodLadder<Published>((_, periodDays, within) => {
    const chosen = Object.fromEntries(periodDays.map((day) => [day, days[day] as VisitAggregate]));
    const counts = arrivalsByWeekdayHour(chosen);
    const published = publishTable(counts, arrivalsCellKeys(chosen), table, ARRIVALS_LINES, { within });
    return { table: published, figures: tableFigures(counts, published), within };
  });
  return publishPeriod(type, Object.keys(days).sort()).table;
}

const AGE_ROWS = [...AgeBand.options, UNKNOWN];
const GENDER_COLUMNS = [...Gender.options, UNKNOWN];

/**
 * One period's visit figures as they may be published to a caller without raw access, through consistent
 * perturbation (`cell-key.ts`): the age band × gender table of visits with its margins, visits by language
 * spoken (one column; a person may speak several, so it has no total of its own), first visits and unique
 * visitors — each cell perturbed with the key of the records it counts. The same records give the same
 * figure in every period, table and query, so nothing is hidden and nothing can be subtracted out. No line
 * of the age band × gender table is closed (`publishTable`, closed-lines.ts): where a margin would pin its
 * cells, a cell or that margin takes another outcome of its own count; the grand total, which the arrivals
 * report shares, keeps its own. Nor does a breakdown of unique visitors (by age band, by gender) close on
 * the published unique visitors (`openVisitorGroupLines`). For a period longer than a day, `within` holds
 * its sub-periods' publications (see `publishVisitPeriods`, visit-periods.ts, which builds them): no figure of the age
 * band × gender table, first visits or a language closes a line with the same figure of its sub-periods.
 *
 * @example
 * const table = perturbationTable({ k: 5, maxNoise: 2 });
 * if (table.ok) publishVisitPeriod("202611", monthAggregate, table.value).visits.grandTotal; // { value: 4211, suppressed: false }
 */
export function publishVisitPeriod(
  period: string,
  aggregate: VisitAggregate,
  table: PerturbationTable,
  within: readonly (readonly PeriodPublication[])[] = [],
): DisclosedVisitFigures {
  const byAgeGender = aggregate.byAgeBandGender as Record<string, Record<string, number>>;
  const keysByAgeGender = (aggregate.keys?.byAgeBandGender ?? {}) as Record<string, Record<string, number>>;
  const visits = publishTable(
    {
      rowLabels: AGE_ROWS,
      columnLabels: GENDER_COLUMNS,
      cells: AGE_ROWS.map((age) => GENDER_COLUMNS.map((gender) => byAgeGender[age]?.[gender] ?? 0)),
    },
    AGE_ROWS.map((age) => GENDER_COLUMNS.map((gender) => keysByAgeGender[age]?.[gender] ?? 0)),
    table,
    OWN_MARGINS,
    { within, prefix: "visits|" },
  );
  const languages = Object.keys(aggregate.byLanguage).sort();
  const languageKeys = aggregate.keys?.byLanguage ?? {};
  const shown = (n: number, key: number): DisclosedCell => ({
    value: perturbCount(n, key, table),
    suppressed: false,
  });
  // A period's first visits and languages are sums over its days too: no such line may close.
  const opened = (name: string, n: number, key: number): DisclosedCell => ({
    value: publishPeriodFigure(name, n, key, within, table),
    suppressed: false,
  });
  const uniqueVisitors = shown(aggregate.uniqueVisitors, uniqueVisitorsCellKey(aggregate));
  return {
    period,
    visits,
    // Only languages whose published count is not 0: listing one because its true count is not 0 would
    // say so of a count published as 0.
    byLanguage: languages
      .map((language) => ({
        language,
        count: opened(
          `language|${language}`,
          aggregate.byLanguage[language] ?? 0,
          languageKeys[language] ?? 0,
        ),
      }))
      .filter(({ count }) => !count.suppressed && count.value > 0),
    firstVisits: opened("first", aggregate.firstVisits, aggregate.keys?.firstVisits ?? 0),
    uniqueVisitors,
    // Unique visitors are at most the sum of their groups: no such line may pin the groups.
    uniqueVisitorsBy: openVisitorGroupLines(
      publishVisitorGroups(aggregate, table),
      aggregate,
      uniqueVisitors,
      table,
    ),
  };
}

// The disclosure step for callers who may see every count lives with the other disclosure rules.
export { openTable } from "./disclosure.js";
// One file per report: services against capacity, and the referral funnel.
export * from "./referral-report.js";
export * from "./service-report.js";
