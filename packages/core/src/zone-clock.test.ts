import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregateVisitsByDay, rollUp } from "./aggregate.js";
import { civilFromEpochDay, epochDay, isoWeekOfEpochDay, SECONDS_PER_DAY } from "./calendar.js";
import { periodContaining } from "./period.js";
import type { Visit } from "./visit.js";
import { epochSecondsOf, ZoneClock } from "./zone-clock.js";
import { localDateOf, offsetMinutes } from "./zoned-time.js";

// Until issue 13 the aggregation carried its own calendar and zone clock beside zoned-time.ts/period.ts.
// There is one of each now; these properties pin the one left to Intl (an independent formatter built
// here, not the module's) across DST changes, half-hour shifts and a day-skipping midnight.
const ZONES = [
  "Europe/Paris",
  "America/New_York",
  "America/Santiago",
  "America/St_Johns",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "Asia/Beirut",
  "Africa/Casablanca",
  "Asia/Kabul",
] as const;

const independent = new Map<string, Intl.DateTimeFormat>();

/** Local wall-clock seconds of an instant, read straight from Intl with Date.UTC: the reference. */
function intlLocalSeconds(timeZone: string, epochSeconds: number): number {
  let formatter = independent.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    independent.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(epochSeconds * 1000)) parts[part.type] = Number(part.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour % 24, minute, second) / 1000;
}

/** Every instant (to the hour, then to the second) where a zone changed its offset in [fromYear, toYear). */
function transitions(timeZone: string, fromYear: number, toYear: number): number[] {
  const found: number[] = [];
  const start = Date.UTC(fromYear, 0, 1) / 1000;
  const end = Date.UTC(toYear, 0, 1) / 1000;
  const offset = (s: number) => intlLocalSeconds(timeZone, s) - s;
  for (let hour = start; hour < end; hour += 3600) {
    if (offset(hour) === offset(hour + 3600)) continue;
    let low = hour;
    let high = hour + 3600;
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (offset(mid) === offset(low)) low = mid;
      else high = mid;
    }
    found.push(high);
  }
  return found;
}

describe("ZoneClock agrees with Intl", () => {
  it.each(ZONES)("at every offset change of %s in 2023–2027, in any order of lookups", (timeZone) => {
    const changes = transitions(timeZone, 2023, 2028);
    // Kabul has kept +04:30 since 1945: nothing to cross, the other properties cover it.
    if (timeZone === "Asia/Kabul") return expect(changes).toEqual([]);
    expect(changes.length).toBeGreaterThan(0);
    const around = changes.flatMap((at) =>
      [-3601, -3600, -1801, -1, 0, 1, 1799, 1800, 3599, 3600].map((d) => at + d),
    );
    const check = (order: readonly number[]) => {
      const clock = new ZoneClock(timeZone);
      for (const s of order) expect(clock.localSeconds(s)).toBe(intlLocalSeconds(timeZone, s));
    };
    check(around);
    check([...around].reverse());
    fc.assert(fc.property(fc.shuffledSubarray(around, { minLength: 1 }), check), { numRuns: 20 });
  });

  it("for random instants from 1980 to 2080, read one after another through one clock", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.array(fc.integer({ min: Date.UTC(1980, 0, 1) / 1000, max: Date.UTC(2080, 0, 1) / 1000 }), {
          minLength: 1,
          maxLength: 40,
        }),
        (timeZone, instants) => {
          const clock = new ZoneClock(timeZone);
          for (const s of instants) expect(clock.localSeconds(s)).toBe(intlLocalSeconds(timeZone, s));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("gives zoned-time.ts's offset: the aggregation and the public API share one reading", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2050, 0, 1) / 1000 }),
        (timeZone, s) => {
          const local = new ZoneClock(timeZone).localSeconds(s);
          expect((local - s) / 60).toBe(offsetMinutes(new Date(s * 1000), timeZone));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("the instant parser", () => {
  it("reads what Date.parse reads, to the second, with Z or an offset", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }),
        fc.constantFrom("Z", "+01:00", "-03:30", "+05:45", "+14:00"),
        (ms, suffix) => {
          const sign = suffix === "Z" ? 0 : suffix.startsWith("-") ? -1 : 1;
          const minutes = suffix === "Z" ? 0 : Number(suffix.slice(1, 3)) * 60 + Number(suffix.slice(4, 6));
          const shifted = new Date(ms + sign * minutes * 60_000).toISOString().slice(0, -1);
          const text = `${shifted}${suffix}`;
          expect(epochSecondsOf(text)).toBe(Math.floor(Date.parse(text) / 1000));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("one calendar", () => {
  it("counts days as Date.UTC does, both ways", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(100, 0, 1) / 86_400_000, max: Date.UTC(9999, 11, 31) / 86_400_000 }),
        (days) => {
          const date = new Date(days * 86_400_000);
          const civil = civilFromEpochDay(days);
          expect(civil).toEqual({
            year: date.getUTCFullYear(),
            month: date.getUTCMonth() + 1,
            day: date.getUTCDate(),
          });
          expect(epochDay(civil.year, civil.month, civil.day)).toBe(days);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("numbers ISO weeks as period.ts does", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1) / 86_400_000, max: Date.UTC(2200, 0, 1) / 86_400_000 }),
        (days) => {
          const { weekYear, week } = isoWeekOfEpochDay(days);
          const code = `${weekYear}W${String(week).padStart(2, "0")}`;
          expect(periodContaining("week", new Date(days * 86_400_000 + 43_200_000), "UTC").code).toBe(code);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("puts a visit on the centre's local day and period, as localDateOf and periodContaining do", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 }),
        fc.constantFrom("week", "month", "quarter", "year") as fc.Arbitrary<
          "week" | "month" | "quarter" | "year"
        >,
        (timeZone, s, period) => {
          const arrivedAt = new Date(s * 1000).toISOString();
          const visit: Visit = {
            id: "v",
            createdAt: arrivedAt,
            updatedAt: arrivedAt,
            centreId: "c",
            arrivedAt,
            visitorCodeHash: null,
            ageBand: null,
            gender: null,
            languages: [],
            firstVisit: null,
            idempotencyKey: null,
          };
          const days = aggregateVisitsByDay([visit], [], { timeZone });
          expect(Object.keys(days.c ?? {})).toEqual([localDateOf(arrivedAt, timeZone)]);
          const local = new ZoneClock(timeZone).localSeconds(s);
          expect(days.c?.[localDateOf(arrivedAt, timeZone)]?.byHour.indexOf(1)).toBe(
            Math.floor((local % SECONDS_PER_DAY) / 3600),
          );
          expect(Object.keys(rollUp(days, period).c ?? {})).toEqual([
            periodContaining(period, arrivedAt, timeZone).code,
          ]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
