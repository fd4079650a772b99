import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  daysInPeriod,
  formatPeriod,
  isoWeekOf,
  isoWeeksInYear,
  MAX_PERIOD_RANGE,
  nextPeriod,
  type Period,
  PeriodCode,
  PeriodType,
  parsePeriod,
  periodBounds,
  periodContaining,
  periodContains,
  periodOfDate,
  periodRange,
  previousPeriod,
} from "./period.js";
import { validate } from "./validation.js";
import { addDays, daysBetween, localDateOf } from "./zoned-time.js";

const HOUR = 3_600_000;

// The ISO 8601 rule, evaluated with the platform's own calendar rather than ours: a year has a week 53 when
// 1 January is a Thursday, or a Wednesday in a leap year.
function hasWeek53(year: number): boolean {
  const january1 = new Date(Date.UTC(year, 0, 1)).getUTCDay(); // 0 = Sunday
  const leap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
  return january1 === 4 || (leap && january1 === 3);
}

function parsed(code: string): Period {
  const result = parsePeriod(code);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function codes(result: ReturnType<typeof periodRange>): string[] {
  if (!result.ok) throw new Error(result.error.message);
  return result.value.map((period) => period.code);
}

describe("parsePeriod", () => {
  it.each([
    ["2026-11-28", "day", "2026-11-28", "2026-11-28"],
    ["2028-02-29", "day", "2028-02-29", "2028-02-29"],
    ["2026W48", "week", "2026-11-23", "2026-11-29"],
    ["2026W01", "week", "2025-12-29", "2026-01-04"],
    ["2026W53", "week", "2026-12-28", "2027-01-03"],
    ["2020W53", "week", "2020-12-28", "2021-01-03"],
    ["2015W01", "week", "2014-12-29", "2015-01-04"],
    ["2021W01", "week", "2021-01-04", "2021-01-10"],
    ["202611", "month", "2026-11-01", "2026-11-30"],
    ["202802", "month", "2028-02-01", "2028-02-29"],
    ["202602", "month", "2026-02-01", "2026-02-28"],
    ["2026Q1", "quarter", "2026-01-01", "2026-03-31"],
    ["2026Q4", "quarter", "2026-10-01", "2026-12-31"],
    ["2026", "year", "2026-01-01", "2026-12-31"],
  ])("%s is the %s from %s to %s", (code, type, start, end) => {
    expect(parsePeriod(code)).toEqual({ ok: true, value: { type, code, start, end } });
  });

  it.each([
    "2025W53",
    "2021W53",
    "2026W54",
    "2026W00",
    "202613",
    "202600",
    "2026Q5",
    "2026Q0",
    "2026-02-30",
    "2026-02-29",
    "2026-13-01",
    "2026-W48",
    "2026w48",
    "2026W5",
    "2026-11",
    "26",
    "20261",
    "0000",
    "9999",
    "",
    " 2026",
    "2026 ",
    "2026-11-28T00:00",
  ])("refuses %j", (code) => {
    const result = parsePeriod(code);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("invalid_period");
  });

  it("says why a week does not exist", () => {
    const result = parsePeriod("2025W53");
    expect(!result.ok && result.error.message).toContain("weeks 01 to 52");
  });
});

describe("PeriodCode schema", () => {
  it("accepts every canonical code and reports others as an invalid format", () => {
    for (const code of ["2026-11-28", "2026W48", "202611", "2026Q4", "2026"]) {
      expect(PeriodCode.safeParse(code).success).toBe(true);
    }
    const result = validate(PeriodCode, "202613");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.errors).toMatchObject([{ path: [], code: "invalid_format" }]);
    expect(PeriodCode.safeParse(202611).success).toBe(false);
  });

  it("lists the five period types", () => {
    expect(PeriodType.options).toEqual(["day", "week", "month", "quarter", "year"]);
  });
});

describe("ISO weeks", () => {
  it.each([
    ["2014-12-29", "2015W01"],
    ["2015-01-01", "2015W01"],
    ["2015-12-31", "2015W53"],
    ["2016-01-03", "2015W53"],
    ["2016-01-04", "2016W01"],
    ["2008-12-29", "2009W01"],
    ["2010-01-03", "2009W53"],
    ["2019-12-30", "2020W01"],
    ["2020-12-31", "2020W53"],
    ["2021-01-01", "2020W53"],
    ["2021-01-03", "2020W53"],
    ["2021-01-04", "2021W01"],
    ["2021-12-31", "2021W52"],
    ["2022-01-02", "2021W52"],
    ["2022-01-03", "2022W01"],
    ["2025-12-29", "2026W01"],
    ["2026-01-01", "2026W01"],
    ["2026-11-28", "2026W48"],
    ["2026-12-31", "2026W53"],
    ["2027-01-01", "2026W53"],
    ["2027-01-03", "2026W53"],
    ["2027-01-04", "2027W01"],
    ["2027-12-31", "2027W52"],
    ["2028-01-02", "2027W52"],
    ["2028-01-03", "2028W01"],
  ])("%s is in %s", (date, code) => {
    const week = periodOfDate("week", date);
    expect(week.code).toBe(code);
    expect(periodContains(parsed(code), date)).toBe(true);
    expect(`${isoWeekOf(date).weekYear}W${String(isoWeekOf(date).week).padStart(2, "0")}`).toBe(code);
  });

  const years = Array.from({ length: 41 }, (_, index) => 2000 + index);
  const longYears = years.filter(hasWeek53);

  it("finds the 53-week years from 2000 to 2040", () => {
    expect(longYears).toEqual([2004, 2009, 2015, 2020, 2026, 2032, 2037]);
    expect(years.filter((year) => isoWeeksInYear(year) === 53)).toEqual(longYears);
  });

  it.each(years)("accepts week 53 of %i only if it is a 53-week year", (year) => {
    expect(parsePeriod(`${year}W53`).ok).toBe(longYears.includes(year));
    expect(periodOfDate("week", `${year}-12-28`).code).toBe(`${year}W${longYears.includes(year) ? 53 : 52}`);
  });
});

const date = fc
  .integer({ min: 0, max: daysBetween("1900-01-01", "2099-12-31") })
  .map((offset) => addDays("1900-01-01", offset));
const periodType = fc.constantFrom(...PeriodType.options);
const period = fc.tuple(periodType, date).map(([type, day]) => periodOfDate(type, day));
const pad = (value: number, width: number) => String(value).padStart(width, "0");
const validCode = fc.oneof(
  date,
  fc
    .record({ year: fc.integer({ min: 1900, max: 2099 }), week: fc.integer({ min: 1, max: 53 }) })
    .filter(({ year, week }) => week <= 52 || hasWeek53(year))
    .map(({ year, week }) => `${year}W${pad(week, 2)}`),
  fc
    .record({ year: fc.integer({ min: 1900, max: 2099 }), month: fc.integer({ min: 1, max: 12 }) })
    .map(({ year, month }) => `${year}${pad(month, 2)}`),
  fc
    .record({ year: fc.integer({ min: 1900, max: 2099 }), quarter: fc.integer({ min: 1, max: 4 }) })
    .map(({ year, quarter }) => `${year}Q${quarter}`),
  fc.integer({ min: 1900, max: 2099 }).map(String),
);

describe("period invariants (properties)", () => {
  it("formats every valid code back to itself", () => {
    fc.assert(
      fc.property(validCode, (code) => {
        expect(formatPeriod(parsed(code))).toBe(code);
      }),
    );
  });

  it("parses a formatted period back to the same period", () => {
    fc.assert(
      fc.property(period, (p) => {
        expect(parsePeriod(formatPeriod(p))).toEqual({ ok: true, value: p });
      }),
    );
  });

  it("steps forward then back (and back then forward) to the same period, leaving no gap", () => {
    fc.assert(
      fc.property(period, (p) => {
        expect(previousPeriod(nextPeriod(p))).toEqual(p);
        expect(nextPeriod(previousPeriod(p))).toEqual(p);
        expect(nextPeriod(p).start).toBe(addDays(p.end, 1));
        expect(nextPeriod(p).type).toBe(p.type);
      }),
    );
  });

  it("lists a period's days, each of which belongs to it", () => {
    fc.assert(
      fc.property(period, (p) => {
        const days = daysInPeriod(p);
        expect(days[0]).toBe(p.start);
        expect(days[days.length - 1]).toBe(p.end);
        for (const day of days) expect(periodOfDate(p.type, day).code).toBe(p.code);
      }),
    );
  });

  it("puts an instant in the period of its local date, in any zone", () => {
    const zone = fc.constantFrom("UTC", "Europe/Paris", "America/New_York", "Asia/Kabul", "Pacific/Chatham");
    const instant = fc
      .integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2090, 0, 1) })
      .map((t) => new Date(t));
    fc.assert(
      fc.property(periodType, instant, zone, (type, at, timeZone) => {
        const p = periodContaining(type, at, timeZone);
        expect(periodContains(p, localDateOf(at, timeZone))).toBe(true);
        const { start, end } = periodBounds(p, timeZone);
        expect(start.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(at.getTime()).toBeLessThan(end.getTime());
        if (timeZone === "UTC") expect(periodContains(p, at.toISOString().slice(0, 10))).toBe(true);
      }),
    );
  });

  it("makes consecutive periods' bounds meet exactly", () => {
    fc.assert(
      fc.property(period, fc.constantFrom("Europe/Paris", "Australia/Lord_Howe"), (p, zone) => {
        expect(periodBounds(nextPeriod(p), zone).start).toEqual(periodBounds(p, zone).end);
      }),
    );
  });
});

describe("periodContaining", () => {
  it.each([
    ["year", "2026-12-31T23:30:00Z", "Europe/Paris", "2027"],
    ["year", "2026-12-31T23:30:00Z", "America/New_York", "2026"],
    ["day", "2026-11-28T23:30:00Z", "Europe/Paris", "2026-11-29"],
    ["day", "2026-11-28T23:30:00Z", "UTC", "2026-11-28"],
    ["month", "2026-06-30T19:45:00Z", "Asia/Kabul", "202607"],
    ["quarter", "2026-06-30T19:45:00Z", "Asia/Kabul", "2026Q3"],
    ["quarter", "2026-06-30T19:15:00Z", "Asia/Kabul", "2026Q2"],
    ["week", "2027-01-01T10:00:00Z", "Europe/Paris", "2026W53"],
    // Chatham is UTC+13:45 in December: its Monday 28th starts at 10:15 UTC on Sunday 27th.
    ["week", "2026-12-27T10:14:59Z", "Pacific/Chatham", "2026W52"],
    ["week", "2026-12-27T10:15:00Z", "Pacific/Chatham", "2026W53"],
  ] as const)("the %s holding %s in %s is %s", (type, instant, zone, code) => {
    expect(periodContaining(type, instant, zone).code).toBe(code);
  });
});

describe("periodRange", () => {
  it.each([
    ["2026Q3", "2027Q1", ["2026Q3", "2026Q4", "2027Q1"]],
    ["2026W52", "2027W02", ["2026W52", "2026W53", "2027W01", "2027W02"]],
    ["2025W51", "2026W01", ["2025W51", "2025W52", "2026W01"]],
    ["202611", "202702", ["202611", "202612", "202701", "202702"]],
    ["2028-02-27", "2028-03-01", ["2028-02-27", "2028-02-28", "2028-02-29", "2028-03-01"]],
    ["2024", "2026", ["2024", "2025", "2026"]],
    ["202611", "202611", ["202611"]],
  ])("%s to %s", (from, to, expected) => {
    expect(codes(periodRange(from, to))).toEqual(expected);
  });

  it.each([
    ["202611", "202602", "period_range_reversed"],
    ["2026W48", "202612", "period_type_mismatch"],
    ["2026", "2026Q1", "period_type_mismatch"],
    ["2025W53", "2026W02", "invalid_period"],
    ["2026W02", "nonsense", "invalid_period"],
    ["2000-01-01", "2030-01-01", "period_range_too_long"],
  ])("refuses %s to %s with %s", (from, to, code) => {
    const result = periodRange(from, to);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it(`allows exactly ${MAX_PERIOD_RANGE} periods, not one more`, () => {
    const last = addDays("2000-01-01", MAX_PERIOD_RANGE - 1);
    const result = periodRange("2000-01-01", last);
    expect(result.ok && result.value.length).toBe(MAX_PERIOD_RANGE);
    expect(periodRange("2000-01-01", addDays(last, 1)).ok).toBe(false);
  });
});

describe("periodBounds", () => {
  it.each([
    ["2026-11-28", "Europe/Paris", "2026-11-27T23:00:00.000Z", 24],
    ["2026-03-29", "Europe/Paris", "2026-03-28T23:00:00.000Z", 23],
    ["2026-10-25", "Europe/Paris", "2026-10-24T22:00:00.000Z", 25],
    ["2026-03-08", "America/New_York", "2026-03-08T05:00:00.000Z", 23],
    ["2026-11-01", "America/New_York", "2026-11-01T04:00:00.000Z", 25],
    ["2026-10-04", "Australia/Lord_Howe", "2026-10-03T13:30:00.000Z", 23.5],
    ["2026-04-05", "Australia/Lord_Howe", "2026-04-04T13:00:00.000Z", 24.5],
    ["2026-09-27", "Pacific/Chatham", "2026-09-26T11:15:00.000Z", 23],
    ["2026-11-28", "Asia/Kabul", "2026-11-27T19:30:00.000Z", 24],
    ["202603", "Europe/Paris", "2026-02-28T23:00:00.000Z", 31 * 24 - 1],
    ["2026W13", "Europe/Paris", "2026-03-22T23:00:00.000Z", 7 * 24 - 1],
    ["2026Q4", "Europe/Paris", "2026-09-30T22:00:00.000Z", 92 * 24 + 1],
    ["2026", "Europe/Paris", "2025-12-31T23:00:00.000Z", 365 * 24],
  ])("%s in %s starts at %s and lasts %d h", (code, zone, start, hours) => {
    const bounds = periodBounds(parsed(code), zone);
    expect(bounds.start.toISOString()).toBe(start);
    expect((bounds.end.getTime() - bounds.start.getTime()) / HOUR).toBe(hours);
  });
});

describe("daysInPeriod and periodContains", () => {
  it.each([
    ["2026W48", 7, "2026-11-23"],
    ["202802", 29, "2028-02-01"],
    ["2026Q1", 90, "2026-01-01"],
    ["2028", 366, "2028-01-01"],
    ["2026-11-28", 1, "2026-11-28"],
  ])("%s has %i days from %s", (code, count, first) => {
    const days = daysInPeriod(parsed(code));
    expect(days).toHaveLength(count);
    expect(days[0]).toBe(first);
  });

  it.each([
    ["202611", "2026W48", true],
    ["202611", "2026W49", false],
    ["2026", "2026W53", false],
    ["2026", "2026W01", false],
    ["2026", "2026W02", true],
    ["2026Q4", "202612", true],
    ["2026Q4", "202609", false],
    ["2026W53", "2027-01-03", true],
  ])("%s contains %s: %s", (outer, inner, expected) => {
    expect(periodContains(parsed(outer), parsed(inner))).toBe(expected);
  });
});
