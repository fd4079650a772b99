import { z } from "zod";
import { epochDay, isoWeekOfEpochDay } from "./calendar.js";
import { err, ok, type Result } from "./result.js";
import {
  addDays,
  daysBetween,
  daysInMonth,
  formatLocalDate,
  type InstantInput,
  isLeapYear,
  isoWeekday,
  isValidLocalDate,
  type LocalDate,
  localDateOf,
  localDateParts,
  startOfLocalDay,
} from "./zoned-time.js";

/**
 * Reporting periods written as ISO / DHIS2 period codes: a day `2026-11-28`, an ISO week `2026W48`, a month
 * `202611`, a quarter `2026Q4`, a year `2026`. A period is always a run of the centre's *local* calendar
 * days; `periodBounds` turns it into instants in the centre's zone.
 */

export const PeriodType = z.enum(["day", "week", "month", "quarter", "year"]);
export type PeriodType = z.infer<typeof PeriodType>;

/** A reporting period: its type, its canonical code and its first and last local days (both inclusive). */
export interface Period {
  readonly type: PeriodType;
  readonly code: string;
  readonly start: LocalDate;
  readonly end: LocalDate;
}

/** Why a period code or range was refused. */
export interface PeriodError {
  readonly code:
    | "invalid_period"
    | "period_type_mismatch"
    | "period_range_reversed"
    | "period_range_too_long";
  readonly message: string;
}

/** The most periods `periodRange` returns: 10,000 days is 27 years, far beyond any report. */
export const MAX_PERIOD_RANGE = 10_000;

const PERIOD_PATTERNS: ReadonlyArray<readonly [PeriodType, RegExp]> = [
  ["day", /^(\d{4})-(\d{2})-(\d{2})$/],
  ["week", /^(\d{4})W(\d{2})$/],
  ["month", /^(\d{4})(\d{2})$/],
  ["quarter", /^(\d{4})Q(\d)$/],
  ["year", /^(\d{4})$/],
];

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

// The Monday of ISO week 1: the week holding 4 January, hence the year's first Thursday.
function isoWeekOneMonday(weekYear: number): LocalDate {
  const january4 = formatLocalDate({ year: weekYear, month: 1, day: 4 });
  return addDays(january4, 1 - isoWeekday(january4));
}

/**
 * The number of ISO weeks (52 or 53) in an ISO week-numbering year: 53 when the year starts on a Thursday,
 * or on a Wednesday in a leap year.
 *
 * @example
 * isoWeeksInYear(2026); // 53
 * isoWeeksInYear(2025); // 52
 */
export function isoWeeksInYear(weekYear: number): number {
  const january1 = isoWeekday(formatLocalDate({ year: weekYear, month: 1, day: 1 }));
  return january1 === 4 || (january1 === 3 && isLeapYear(weekYear)) ? 53 : 52;
}

/**
 * The ISO week-numbering year and week of a date. Early January days can belong to the previous year's
 * last week, late December days to the next year's week 1.
 *
 * @example
 * isoWeekOf("2027-01-01"); // { weekYear: 2026, week: 53 }
 */
export function isoWeekOf(date: LocalDate): { weekYear: number; week: number } {
  const { year, month, day } = localDateParts(date);
  return isoWeekOfEpochDay(epochDay(year, month, day));
}

/**
 * The period of a given type that holds a local calendar date.
 *
 * @example
 * periodOfDate("week", "2026-12-31"); // { type: "week", code: "2026W53", start: "2026-12-28", end: "2027-01-03" }
 */
export function periodOfDate(type: PeriodType, date: LocalDate): Period {
  const { year, month } = localDateParts(date);
  switch (type) {
    case "day":
      return { type, code: date, start: date, end: date };
    case "week": {
      const start = addDays(date, 1 - isoWeekday(date));
      const { weekYear, week } = isoWeekOf(date);
      return { type, code: `${pad(weekYear, 4)}W${pad(week, 2)}`, start, end: addDays(start, 6) };
    }
    case "month":
      return {
        type,
        code: `${pad(year, 4)}${pad(month, 2)}`,
        start: formatLocalDate({ year, month, day: 1 }),
        end: formatLocalDate({ year, month, day: daysInMonth(year, month) }),
      };
    case "quarter": {
      const quarter = Math.ceil(month / 3);
      const lastMonth = quarter * 3;
      return {
        type,
        code: `${pad(year, 4)}Q${quarter}`,
        start: formatLocalDate({ year, month: lastMonth - 2, day: 1 }),
        end: formatLocalDate({ year, month: lastMonth, day: daysInMonth(year, lastMonth) }),
      };
    }
    case "year":
      return {
        type,
        code: pad(year, 4),
        start: formatLocalDate({ year, month: 1, day: 1 }),
        end: formatLocalDate({ year, month: 12, day: 31 }),
      };
  }
}

function invalid(code: string, reason: string): Result<never, PeriodError> {
  return err({ code: "invalid_period", message: `"${code}" is not a period: ${reason}` });
}

/**
 * Reads a period code. Only the canonical forms are accepted (`2026W48`, not `2026-W48` or `2026w48`), so a
 * parsed period formats back to the very same code; impossible periods (`2025W53`, `202613`, `2026Q5`,
 * `2026-02-30`) are refused with `invalid_period`.
 *
 * @example
 * parsePeriod("2026Q4"); // { ok: true, value: { type: "quarter", code: "2026Q4", start: "2026-10-01", end: "2026-12-31" } }
 * parsePeriod("2025W53"); // { ok: false, error: { code: "invalid_period", message: "…" } }
 */
export function parsePeriod(code: string): Result<Period, PeriodError> {
  for (const [type, pattern] of PERIOD_PATTERNS) {
    const match = pattern.exec(code);
    if (!match) continue;
    const year = Number(match[1]);
    const n = Number(match[2]);
    // Neighbouring periods must stay writable with a four-digit year.
    if (year < 1 || year > 9998) return invalid(code, "years run from 0001 to 9998");
    switch (type) {
      case "day":
        return isValidLocalDate(code)
          ? ok(periodOfDate("day", code))
          : invalid(code, "no such calendar date");
      case "week":
        if (n < 1 || n > isoWeeksInYear(year)) {
          return invalid(code, `ISO year ${year} has weeks 01 to ${isoWeeksInYear(year)}`);
        }
        return ok(periodOfDate("week", addDays(isoWeekOneMonday(year), (n - 1) * 7)));
      case "month":
        if (n < 1 || n > 12) return invalid(code, "months run from 01 to 12");
        return ok(periodOfDate("month", formatLocalDate({ year, month: n, day: 1 })));
      case "quarter":
        if (n < 1 || n > 4) return invalid(code, "quarters run from Q1 to Q4");
        return ok(periodOfDate("quarter", formatLocalDate({ year, month: n * 3, day: 1 })));
      case "year":
        return ok(periodOfDate("year", formatLocalDate({ year, month: 1, day: 1 })));
    }
  }
  return invalid(code, "use YYYY-MM-DD, YYYYWww, YYYYMM, YYYYQn or YYYY");
}

/** A period code in canonical ISO / DHIS2 form that names a period that exists. */
export const PeriodCode = z.string().superRefine((value, ctx) => {
  const parsed = parsePeriod(value);
  if (!parsed.ok) ctx.addIssue({ code: "invalid_format", format: "period", message: parsed.error.message });
});
export type PeriodCode = z.infer<typeof PeriodCode>;

/**
 * The canonical code of a period, recomputed from its type and first day (so a hand-built period formats
 * correctly too).
 *
 * @example
 * formatPeriod({ type: "month", start: "2026-11-01" }); // "202611"
 */
export function formatPeriod(period: Pick<Period, "type" | "start">): string {
  return periodOfDate(period.type, period.start).code;
}

/**
 * The period of a given type that holds an instant, read on the centre's local calendar: a visit at
 * 23:30 UTC on 31 December is in January's report for a centre in Paris.
 *
 * @example
 * periodContaining("year", new Date("2026-12-31T23:30:00Z"), "Europe/Paris").code; // "2027"
 */
export function periodContaining(type: PeriodType, instant: InstantInput, timeZone: string): Period {
  return periodOfDate(type, localDateOf(instant, timeZone));
}

/**
 * The period of the same type that starts the day after this one ends.
 *
 * @example
 * nextPeriod(periodOfDate("week", "2026-12-31")).code; // "2027W01"
 */
export function nextPeriod(period: Period): Period {
  return periodOfDate(period.type, addDays(period.end, 1));
}

/**
 * The period of the same type that ends the day before this one starts.
 *
 * @example
 * previousPeriod(periodOfDate("quarter", "2026-01-15")).code; // "2025Q4"
 */
export function previousPeriod(period: Period): Period {
  return periodOfDate(period.type, addDays(period.start, -1));
}

/**
 * Every period from `fromCode` to `toCode`, both included, in order. Both codes must be of the same type
 * and in order; the list is capped at `MAX_PERIOD_RANGE` periods so a typo cannot ask for a million days.
 *
 * @example
 * periodRange("202611", "202602"); // { ok: false, error: { code: "period_range_reversed", … } }
 * periodRange("2026Q3", "2027Q1"); // { ok: true, value: [2026Q3, 2026Q4, 2027Q1 as periods] }
 */
export function periodRange(fromCode: string, toCode: string): Result<Period[], PeriodError> {
  const from = parsePeriod(fromCode);
  if (!from.ok) return from;
  const to = parsePeriod(toCode);
  if (!to.ok) return to;
  if (from.value.type !== to.value.type) {
    return err({
      code: "period_type_mismatch",
      message: `"${fromCode}" is a ${from.value.type} and "${toCode}" a ${to.value.type}`,
    });
  }
  if (from.value.start > to.value.start) {
    return err({ code: "period_range_reversed", message: `"${fromCode}" comes after "${toCode}"` });
  }
  const periods: Period[] = [from.value];
  while (periods[periods.length - 1]?.code !== to.value.code) {
    if (periods.length === MAX_PERIOD_RANGE) {
      return err({
        code: "period_range_too_long",
        message: `More than ${MAX_PERIOD_RANGE} periods from "${fromCode}" to "${toCode}"`,
      });
    }
    periods.push(nextPeriod(periods[periods.length - 1] as Period));
  }
  return ok(periods);
}

/**
 * The instants a period covers in a zone, half-open: `[start, end)` from the first local midnight to the
 * midnight after the last day. Local days are not all 24 hours, so a Paris month holding the March DST
 * change lasts one hour less than its days times 24.
 *
 * @example
 * periodBounds(periodOfDate("day", "2026-03-29"), "Europe/Paris");
 * // { start: 2026-03-28T23:00:00Z, end: 2026-03-29T22:00:00Z } (23 hours)
 */
export function periodBounds(period: Period, timeZone: string): { start: Date; end: Date } {
  return {
    start: startOfLocalDay(period.start, timeZone),
    end: startOfLocalDay(addDays(period.end, 1), timeZone),
  };
}

/**
 * Every local day of a period, in order.
 *
 * @example
 * daysInPeriod(periodOfDate("week", "2026-11-28")); // ["2026-11-23", …, "2026-11-29"]
 */
export function daysInPeriod(period: Period): LocalDate[] {
  const count = daysBetween(period.start, period.end) + 1;
  return Array.from({ length: count }, (_, index) => addDays(period.start, index));
}

/**
 * Tells whether a period, or a single local date, lies wholly inside another period. Weeks straddle
 * months, so a week is in a month only when all seven of its days are.
 *
 * @example
 * periodContains(periodOfDate("year", "2026-05-01"), "2026-11-28"); // true
 */
export function periodContains(outer: Period, inner: Period | LocalDate): boolean {
  const [start, end] = typeof inner === "string" ? [inner, inner] : [inner.start, inner.end];
  return outer.start <= start && end <= outer.end;
}

/** Why a range is not on the publication grid, with the nearest range that is. */
export interface OffGrid {
  readonly code: "off_grid";
  readonly message: string;
  /**
   * The smallest range on the grid that holds the one asked for; when no single period can (a range across
   * a new year asked as one period), the year holding its last day. For a backwards range, the period
   * holding its first day.
   */
  readonly allowedFrom: LocalDate;
  readonly allowedTo: LocalDate;
}

/**
 * Checks a range of local days against the **publication grid** of figures shown without raw access
 * (docs/disclosure.md): with `wholePeriods`, the range must be made of whole periods of that type (a report
 * cut into days, weeks, months…: from the first day of one to the last day of one); without it, the range
 * must be exactly one day, ISO week, month, quarter or year. Arbitrary ranges would let a reader subtract
 * two overlapping answers; on the grid every published cell is a whole period, and the same period always
 * counts the same records. The error names the smallest range on the grid that holds the one asked for (see
 * {@link OffGrid}); a backwards range is off the grid too.
 *
 * @example
 * checkPublicationGrid("2026-11-01", "2026-11-30", "day"); // { ok: true, value: undefined }
 * checkPublicationGrid("2026-11-01", "2026-11-29"); // off_grid: allowedFrom 2026-11-01, allowedTo 2026-11-30
 * checkPublicationGrid("2026-11-03", "2026-11-30", "month"); // off_grid: 2026-11-01 … 2026-11-30
 */
export function checkPublicationGrid(
  from: LocalDate,
  to: LocalDate,
  wholePeriods?: PeriodType,
): Result<void, OffGrid> {
  if (to < from) {
    const period = periodOfDate(wholePeriods ?? "day", from);
    return err({
      code: "off_grid",
      message: "The range must run forwards",
      allowedFrom: period.start,
      allowedTo: period.end,
    });
  }
  if (wholePeriods !== undefined) {
    const allowedFrom = periodOfDate(wholePeriods, from).start;
    const allowedTo = periodOfDate(wholePeriods, to).end;
    if (allowedFrom === from && allowedTo === to) return ok(undefined);
    return err({
      code: "off_grid",
      message: `A report by ${wholePeriods} runs from the first day of a ${wholePeriods} to the last day of one`,
      allowedFrom,
      allowedTo,
    });
  }
  for (const type of PeriodType.options) {
    const period = periodOfDate(type, from);
    if (period.start === from && period.end === to) return ok(undefined);
  }
  const enclosing =
    PeriodType.options
      .map((type) => periodOfDate(type, from))
      .find((period) => period.end >= to && periodOfDate(period.type, to).code === period.code) ??
    periodOfDate("year", to);
  return err({
    code: "off_grid",
    message: "The range must be exactly one day, ISO week, month, quarter or year",
    allowedFrom: enclosing.start,
    allowedTo: enclosing.end,
  });
}
