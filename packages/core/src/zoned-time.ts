import { z } from "zod";
import { civilFromEpochDay, daysInMonth, epochDay, isoWeekdayOfEpochDay } from "./calendar.js";
import { formatterFor, OFFSET_SUFFIX, wallClockAt } from "./zone-clock.js";

export { daysInMonth, isLeapYear } from "./calendar.js";

/**
 * Calendar dates and wall times in a centre's time zone. A day, a week or an opening hour is always the
 * centre's *local* one, so every conversion goes through the IANA database via `Intl.DateTimeFormat`,
 * which every runtime we target (workerd, browsers, Node) ships. Instants are `Date` objects; ISO 8601
 * strings are accepted only with `Z` or an explicit offset, because a bare local string would be read in
 * the host's zone and make core depend on the machine it runs on.
 */

/** A calendar date `YYYY-MM-DD`, validated as a real date. Strings of this shape sort chronologically. */
export const LocalDate = z.iso.date({ error: "Expected a calendar date YYYY-MM-DD" });
export type LocalDate = z.infer<typeof LocalDate>;

/** The parts of a calendar date, `month` 1–12 and `day` 1–31. */
export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A wall-clock reading in some zone: a date plus `hour` 0–23, `minute`, `second`, `millisecond`. */
export interface LocalDateTime extends DateParts {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

/** An instant as a `Date`, or an ISO 8601 string that carries `Z` or an offset. */
export type InstantInput = Date | string;

const MS_PER_DAY = 86_400_000;
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;
/**
 * Tells whether `timeZone` names a zone of the IANA database this runtime knows (`Europe/Paris`, `UTC`,
 * `Asia/Kabul`). Offsets such as `+01:00` are refused: an offset is not a zone and knows nothing of DST.
 *
 * @example
 * isValidTimeZone("Europe/Paris"); // true
 * isValidTimeZone("Europe/Lyon"); // false
 */
export function isValidTimeZone(timeZone: string): boolean {
  if (!IANA_NAME.test(timeZone)) return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name that this runtime knows, such as `Europe/Paris`. */
export const TimeZone = z
  .string()
  .refine(isValidTimeZone, { error: "Expected an IANA time zone such as Europe/Paris" });
export type TimeZone = z.infer<typeof TimeZone>;

/**
 * Turns an instant input into a `Date`, refusing strings without an offset (their meaning would depend on
 * the host's zone) and anything that is not a valid instant. Throws `RangeError`: a bad instant here is a
 * bug in the caller, which should have validated its input at the edge.
 *
 * @example
 * toInstant("2026-11-28T08:15:00+01:00").toISOString(); // "2026-11-28T07:15:00.000Z"
 */
export function toInstant(instant: InstantInput): Date {
  if (typeof instant === "string" && !OFFSET_SUFFIX.test(instant)) {
    throw new RangeError(`Instant needs Z or an offset: ${instant}`);
  }
  const date = typeof instant === "string" ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Invalid instant: ${String(instant)}`);
  return date;
}

/**
 * Tells whether a string is a real calendar date written `YYYY-MM-DD` (so `2026-02-30` is not).
 *
 * @example
 * isValidLocalDate("2028-02-29"); // true
 * isValidLocalDate("2026-02-29"); // false
 */
export function isValidLocalDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Splits a `YYYY-MM-DD` date into numbers. Throws `RangeError` on a string that is not a real date: callers
 * hold dates that were validated at the edge.
 *
 * @example
 * localDateParts("2026-11-28"); // { year: 2026, month: 11, day: 28 }
 */
export function localDateParts(date: LocalDate): DateParts {
  if (!isValidLocalDate(date)) throw new RangeError(`Invalid local date: ${date}`);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

/**
 * Writes date parts as `YYYY-MM-DD`. Throws `RangeError` outside years 0000–9999 or on an impossible date,
 * since such a date cannot be written in the four-digit form every period code relies on.
 *
 * @example
 * formatLocalDate({ year: 2026, month: 3, day: 9 }); // "2026-03-09"
 */
export function formatLocalDate(parts: DateParts): LocalDate {
  const { year, month, day } = parts;
  const text = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  if (year < 0 || year > 9999 || !isValidLocalDate(text)) throw new RangeError(`Invalid date parts: ${text}`);
  return text;
}

function epochDayOf(date: LocalDate): number {
  const { year, month, day } = localDateParts(date);
  return epochDay(year, month, day);
}

/**
 * The date `days` calendar days after `date` (before it when negative), across months and years.
 *
 * @example
 * addDays("2026-12-31", 1); // "2027-01-01"
 * addDays("2028-03-01", -1); // "2028-02-29"
 */
export function addDays(date: LocalDate, days: number): LocalDate {
  return formatLocalDate(civilFromEpochDay(epochDayOf(date) + days));
}

/**
 * The number of calendar days from `from` to `to`: positive when `to` is later, zero on the same day.
 *
 * @example
 * daysBetween("2026-02-01", "2026-03-01"); // 28
 */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return epochDayOf(to) - epochDayOf(from);
}

/**
 * The ISO day of the week of a date: 1 for Monday through 7 for Sunday.
 *
 * @example
 * isoWeekday("2026-11-28"); // 6 (a Saturday)
 */
export function isoWeekday(date: LocalDate): number {
  return isoWeekdayOfEpochDay(epochDayOf(date));
}

/**
 * The wall-clock reading of an instant in a time zone: what a clock on the centre's wall shows.
 * Precision is the millisecond; the zone's rules come from the runtime's IANA data.
 *
 * @example
 * zonedDateTime(new Date("2026-07-01T12:00:00Z"), "Europe/Paris");
 * // { year: 2026, month: 7, day: 1, hour: 14, minute: 0, second: 0, millisecond: 0 }
 */
export function zonedDateTime(instant: InstantInput, timeZone: string): LocalDateTime {
  const time = toInstant(instant).getTime();
  return { ...wallClockAt(timeZone, time), millisecond: ((time % 1000) + 1000) % 1000 };
}

// The instant's wall reading, as milliseconds of a clock that ignores zones: wall time minus instant is the
// zone's offset.
function wallTime(parts: Omit<LocalDateTime, "millisecond"> & { millisecond?: number }): number {
  return (
    epochDay(parts.year, parts.month, parts.day) * MS_PER_DAY +
    parts.hour * 3_600_000 +
    parts.minute * 60_000 +
    parts.second * 1000 +
    (parts.millisecond ?? 0)
  );
}

function offsetMs(time: number, timeZone: string): number {
  return wallTime(zonedDateTime(new Date(time), timeZone)) - time;
}

/**
 * The zone's offset from UTC at an instant, in minutes (positive east of Greenwich). It is fractional only
 * for local mean time before a zone adopted standard time (Paris was +9 min 21 s until 1911).
 *
 * @example
 * offsetMinutes(new Date("2026-01-15T12:00:00Z"), "Asia/Kabul"); // 270
 */
export function offsetMinutes(instant: InstantInput, timeZone: string): number {
  return offsetMs(toInstant(instant).getTime(), timeZone) / 60_000;
}

/**
 * The instant at which a zone's clocks show a given wall time. Hours may reach 24 (meaning the next day's
 * midnight) so that a slot closing at "24:00" is expressible. Wall times that never happen, in the spring
 * DST gap, move forward by the gap (02:30 becomes 03:30 in Paris); wall times that happen twice, in the
 * autumn overlap, take the earlier instant. This is Temporal's "compatible" disambiguation.
 *
 * @example
 * zonedToInstant({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, "Europe/Paris").toISOString();
 * // "2026-03-29T01:30:00.000Z" (03:30 CEST)
 */
export function zonedToInstant(
  local: DateParts & { hour?: number; minute?: number; second?: number; millisecond?: number },
  timeZone: string,
): Date {
  const wall = wallTime({ hour: 0, minute: 0, second: 0, ...local });
  // A zone changes offset at most once within a day or so, so the offsets a day either side of the wall
  // time are the only candidates.
  const before = offsetMs(wall - MS_PER_DAY, timeZone);
  const after = offsetMs(wall + MS_PER_DAY, timeZone);
  const fits = [before, after]
    .filter((offset) => offsetMs(wall - offset, timeZone) === offset)
    .map((offset) => wall - offset);
  if (fits.length > 0) return new Date(Math.min(...fits));
  // In the gap: read the wall time with the offset in force before the jump, which lands past it.
  return new Date(wall - before);
}

/**
 * The calendar date of an instant in a time zone.
 *
 * @example
 * localDateOf(new Date("2026-11-28T23:30:00Z"), "Europe/Paris"); // "2026-11-29"
 */
export function localDateOf(instant: InstantInput, timeZone: string): LocalDate {
  return formatLocalDate(zonedDateTime(instant, timeZone));
}

/**
 * The instant a local day begins in a zone: usually its midnight, or the first instant after it where a
 * DST change skips midnight (America/Santiago, Asia/Beirut in some years).
 *
 * @example
 * startOfLocalDay("2026-11-28", "Europe/Paris").toISOString(); // "2026-11-27T23:00:00.000Z"
 */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  return zonedToInstant(localDateParts(date), timeZone);
}
