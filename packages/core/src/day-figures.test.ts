import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { capacityUtilisation } from "./capacity.js";
import { KEY_SPACE } from "./cell-key.js";
import type { AgeBand, Gender } from "./common.js";
import {
  addGrid,
  dayFiguresOf,
  mergeDayFigures,
  parseDayFigures,
  serializeDayFigures,
  serviceDaysOf,
} from "./day-figures.js";
import { arrivalsByWeekdayHour, arrivalsCellKeys, serviceReportRows } from "./reports.js";
import { capacityOn, type Schedule } from "./schedule.js";
import { aggregateVisitsByDay } from "./visits-by-day.js";
import { addDays } from "./zoned-time.js";

const PARIS = { timeZone: "Europe/Paris" };
const MONTHS = ["2026-10-01", "2026-11-01", "2026-12-01"];

// Showers: open Monday to Saturday, 3 a day; meals: every day, 2 a day; legal: no capacity known.
const SERVICES = [
  {
    id: "showers",
    name: "Douches",
    schedule: {
      timeZone: "Europe/Paris",
      weekly: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opensAt: "08:00", closesAt: "19:00" })),
      exceptions: [],
      dailyCapacity: 3,
    } satisfies Schedule,
  },
  {
    id: "meals",
    name: "Repas",
    schedule: {
      timeZone: "Europe/Paris",
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: "08:00", closesAt: "19:00" })),
      exceptions: [],
      dailyCapacity: 2,
    } satisfies Schedule,
  },
];

/** The fourth quarter of 2026 in Paris (the autumn DST night included), any hour from 05:00 to 21:59 UTC. */
const instantArb = fc
  .record({ day: fc.integer({ min: 0, max: 91 }), hour: fc.integer({ min: 5, max: 21 }) })
  .map(({ day, hour }) => {
    const date = new Date(Date.UTC(2026, 9, 1 + day, hour, 30));
    return date.toISOString();
  });

const keyArb = fc.integer({ min: 1, max: KEY_SPACE - 1 });

/** Visits, and uses of three services, some recorded with one of the visits (who used them). */
const rowsArb = fc
  .record({
    visits: fc.array(
      fc.record({
        arrivedAt: instantArb,
        ageBand: fc.option(fc.constantFrom<AgeBand>("12-17", "18-59", "60+")),
        gender: fc.option(fc.constantFrom<Gender>("female", "male")),
        languages: fc.array(fc.constantFrom("ar", "fr", "ti"), { maxLength: 2 }),
        recordKey: keyArb,
      }),
      { maxLength: 50 },
    ),
    uses: fc.array(
      fc.record({
        usedAt: instantArb,
        serviceId: fc.constantFrom("showers", "meals", "legal"),
        quantity: fc.integer({ min: 1, max: 3 }),
        visit: fc.option(fc.nat()),
        recordKey: keyArb,
      }),
      { maxLength: 80 },
    ),
  })
  .map(({ visits, uses }) => {
    const visitRows = visits.map((v, i) => ({
      id: `v${i}`,
      centreId: "halte",
      createdAt: v.arrivedAt,
      updatedAt: v.arrivedAt,
      visitorCodeHash: null,
      firstVisit: null,
      idempotencyKey: null,
      ...v,
    }));
    const useRows = uses.map((u, i) => {
      const visit = u.visit === null || visitRows.length === 0 ? null : visitRows[u.visit % visitRows.length];
      return {
        id: `u${i}`,
        centreId: "halte",
        serviceId: u.serviceId,
        usedAt: visit?.arrivedAt ?? u.usedAt,
        quantity: u.quantity,
        visitId: visit?.id ?? null,
        source: "door" as const,
        partnerId: null,
        createdAt: u.usedAt,
        updatedAt: u.usedAt,
        recordKey: u.recordKey,
      };
    });
    return aggregateVisitsByDay(visitRows, useRows, PARIS).halte ?? {};
  });

const monthOf = (days: Record<string, unknown>, start: string) =>
  Object.fromEntries(Object.entries(days).filter(([day]) => day.startsWith(start.slice(0, 7))));

describe("day-level figures of stored periods", () => {
  it("of a quarter merged from its months are those of its days, and survive storage byte for byte", () => {
    fc.assert(
      fc.property(rowsArb, (days) => {
        const months = MONTHS.map((start) => ({
          start,
          figures: dayFiguresOf(start, monthOf(days, start) as typeof days),
        }));
        const quarter = mergeDayFigures("2026-10-01", months);
        expect(quarter).toEqual(dayFiguresOf("2026-10-01", days));
        const stored = serializeDayFigures(quarter);
        const read = parseDayFigures(stored);
        expect(read.ok && serializeDayFigures(read.value)).toBe(stored);
        // Never a visitor code: counts and keys only.
        expect(stored).not.toMatch(/[0-9a-f]{8}"/);
      }),
      { numRuns: 100 },
    );
  });

  it("give the arrivals table and its keys of the days they were made of", () => {
    fc.assert(
      fc.property(rowsArb, (days) => {
        const quarter = dayFiguresOf("2026-10-01", days);
        const counts = arrivalsByWeekdayHour({}).cells.map((row) => [...row]);
        addGrid(counts, quarter.arrivals.counts, (a, b) => a + b);
        expect(counts).toEqual(arrivalsByWeekdayHour(days).cells);
        expect(quarter.arrivals.keys).toEqual(arrivalsCellKeys(days));
        expect(quarter.days.length).toBe(Object.keys(days).length);
      }),
      { numRuns: 100 },
    );
  });

  it("give the services report of the days they were made of: uses, used against each day's capacity, saturated days, who used them", () => {
    fc.assert(
      fc.property(rowsArb, fc.constantFrom("month", "quarter"), (days, grain) => {
        const range = { from: "2026-10-01", to: "2026-12-31", period: grain } as const;
        const stored: Record<string, { services: Record<string, never> }> = {};
        const parts =
          grain === "month"
            ? MONTHS.map((start) => ({
                start,
                figures: dayFiguresOf(start, monthOf(days, start) as typeof days),
              }))
            : [{ start: "2026-10-01", figures: dayFiguresOf("2026-10-01", days) }];
        for (const { start, figures } of parts) Object.assign(stored, serviceDaysOf(start, figures));
        expect(serviceReportRows(stored, SERVICES, range)).toEqual(serviceReportRows(days, SERVICES, range));
      }),
      { numRuns: 100 },
    );
  });

  it("are read back from the earlier object form as from the compact one", () => {
    fc.assert(
      fc.property(rowsArb, (days) => {
        const quarter = dayFiguresOf("2026-10-01", days);
        const compact = parseDayFigures(serializeDayFigures(quarter));
        const objects = parseDayFigures(JSON.stringify(quarter));
        expect(compact.ok && objects.ok).toBe(true);
        expect(compact.ok && compact.value).toEqual(quarter);
        expect(objects.ok && objects.value).toEqual(quarter);
        // Out of order (written by hand, say), the compact form is put back in canonical order.
        const shuffled = JSON.parse(serializeDayFigures(quarter));
        shuffled.days.reverse();
        for (const service of Object.values<{ days: number[] }>(shuffled.services)) {
          const groups = Array.from({ length: service.days.length / 4 }, (_, i) =>
            service.days.slice(4 * i, 4 * i + 4),
          );
          service.days = groups.reverse().flat();
        }
        shuffled.services = Object.fromEntries(Object.entries(shuffled.services).reverse());
        const reordered = parseDayFigures(JSON.stringify(shuffled));
        expect(reordered.ok && JSON.stringify(reordered.value)).toBe(JSON.stringify(quarter));
      }),
      { numRuns: 50 },
    );
  });

  it("find the saturated days capacityUtilisation finds over the same days", () => {
    fc.assert(
      fc.property(rowsArb, (days) => {
        const range = { from: "2026-10-01", to: "2026-12-31", period: "month" } as const;
        const used: Record<string, Record<string, number>> = {};
        for (const [day, partial] of Object.entries(days))
          for (const [id, tally] of Object.entries(partial.services))
            used[id] = { ...used[id], [day]: tally.quantity };
        const capacity: Record<string, Record<string, number>> = {};
        for (const service of SERVICES)
          for (let day: string = range.from; day <= range.to; day = addDays(day, 1))
            capacity[service.id] = {
              ...capacity[service.id],
              [day]: capacityOn(service.schedule, day).daily ?? 0,
            };
        const found = serviceReportRows(days, SERVICES, range).flatMap((row) => row.saturatedDays);
        const byServiceThenDay = (
          a: { serviceId: string; day: string },
          b: { serviceId: string; day: string },
        ) => (a.serviceId < b.serviceId ? -1 : a.serviceId > b.serviceId ? 1 : a.day < b.day ? -1 : 1);
        expect(found.sort(byServiceThenDay)).toEqual(capacityUtilisation(used, capacity).saturated);
      }),
      { numRuns: 50 },
    );
  });

  it("refuses what is not day-level figures", () => {
    expect(parseDayFigures('{"days":[],"services":{}}').ok).toBe(false);
    expect(parseDayFigures("not json").ok).toBe(false);
  });

  it("refuse a damaged compact row, saying where", () => {
    const figures = dayFiguresOf("2026-10-01", {
      "2026-10-05": {
        byHour: Array.from({ length: 24 }, (_, h) => (h === 9 ? 3 : 0)),
        keys: { byHour: Array.from({ length: 24 }, (_, h) => (h === 9 ? 77 : 0)) } as never,
        services: {
          showers: {
            uses: 2,
            quantity: 2,
            bySource: {},
            key: 12,
            people: {
              byAgeBandGender: { "18-59": { male: { uses: 2, key: 12 } } },
              byLanguage: { ar: { uses: 2, key: 12 } },
            },
          },
        },
      },
    });
    const stored = JSON.parse(serializeDayFigures(figures));
    expect(parseDayFigures(JSON.stringify(stored)).ok).toBe(true);
    const damaged = (change: (row: typeof stored) => void) => {
      const copy = structuredClone(stored);
      change(copy);
      const read = parseDayFigures(JSON.stringify(copy));
      return read.ok ? "read" : read.error.message;
    };
    expect(
      damaged((row) => {
        row.v = 3;
      }),
    ).toMatch(/version/);
    expect(
      damaged((row) => {
        row.services.showers.days[3] = KEY_SPACE;
      }),
    ).toMatch(/services\.showers\.days\[3\]/);
    expect(
      damaged((row) => {
        row.services.showers.days[1] = -1;
      }),
    ).toMatch(/days\[1\]/);
    expect(
      damaged((row) => {
        row.services.showers.days.pop();
      }),
    ).toMatch(/wrong length/);
    expect(
      damaged((row) => {
        row.services.showers.days[0] = 366;
      }),
    ).toMatch(/days\[0\]/);
    expect(
      damaged((row) => {
        row.arrivals[0].pop();
      }),
    ).toMatch(/arrivals\[0\]/);
    expect(
      damaged((row) => {
        row.arrivals[1][9] = 1.5;
      }),
    ).toMatch(/arrivals\[1\]\[9\]/);
    expect(
      damaged((row) => {
        row.services["no such id!"] = row.services.showers;
      }),
    ).toMatch(/not an id/);
    expect(
      damaged((row) => {
        row.services.showers.people.languages[0] = "Arabic";
      }),
    ).toMatch(/languages\[0\]/);
    expect(
      damaged((row) => {
        row.services.showers.people.languageUses[0] = 0;
      }),
    ).toMatch(/at least one use/);
    expect(
      damaged((row) => {
        row.services.showers.people.ageGender.push(0);
      }),
    ).toMatch(/ageGender/);
    expect(
      damaged((row) => {
        row.services.showers.people.ageGender[1] = 5;
      }),
    ).toMatch(/a key without a use/);
    expect(
      damaged((row) => {
        row.days = "all";
      }),
    ).toMatch(/days: expected an array/);
  });
});
