import { daysInMonth, epochDay, SECONDS_PER_DAY } from "./calendar.js";

// The one reading of a zone's wall clock (Intl, the runtime's IANA data), and the cached clock the
// aggregation's fast path uses on top of it. zoned-time.ts answers the public questions with the same reading.

/** The suffix an instant needs (`Z` or an offset): without it, its meaning would depend on the host's zone. */
export const OFFSET_SUFFIX = /(?:Z|[+-]\d{2}:?\d{2})$/i;

// A formatter is costly to build and immutable once built, so memoising one per zone keeps core pure.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The en-US, h23, era-aware formatter of a zone; throws `RangeError` on a zone the runtime does not know. */
export function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** A wall-clock reading to the second. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** What the zone's clocks show at `epochMs` (to the second), read from Intl. */
export function wallClockAt(timeZone: string, epochMs: number): WallClock {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let beforeCommonEra = false;
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    switch (part.type) {
      case "era":
        beforeCommonEra = part.value === "BC" || part.value === "B";
        break;
      case "year":
        year = Number(part.value);
        break;
      case "month":
        month = Number(part.value);
        break;
      case "day":
        day = Number(part.value);
        break;
      case "hour":
        // Some engines print midnight as 24 even with h23.
        hour = Number(part.value) % 24;
        break;
      case "minute":
        minute = Number(part.value);
        break;
      case "second":
        second = Number(part.value);
        break;
    }
  }
  return { year: beforeCommonEra ? 1 - year : year, month, day, hour, minute, second };
}

/** The zone's offset at an instant in whole seconds (wall clock minus instant). */
export function offsetSecondsAt(timeZone: string, epochSeconds: number): number {
  const wall = wallClockAt(timeZone, epochSeconds * 1000);
  const local =
    epochDay(wall.year, wall.month, wall.day) * SECONDS_PER_DAY +
    wall.hour * 3600 +
    wall.minute * 60 +
    wall.second;
  return local - epochSeconds;
}

/** Two decimal digits at `i`, or a large negative number that fails every range check after it. */
function twoDigits(text: string, i: number): number {
  const high = text.charCodeAt(i) - 48;
  const low = text.charCodeAt(i + 1) - 48;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -10_000;
}

function isDigits(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
  }
  return true;
}

/**
 * Seconds since the epoch of an ISO 8601 instant. Stored instants all look alike (`…T08:15:00Z`), so they
 * are read digit by digit; anything else goes through `Date.parse`. Fractions of a second are dropped:
 * they never move an instant across a local hour.
 */
export function epochSecondsOf(instant: string): number {
  const n = instant.length;
  if (
    n >= 20 &&
    instant.charCodeAt(4) === 45 &&
    instant.charCodeAt(7) === 45 &&
    (instant.charCodeAt(10) === 84 || instant.charCodeAt(10) === 116) &&
    instant.charCodeAt(13) === 58 &&
    instant.charCodeAt(16) === 58
  ) {
    let offsetSeconds = Number.NaN;
    let end = n;
    const last = instant.charCodeAt(n - 1);
    if (last === 90 || last === 122) {
      offsetSeconds = 0;
      end = n - 1;
    } else if (instant.charCodeAt(n - 3) === 58) {
      const sign = instant.charCodeAt(n - 6);
      const magnitude = twoDigits(instant, n - 5) * 3600 + twoDigits(instant, n - 2) * 60;
      if (sign === 43) offsetSeconds = magnitude;
      else if (sign === 45) offsetSeconds = -magnitude;
      end = n - 6;
    }
    const fractionOk =
      end === 19 || (end > 20 && instant.charCodeAt(19) === 46 && isDigits(instant, 20, end));
    const year = twoDigits(instant, 0) * 100 + twoDigits(instant, 2);
    const month = twoDigits(instant, 5);
    const day = twoDigits(instant, 8);
    const hour = twoDigits(instant, 11);
    const minute = twoDigits(instant, 14);
    const second = twoDigits(instant, 17);
    if (
      fractionOk &&
      offsetSeconds >= -86_400 &&
      offsetSeconds <= 86_400 &&
      year >= 0 &&
      hour >= 0 &&
      minute >= 0 &&
      second >= 0 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= daysInMonth(year, month) &&
      hour <= 23 &&
      minute <= 59 &&
      second <= 59
    ) {
      return (
        epochDay(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offsetSeconds
      );
    }
  }
  // Without an offset Date.parse would read the host's zone, making the result depend on the machine.
  if (!OFFSET_SUFFIX.test(instant)) throw new RangeError(`An instant needs Z or an offset: ${instant}`);
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO 8601 instant: ${instant}`);
  return Math.floor(ms / 1000);
}

/**
 * Local wall-clock time in one zone, as seconds since the local epoch. Asking Intl costs microseconds, so
 * the offset is asked once per UTC day: if it is the same at both ends of the day it holds for the whole day
 * (no zone changes its offset and back within 24 hours). A day with a change is split into hours the same
 * way, and an hour with a change inside it (Lord Howe's half-hour DST) is resolved instant by instant.
 */
export class ZoneClock {
  private readonly spans = new Map<number, number>();
  // The span of the last lookup: rows usually come in time order, so most lookups end here.
  private spanStart = 0;
  private spanEnd = 0;
  private spanOffset = 0;

  constructor(private readonly timeZone: string) {
    // Build (and check) the zone's formatter now: an unknown zone is a bug and throws here, not mid-run.
    formatterFor(timeZone);
  }

  private offsetAt(epochSeconds: number): number {
    return offsetSecondsAt(this.timeZone, epochSeconds);
  }

  /** The offset over [start, start + length), or NaN if it changes inside; keyed by start (days and hours never share one). */
  private spanOffsetOf(start: number, length: number): number {
    const key = length === SECONDS_PER_DAY ? start : -start - 1;
    let offset = this.spans.get(key);
    if (offset === undefined) {
      const atStart = this.offsetAt(start);
      offset = atStart === this.offsetAt(start + length - 1) ? atStart : Number.NaN;
      this.spans.set(key, offset);
    }
    if (!Number.isNaN(offset)) {
      this.spanStart = start;
      this.spanEnd = start + length;
      this.spanOffset = offset;
    }
    return offset;
  }

  localSeconds(epochSeconds: number): number {
    if (epochSeconds >= this.spanStart && epochSeconds < this.spanEnd) return epochSeconds + this.spanOffset;
    const dayStart = Math.floor(epochSeconds / SECONDS_PER_DAY) * SECONDS_PER_DAY;
    let offset = this.spanOffsetOf(dayStart, SECONDS_PER_DAY);
    if (Number.isNaN(offset)) offset = this.spanOffsetOf(Math.floor(epochSeconds / 3600) * 3600, 3600);
    if (Number.isNaN(offset)) offset = this.offsetAt(epochSeconds);
    return epochSeconds + offset;
  }
}
