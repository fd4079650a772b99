import type { DateParts } from "./zoned-time.js";

// The proleptic Gregorian calendar on day numbers (days since 1970-01-01), integer-only (H. Hinnant's
// algorithms), so it has none of Date.UTC's quirks with years below 100. The one home of this arithmetic:
// zoned-time.ts (local dates), period.ts (period codes) and the aggregation's fast path all count days here.

export const SECONDS_PER_DAY = 86_400;

/** Days since 1970-01-01 of a proleptic Gregorian date. */
export function epochDay(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The date of a day number: the inverse of {@link epochDay}. */
export function civilFromEpochDay(days: number): DateParts {
  const z0 = days + 719_468;
  const era = Math.floor(z0 / 146_097);
  const dayOfEra = z0 - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/**
 * Tells whether a year of the Gregorian calendar has a 29 February.
 *
 * @example
 * isLeapYear(2028); // true
 * isLeapYear(2100); // false
 */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The number of days in a month (`month` 1–12) of a given year.
 *
 * @example
 * daysInMonth(2028, 2); // 29
 */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The ISO day of the week of a day number: 1 for Monday through 7 for Sunday (1970-01-01 was a Thursday). */
export function isoWeekdayOfEpochDay(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** The ISO 8601 week-numbering year and week of a day number: a week belongs to the year of its Thursday. */
export function isoWeekOfEpochDay(days: number): { weekYear: number; week: number } {
  const thursday = days + 4 - isoWeekdayOfEpochDay(days);
  const weekYear = civilFromEpochDay(thursday).year;
  return { weekYear, week: Math.floor((thursday - epochDay(weekYear, 1, 1)) / 7) + 1 };
}

/** `YYYY-MM-DD` of a day number, unchecked (the aggregation's day keys; see `formatLocalDate` for the checked form). */
export function formatEpochDay(days: number): string {
  const { year, month, day } = civilFromEpochDay(days);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}
