import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  daysBetween,
  daysInMonth,
  formatLocalDate,
  isoWeekday,
  isValidLocalDate,
  isValidTimeZone,
  LocalDate,
  localDateOf,
  localDateParts,
  offsetMinutes,
  startOfLocalDay,
  TimeZone,
  toInstant,
  zonedDateTime,
  zonedToInstant,
} from "./zoned-time.js";

const ZONES = [
  "UTC",
  "Europe/Paris",
  "America/New_York",
  "America/St_Johns",
  "America/Santiago",
  "Asia/Kabul",
  "Asia/Kathmandu",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
] as const;

const HOUR = 3_600_000;

describe("isValidTimeZone and TimeZone", () => {
  it.each([
    ["Europe/Paris", true],
    ["UTC", true],
    ["Asia/Kabul", true],
    ["America/Argentina/Buenos_Aires", true],
    ["Etc/GMT+5", true],
    ["Europe/Lyon", false],
    ["Paris", false],
    ["+01:00", false],
    ["", false],
    ["Europe/Paris ", false],
  ])("%j → %s", (zone, valid) => {
    expect(isValidTimeZone(zone)).toBe(valid);
    expect(TimeZone.safeParse(zone).success).toBe(valid);
  });
});

describe("LocalDate and calendar helpers", () => {
  it.each([
    ["2026-11-28", true],
    ["2028-02-29", true],
    ["2000-02-29", true],
    ["2026-02-29", false],
    ["1900-02-29", false],
    ["2026-02-30", false],
    ["2026-04-31", false],
    ["2026-13-01", false],
    ["2026-00-10", false],
    ["2026-1-01", false],
    ["26-11-28", false],
    ["2026-11-28T00:00", false],
  ])("%s is a real date: %s", (text, valid) => {
    expect(isValidLocalDate(text)).toBe(valid);
    expect(LocalDate.safeParse(text).success).toBe(valid);
  });

  it.each([
    ["2026-12-31", 1, "2027-01-01"],
    ["2027-01-01", -1, "2026-12-31"],
    ["2028-02-28", 1, "2028-02-29"],
    ["2026-02-28", 1, "2026-03-01"],
    ["2100-02-28", 1, "2100-03-01"],
    ["2000-02-28", 1, "2000-02-29"],
    ["2026-11-28", 365, "2027-11-28"],
    ["2026-11-28", 0, "2026-11-28"],
    ["0001-01-01", -1, "0000-12-31"],
  ])("addDays(%s, %i) = %s", (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
    expect(daysBetween(date, expected)).toBe(days);
  });

  it.each([
    ["1970-01-01", 4],
    ["2000-01-01", 6],
    ["2024-02-29", 4],
    ["2026-11-23", 1],
    ["2026-11-28", 6],
    ["2026-11-29", 7],
    ["1900-01-01", 1],
  ])("isoWeekday(%s) = %i", (date, weekday) => {
    expect(isoWeekday(date)).toBe(weekday);
  });

  it("knows the length of every month, leap years included", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((month) => daysInMonth(2026, month))).toEqual([
      31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
  });

  it("refuses to write or read impossible dates", () => {
    expect(() => formatLocalDate({ year: 2026, month: 2, day: 29 })).toThrow(RangeError);
    expect(() => formatLocalDate({ year: 10_000, month: 1, day: 1 })).toThrow(RangeError);
    expect(() => localDateParts("2026-02-30")).toThrow(RangeError);
    expect(formatLocalDate({ year: 33, month: 1, day: 5 })).toBe("0033-01-05");
  });

  it("agrees with the platform's UTC calendar (property)", () => {
    const epoch = "1970-01-01";
    fc.assert(
      fc.property(
        fc.integer({ min: -60_000, max: 60_000 }),
        fc.integer({ min: -1000, max: 1000 }),
        (day, n) => {
          const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
          expect(addDays(epoch, day)).toBe(date);
          expect(isoWeekday(date)).toBe(((new Date(day * 86_400_000).getUTCDay() + 6) % 7) + 1);
          expect(daysBetween(date, addDays(date, n))).toBe(n);
          expect(localDateParts(date)).toEqual({
            year: Number(date.slice(0, 4)),
            month: Number(date.slice(5, 7)),
            day: Number(date.slice(8, 10)),
          });
        },
      ),
    );
  });
});

describe("toInstant", () => {
  it("accepts Dates and ISO strings with an offset", () => {
    expect(toInstant("2026-11-28T08:15:00+01:00").toISOString()).toBe("2026-11-28T07:15:00.000Z");
    expect(toInstant("2026-11-28T07:15:00Z").getTime()).toBe(Date.UTC(2026, 10, 28, 7, 15));
  });

  it.each(["2026-11-28T08:15:00", "2026-11-28", "yesterday", "2026-13-28T08:15:00Z"])(
    "refuses %j, whose instant is unknown or host-dependent",
    (text) => {
      expect(() => toInstant(text)).toThrow(RangeError);
    },
  );
});

describe("zonedDateTime and offsetMinutes", () => {
  it.each([
    ["2026-07-01T12:00:00Z", "Europe/Paris", "2026-07-01 14:00", 120],
    ["2026-01-15T12:00:00Z", "Europe/Paris", "2026-01-15 13:00", 60],
    ["2026-11-28T23:30:00Z", "Europe/Paris", "2026-11-29 00:30", 60],
    ["2026-01-15T12:00:00Z", "America/New_York", "2026-01-15 07:00", -300],
    ["2026-07-01T02:00:00Z", "America/New_York", "2026-06-30 22:00", -240],
    ["2026-01-15T12:00:00Z", "Asia/Kabul", "2026-01-15 16:30", 270],
    ["2026-06-30T19:45:00Z", "Asia/Kabul", "2026-07-01 00:15", 270],
    ["2026-01-15T12:00:00Z", "Asia/Kathmandu", "2026-01-15 17:45", 345],
    ["2026-01-15T12:00:00Z", "Australia/Lord_Howe", "2026-01-15 23:00", 660],
    ["2026-07-15T12:00:00Z", "Australia/Lord_Howe", "2026-07-15 22:30", 630],
    ["2026-01-15T12:00:00Z", "Pacific/Chatham", "2026-01-16 01:45", 825],
    ["2026-07-15T12:00:00Z", "Pacific/Chatham", "2026-07-16 00:45", 765],
    ["2026-07-15T12:00:00Z", "America/St_Johns", "2026-07-15 09:30", -150],
  ])("%s in %s is %s (UTC%+i min)", (instant, zone, wall, offset) => {
    const parts = zonedDateTime(new Date(instant), zone);
    const text = `${formatLocalDate(parts)} ${String(parts.hour).padStart(2, "0")}:${String(parts.minute).padStart(2, "0")}`;
    expect(text).toBe(wall);
    expect(offsetMinutes(instant, zone)).toBe(offset);
    expect(localDateOf(instant, zone)).toBe(wall.slice(0, 10));
  });

  it("keeps milliseconds, and reads midnight as hour 0", () => {
    expect(zonedDateTime(new Date("2026-11-28T23:00:00.123Z"), "Europe/Paris")).toEqual({
      year: 2026,
      month: 11,
      day: 29,
      hour: 0,
      minute: 0,
      second: 0,
      millisecond: 123,
    });
  });

  it("matches the platform's UTC reading (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -2_208_988_800_000, max: 4_102_444_800_000 }), (time) => {
        const date = new Date(time);
        expect(zonedDateTime(date, "UTC")).toEqual({
          year: date.getUTCFullYear(),
          month: date.getUTCMonth() + 1,
          day: date.getUTCDate(),
          hour: date.getUTCHours(),
          minute: date.getUTCMinutes(),
          second: date.getUTCSeconds(),
          millisecond: date.getUTCMilliseconds(),
        });
      }),
    );
  });
});

describe("zonedToInstant", () => {
  it.each([
    // Plain wall times.
    ["Europe/Paris", "2026-11-28", 8, 0, "2026-11-28T07:00:00.000Z"],
    ["Europe/Paris", "2026-07-01", 8, 0, "2026-07-01T06:00:00.000Z"],
    ["Asia/Kabul", "2026-11-28", 8, 0, "2026-11-28T03:30:00.000Z"],
    // Spring gap: the wall time does not exist and moves forward by the gap.
    ["Europe/Paris", "2026-03-29", 2, 30, "2026-03-29T01:30:00.000Z"],
    ["America/New_York", "2026-03-08", 2, 30, "2026-03-08T07:30:00.000Z"],
    ["Australia/Lord_Howe", "2026-10-04", 2, 15, "2026-10-03T15:45:00.000Z"],
    ["Pacific/Chatham", "2026-09-27", 3, 0, "2026-09-26T14:15:00.000Z"],
    // Autumn overlap: the wall time happens twice; the earlier instant wins.
    ["Europe/Paris", "2026-10-25", 2, 30, "2026-10-25T00:30:00.000Z"],
    ["America/New_York", "2026-11-01", 1, 30, "2026-11-01T05:30:00.000Z"],
    ["Australia/Lord_Howe", "2026-04-05", 1, 45, "2026-04-04T14:45:00.000Z"],
    ["Pacific/Chatham", "2026-04-05", 3, 0, "2026-04-04T13:15:00.000Z"],
    // Hour 24 is the next day's midnight.
    ["Europe/Paris", "2026-03-28", 24, 0, "2026-03-28T23:00:00.000Z"],
    ["Europe/Paris", "2026-10-25", 24, 0, "2026-10-25T23:00:00.000Z"],
  ])("%s %s %i:%i → %s", (zone, date, hour, minute, expected) => {
    expect(zonedToInstant({ ...localDateParts(date), hour, minute }, zone).toISOString()).toBe(expected);
  });

  it.each([
    ["Europe/Paris", "2026-11-28", "2026-11-27T23:00:00.000Z"],
    ["Asia/Kabul", "2026-11-28", "2026-11-27T19:30:00.000Z"],
    // Santiago springs forward at midnight: the day starts at 01:00.
    ["America/Santiago", "2026-09-06", "2026-09-06T04:00:00.000Z"],
  ])("the day %2$s starts in %1$s at %3$s", (zone, date, expected) => {
    expect(startOfLocalDay(date, zone).toISOString()).toBe(expected);
  });

  const instantInZone = fc.record({
    time: fc.integer({ min: Date.UTC(1980, 0, 1), max: Date.UTC(2080, 0, 1) }),
    zone: fc.constantFrom(...ZONES),
  });

  it("round-trips instant → wall time → instant, overlaps resolving to the earlier instant (property)", () => {
    fc.assert(
      fc.property(instantInZone, ({ time, zone }) => {
        const wall = zonedDateTime(new Date(time), zone);
        const back = zonedToInstant(wall, zone).getTime();
        if (back !== time) {
          // Only the second pass through an autumn overlap may differ, and it maps to the same wall time.
          expect(back).toBeLessThan(time);
          expect(time - back).toBeLessThanOrEqual(HOUR);
          expect(zonedDateTime(new Date(back), zone)).toEqual(wall);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("round-trips wall time → instant → wall time except in a DST gap, which moves forward (property)", () => {
    const wallInZone = fc.record({
      day: fc.integer({ min: 3653, max: 40_000 }),
      minuteOfDay: fc.integer({ min: 0, max: 1439 }),
      zone: fc.constantFrom(...ZONES),
    });
    fc.assert(
      fc.property(wallInZone, ({ day, minuteOfDay, zone }) => {
        const date = addDays("1970-01-01", day);
        const local = {
          ...localDateParts(date),
          hour: Math.floor(minuteOfDay / 60),
          minute: minuteOfDay % 60,
        };
        const instant = zonedToInstant(local, zone);
        const seen = zonedDateTime(instant, zone);
        const shift =
          daysBetween(date, formatLocalDate(seen)) * 1440 + seen.hour * 60 + seen.minute - minuteOfDay;
        // Zero on an ordinary wall time; the gap's length (at most an hour here) when it never happens.
        expect(shift).toBeGreaterThanOrEqual(0);
        expect(shift).toBeLessThanOrEqual(60);
        if (shift > 0)
          expect(offsetMinutes(instant, zone)).toBeGreaterThan(
            offsetMinutes(new Date(instant.getTime() - 2 * HOUR), zone),
          );
      }),
      { numRuns: 500 },
    );
  });
});
