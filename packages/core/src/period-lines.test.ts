import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregateVisitsByDay, rollUp } from "./aggregate.js";
import {
  KEY_SPACE,
  type PerturbationTable,
  perturbationTable,
  perturbCount,
  possibleCounts,
} from "./cell-key.js";
import { parsePeriod } from "./period.js";
import { openPeriodLine, type PeriodPublication, periodLadder } from "./period-lines.js";
import { publishArrivals, publishServiceReport } from "./reports.js";
import { publishVisitPeriods } from "./visit-periods.js";
import { addDays } from "./zoned-time.js";

function tableOf(k: number, maxNoise: number): PerturbationTable {
  const table = perturbationTable({ k, maxNoise });
  if (!table.ok) throw new Error(table.error.message);
  return table.value;
}

const DEFAULT = tableOf(5, 2);
const TABLES = [tableOf(3, 1), DEFAULT, tableOf(5, 5), tableOf(10, 3)];

const range = (value: number, table: PerturbationTable) => {
  const possible = possibleCounts(value, table);
  if (possible === null) throw new Error(`${value} is never published`);
  return possible;
};

const part = (n: number, value: number): PeriodPublication => ({
  figures: { cell: { n, value } },
  within: [],
});

/** Whether a reader holding the period's figure and its parts' published values has them pinned. */
function closed(value: number, parts: readonly PeriodPublication[], table: PerturbationTable): boolean {
  const own = range(value, table);
  const ranges = parts.map((p) => {
    const figure = p.figures.cell;
    return figure === undefined || figure.n === 0 ? { min: 0, max: 0 } : range(figure.value, table);
  });
  const least = ranges.reduce((sum, r) => sum + r.min, 0);
  const most = ranges.reduce((sum, r) => sum + r.max, 0);
  return own.max <= least || own.min >= most;
}

describe("a period's figure over the same figure of its days", () => {
  it("opens the line of the drawn leak: a month's 8 published to mean at most 8 over days of 6, 1 and 1", () => {
    // The month's 8 published as 6 means 4…8; the days' 6 published as 6 means at least 6 (a 5 always
    // publishes 5), each 1 published as k means at least 1: the 1s are pinned unless the month moves.
    const days = [part(6, 6), part(1, 5), part(0, 0), part(1, 5)];
    expect(closed(6, days, DEFAULT)).toBe(true);
    const value = openPeriodLine("cell", 8, 6, [days], DEFAULT);
    expect(value).not.toBe(6);
    expect(closed(value, days, DEFAULT)).toBe(false);
    const own = range(value, DEFAULT);
    expect(own.min).toBeLessThan(8);
    expect(own.max).toBeGreaterThan(8);
  });

  it("reads a month as its days narrow it: a quarter's 8 over a month published 7, whose days pin it to at least 8", () => {
    // April alone published 7 means 5…9, but its days (6 as 6, 1 and 1 as k) add up to at least 8: a reader
    // knows April is 8 or 9, at the bottom of that range, so the quarter's 8 published as 6 (at most 8)
    // would pin April and its days. The quarter moves; with April's own range alone it would not.
    const april = { figures: { cell: { n: 8, value: 7 } }, within: [[part(6, 6), part(1, 5), part(1, 5)]] };
    expect(openPeriodLine("cell", 8, 6, [[{ ...april, within: [] }]], DEFAULT)).toBe(6);
    expect(openPeriodLine("cell", 8, 6, [[april]], DEFAULT)).toBe(7);
  });

  it("leaves a day, and a period whose line is open, as they are", () => {
    expect(openPeriodLine("cell", 8, 6, [], DEFAULT)).toBe(6);
    const days = [part(6, 7), part(1, 5), part(1, 0)];
    expect(closed(8, days, DEFAULT)).toBe(false);
    expect(openPeriodLine("cell", 8, 8, [days], DEFAULT)).toBe(8);
  });

  it("never publishes 1…k−1, keeps zeros, stays an outcome of its count, and closes no line", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TABLES),
        fc.array(fc.tuple(fc.nat(12), fc.integer({ min: 0, max: KEY_SPACE - 1 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.integer({ min: 0, max: KEY_SPACE - 1 }),
        (table, days, key) => {
          const parts = days.map(([n, k]) => part(n, perturbCount(n, k, table)));
          const n = days.reduce((sum, [count]) => sum + count, 0);
          const value = openPeriodLine("cell", n, perturbCount(n, key, table), [parts], table);
          if (n === 0) expect(value).toBe(0);
          const possible = range(value, table);
          expect(possible.min).toBeLessThanOrEqual(n);
          expect(possible.max).toBeGreaterThanOrEqual(n);
          expect(value === 0 || value >= table.k).toBe(true);
          expect(Math.abs(value - n)).toBeLessThanOrEqual(Math.max(table.k, table.maxNoise));
          if (n > 0) expect(closed(value, parts, table)).toBe(false);
        },
      ),
      { seed: 20_261_207, numRuns: 2000 },
    );
  });

  it("publishes each sub-period once and gives a quarter its days and its months", () => {
    const seen: string[] = [];
    const publishPeriod = periodLadder((type, days, within) => {
      seen.push(`${type}:${days[0]}…${days.at(-1)} within ${within.map((list) => list.length).join("+")}`);
      return { figures: {}, within };
    });
    publishPeriod("quarter", ["2026-04-01", "2026-04-02", "2026-05-01", "2026-06-30"]);
    publishPeriod("month", ["2026-04-01", "2026-04-02"]);
    expect(seen).toEqual([
      "day:2026-04-01…2026-04-01 within ",
      "day:2026-04-02…2026-04-02 within ",
      "day:2026-05-01…2026-05-01 within ",
      "day:2026-06-30…2026-06-30 within ",
      "month:2026-04-01…2026-04-02 within 2",
      "month:2026-05-01…2026-05-01 within 1",
      "month:2026-06-30…2026-06-30 within 1",
      "quarter:2026-04-01…2026-06-30 within 4+3",
    ]);
  });
});

describe("the arrivals table of a period", () => {
  it("publishes a day as its own table, and a week's single day as that day's figures", () => {
    const visits = [0, 1, 2, 3, 4, 5, 6].map((i) => ({
      id: `v${i}`,
      centreId: "c",
      createdAt: "2026-04-01T18:10:00+02:00",
      updatedAt: "2026-04-01T18:10:00+02:00",
      arrivedAt: `2026-04-01T18:${String(10 + i).padStart(2, "0")}:00+02:00`,
      visitorCodeHash: null,
      ageBand: null,
      gender: null,
      languages: [],
      firstVisit: null,
      idempotencyKey: null,
      recordKey: 1_000_003 * (i + 1),
    }));
    const days = aggregateVisitsByDay(visits, [], { timeZone: "Europe/Paris" }).c ?? {};
    const day = publishArrivals("day", days, DEFAULT);
    const week = publishArrivals("week", days, DEFAULT);
    expect(week.cells[2]?.[18]).toEqual(day.cells[2]?.[18]);
    expect(week.grandTotal).toEqual(day.grandTotal);
  });
});

describe("one set of records, one figure, in every answer that publishes it", () => {
  it("publishes a period's visits as the same figure in the visits and the arrivals reports, and a service's uses in its row and its table", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom("week", "month", "quarter"),
        (seed, type) => {
          let state = seed;
          const next = () => {
            state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
            return state / 2_147_483_648;
          };
          const visits = [];
          const uses = [];
          for (let d = 0; d < 91; d++) {
            const day = addDays("2026-04-01", d);
            // Few arrivals a day, so that days' figures often sit at an end of their range and lines close.
            const arrivals = Math.floor(next() * 4);
            for (let n = 0; n < arrivals; n++) {
              const at = `${day}T${String(8 + Math.floor(next() * 11)).padStart(2, "0")}:10:00+02:00`;
              const meta = { centreId: "c", createdAt: at, updatedAt: at };
              visits.push({
                ...meta,
                id: `v${d}-${n}`,
                arrivedAt: at,
                visitorCodeHash: null,
                ageBand: next() < 0.8 ? ("18-59" as const) : null,
                gender: next() < 0.7 ? ("male" as const) : ("female" as const),
                languages: [],
                firstVisit: null,
                idempotencyKey: null,
                recordKey: 1 + Math.floor(next() * (KEY_SPACE - 1)),
              });
              if (next() < 0.4) {
                uses.push({
                  ...meta,
                  id: `u${d}-${n}`,
                  serviceId: "meals",
                  usedAt: at,
                  quantity: 1,
                  visitId: `v${d}-${n}`,
                  source: "door" as const,
                  partnerId: null,
                  recordKey: 1 + Math.floor(next() * (KEY_SPACE - 1)),
                });
              }
            }
          }
          const days = aggregateVisitsByDay(visits, uses, { timeZone: "Europe/Paris" }).c ?? {};
          const byPeriod = rollUp({ all: days }, type).all ?? {};
          const figures = publishVisitPeriods(type, days, byPeriod, DEFAULT);
          const services = [
            {
              id: "meals",
              name: "Meals",
              schedule: { timeZone: "Europe/Paris", weekly: [], exceptions: [] },
            },
          ];
          const report = publishServiceReport(
            days,
            services,
            { from: "2026-04-01", to: "2026-06-30", period: type === "week" ? "month" : type },
            DEFAULT,
          );
          for (const row of report.rows) expect(row.usesBy.ageBandGender.grandTotal).toEqual(row.uses);
          for (const item of figures) {
            const period = parsePeriod(item.period);
            if (!period.ok) throw new Error(item.period);
            const inPeriod = Object.fromEntries(
              Object.entries(days).filter(([day]) => day >= period.value.start && day <= period.value.end),
            );
            expect(publishArrivals(type, inPeriod, DEFAULT).grandTotal).toEqual(item.visits.grandTotal);
          }
        },
      ),
      { seed: 20_261_207, numRuns: 6 },
    );
  }, 120_000);
});
