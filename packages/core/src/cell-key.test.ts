import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addCellKeys,
  expectedAbsoluteNoise,
  KEY_SPACE,
  type PerturbationTable,
  perturbationTable,
  perturbCount,
  perturbTable,
  possibleCounts,
  visitorCellKey,
} from "./cell-key.js";
import { checkPublicationGrid, type PeriodType } from "./period.js";

function tableOf(k: number, maxNoise: number): PerturbationTable {
  const table = perturbationTable({ k, maxNoise });
  if (!table.ok) throw new Error(table.error.message);
  return table.value;
}

const DEFAULT = tableOf(5, 2);
const TABLES = [tableOf(3, 1), DEFAULT, tableOf(5, 5), tableOf(10, 3)];
const tableArb = fc.constantFrom(...TABLES);
const keyArb = fc.integer({ min: 0, max: KEY_SPACE - 1 });
const countArb = fc.oneof(fc.nat(20), fc.nat(100_000));

/** The sum of keys modulo 2³², computed without the code under test. */
const keySum = (keys: readonly number[]) =>
  Number(keys.reduce((sum, key) => sum + BigInt(key), 0n) % 2n ** 32n);

/** 100,000 keys spread evenly over [0, 2³²): the average over them is the expectation over a uniform key. */
const GRID = Array.from({ length: 100_000 }, (_, i) => Math.floor(((i + 0.5) * KEY_SPACE) / 100_000));

function shares(n: number, table: PerturbationTable): Record<number, number> {
  const counts = new Map<number, number>();
  for (const key of GRID) {
    const published = perturbCount(n, key, table);
    counts.set(published, (counts.get(published) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].map(([value, count]) => [value, count / GRID.length]));
}

describe("perturbCount: the rows of the perturbation table (k = 5, D = 2)", () => {
  it.each<[number, Record<number, number>]>([
    [0, { 0: 1 }],
    [1, { 0: 4 / 5, 5: 1 / 5 }],
    [2, { 0: 3 / 5, 5: 2 / 5 }],
    [3, { 0: 2 / 5, 5: 3 / 5 }],
    [4, { 0: 1 / 5, 5: 4 / 5 }],
    [5, { 5: 1 }], // no room below k: published as it is
    [6, { 5: 4 / 17, 6: 9 / 17, 7: 4 / 17 }], // ±1 only, so it cannot fall to 4
    [7, { 5: 1 / 19, 6: 4 / 19, 7: 9 / 19, 8: 4 / 19, 9: 1 / 19 }],
    [1000, { 998: 1 / 19, 999: 4 / 19, 1000: 9 / 19, 1001: 4 / 19, 1002: 1 / 19 }],
  ])("a count of %i is published with these frequencies over uniform keys", (n, expected) => {
    const measured = shares(n, DEFAULT);
    expect(
      Object.keys(measured)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(Object.keys(expected).map(Number));
    for (const [value, share] of Object.entries(expected)) {
      expect(measured[Number(value)]).toBeCloseTo(share, 4);
    }
  });

  it.each([0, 1, 3, 4, 5, 6, 7, 50, 1000])(
    "is unbiased: a count of %i is published as itself on average",
    (n) => {
      const mean = GRID.reduce((sum, key) => sum + perturbCount(n, key, DEFAULT), 0) / GRID.length;
      expect(Math.abs(mean - n)).toBeLessThan(0.01);
    },
  );

  it("publishes a large count unchanged 9 times in 19 with D = 2, more often with less noise", () => {
    expect(shares(5000, DEFAULT)[5000]).toBeCloseTo(9 / 19, 3);
    // D = 1: weights 1, 4, 1.
    expect(shares(5000, tableOf(5, 1))[5000]).toBeCloseTo(4 / 6, 3);
  });

  it.each([0, 1, 3, 6, 100])("expectedAbsoluteNoise(%i) is the average distance over uniform keys", (n) => {
    const measured = GRID.reduce((sum, key) => sum + Math.abs(perturbCount(n, key, DEFAULT) - n), 0);
    expect(expectedAbsoluteNoise(n, DEFAULT)).toBeCloseTo(measured / GRID.length, 3);
  });

  it("costs a reader 12/19 of a person per large cell, nothing for a zero", () => {
    expect(expectedAbsoluteNoise(100, DEFAULT)).toBeCloseTo(12 / 19, 12);
    expect(expectedAbsoluteNoise(0, DEFAULT)).toBe(0);
  });

  it("refuses a count that is not a whole number ≥ 0", () => {
    expect(() => perturbCount(-1, 0, DEFAULT)).toThrow(RangeError);
    expect(() => perturbCount(2.5, 0, DEFAULT)).toThrow(RangeError);
  });
});

describe("perturbCount: what it guarantees for every count and key", () => {
  it("keeps a zero a zero", () => {
    fc.assert(
      fc.property(tableArb, fc.oneof(keyArb, fc.constantFrom(0, KEY_SPACE - 1)), (table, key) => {
        expect(perturbCount(0, key, table)).toBe(0);
      }),
    );
  });

  it("never publishes 1…k−1", () => {
    fc.assert(
      fc.property(tableArb, countArb, keyArb, (table, n, key) => {
        const published = perturbCount(n, key, table);
        expect(published === 0 || published >= table.k).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("publishes 1…k−1 as 0 or k, and a count ≥ k as a count ≥ k within ±D", () => {
    fc.assert(
      fc.property(tableArb, countArb, keyArb, (table, n, key) => {
        const published = perturbCount(n, key, table);
        if (n === 0) expect(published).toBe(0);
        else if (n < table.k) expect([0, table.k]).toContain(published);
        else {
          expect(published).toBeGreaterThanOrEqual(table.k);
          expect(Math.abs(published - n)).toBeLessThanOrEqual(table.maxNoise);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("gives the same number for the same count and key, whenever and wherever it is asked", () => {
    fc.assert(
      fc.property(tableArb, countArb, keyArb, (table, n, key) => {
        const again = tableOf(table.k, table.maxNoise);
        expect(perturbCount(n, key, again)).toBe(perturbCount(n, key, table));
      }),
    );
  });
});

describe("possibleCounts: what a reader who knows the table can say of the truth", () => {
  it("always holds the true count", () => {
    fc.assert(
      fc.property(tableArb, fc.oneof(fc.nat(20), fc.nat(500)), keyArb, (table, n, key) => {
        const possible = possibleCounts(perturbCount(n, key, table), table);
        expect(possible).not.toBeNull();
        expect(possible?.min).toBeLessThanOrEqual(n);
        expect(n).toBeLessThanOrEqual(possible?.max as number);
      }),
      { numRuns: 1000 },
    );
  });

  it.each<[number, number, number, { min: number; max: number }]>([
    [5, 2, 0, { min: 0, max: 4 }],
    [5, 2, 5, { min: 1, max: 7 }],
    [5, 2, 6, { min: 6, max: 8 }],
    [5, 2, 100, { min: 98, max: 102 }],
    [3, 1, 0, { min: 0, max: 2 }],
    [10, 3, 10, { min: 1, max: 13 }],
  ])("k = %i, D = %i: a published %i comes from a count in %o", (k, maxNoise, published, range) => {
    expect(possibleCounts(published, tableOf(k, maxNoise))).toEqual(range);
  });

  it("says no count publishes a value of 1…k−1", () => {
    for (const table of TABLES) {
      for (let published = 1; published < table.k; published++)
        expect(possibleCounts(published, table)).toBeNull();
    }
  });

  it("leaves a published zero as any of 0…k−1: a reader cannot tell a small group from nobody", () => {
    for (const table of TABLES) expect(possibleCounts(0, table)).toEqual({ min: 0, max: table.k - 1 });
  });
});

describe("perturbationTable", () => {
  it("builds k = 5, D = 2 by default", () => {
    const table = perturbationTable();
    expect(table.ok && [table.value.k, table.value.maxNoise]).toEqual([5, 2]);
  });

  it.each([
    { k: 3, maxNoise: 1 },
    { k: 100, maxNoise: 5 },
  ])("accepts %o", (parameters) => {
    expect(perturbationTable(parameters).ok).toBe(true);
  });

  it.each([
    { k: 2, maxNoise: 2 },
    { k: 0, maxNoise: 2 },
    { k: 4.5, maxNoise: 2 },
    { k: Number.NaN, maxNoise: 2 },
    { k: 5, maxNoise: 0 },
    { k: 5, maxNoise: 6 },
    { k: 5, maxNoise: 1.5 },
    { k: 5, maxNoise: -1 },
  ])("refuses %o", (parameters) => {
    expect(perturbationTable(parameters)).toMatchObject({
      ok: false,
      error: { code: "invalid_perturbation" },
    });
  });
});

describe("cell keys", () => {
  it.each([
    [0, 0, 0],
    [1, 2, 3],
    [KEY_SPACE - 1, 1, 0],
    [4_000_000_000, 500_000_000, 205_032_704],
    [KEY_SPACE - 1, KEY_SPACE - 1, KEY_SPACE - 2],
  ])("addCellKeys(%i, %i) = %i: they add up modulo 2³²", (a, b, sum) => {
    expect(addCellKeys(a, b)).toBe(sum);
  });

  it("add up associatively and commutatively, with 0 as identity, and stay in [0, 2³²)", () => {
    fc.assert(
      fc.property(keyArb, keyArb, keyArb, (a, b, c) => {
        expect(addCellKeys(addCellKeys(a, b), c)).toBe(addCellKeys(a, addCellKeys(b, c)));
        expect(addCellKeys(a, b)).toBe(addCellKeys(b, a));
        expect(addCellKeys(a, 0)).toBe(a);
        expect(addCellKeys(a, b)).toBe(keySum([a, b]));
      }),
    );
  });

  it.each([
    ["00000001ffffffff", 1],
    ["ffffffff00000000", KEY_SPACE - 1],
    ["8000000000000000", 2 ** 31],
    ["abc", 0xabc00000],
  ])("a visitor's key is read from the first 8 hex characters of %s", (prefix, key) => {
    expect(visitorCellKey(prefix)).toBe(key);
  });
});

describe("perturbTable", () => {
  const tableArbOfCounts = fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
    .chain(([rows, columns]) =>
      fc.record({
        cells: fc.array(fc.array(fc.nat(30), { minLength: columns, maxLength: columns }), {
          minLength: rows,
          maxLength: rows,
        }),
        keys: fc.array(fc.array(keyArb, { minLength: columns, maxLength: columns }), {
          minLength: rows,
          maxLength: rows,
        }),
      }),
    );

  it("perturbs every cell with its key and every total with its cells' count and summed keys", () => {
    fc.assert(
      fc.property(tableArb, tableArbOfCounts, (table, { cells, keys }) => {
        const counts = {
          rowLabels: cells.map((_, i) => `r${i}`),
          columnLabels: (cells[0] ?? []).map((_, j) => `c${j}`),
          cells,
        };
        const published = perturbTable(counts, keys, table);
        const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
        const column = <T>(grid: readonly (readonly T[])[], j: number) => grid.map((row) => row[j] as T);
        const value = (n: number, cellKeys: readonly number[]) => ({
          value: perturbCount(n, keySum(cellKeys), table),
          suppressed: false,
        });
        expect(published.k).toBe(table.k);
        expect(published.cells).toEqual(
          cells.map((row, i) => row.map((n, j) => value(n, [keys[i]?.[j] ?? 0]))),
        );
        expect(published.rowTotals).toEqual(cells.map((row, i) => value(sum(row), keys[i] ?? [])));
        expect(published.columnTotals).toEqual(
          counts.columnLabels.map((_, j) => value(sum(column(cells, j)), column(keys, j))),
        );
        expect(published.grandTotal).toEqual(value(sum(cells.flat()), keys.flat()));
        for (const cell of [...published.cells.flat(), ...published.rowTotals, ...published.columnTotals]) {
          const n = cell.suppressed ? -1 : cell.value;
          expect(n === 0 || n >= table.k).toBe(true);
        }
      }),
    );
  });

  it("publishes the same records with the same value in every table that counts them", () => {
    // Visits with an age band, a gender, an hour and a record key, counted in two tables that share
    // their columns (genders): age × gender and hour × gender. A gender's column, and all visits, are the
    // same records in both, so they are one published figure, not two that could be set side by side.
    const recordArb = fc.record({
      age: fc.integer({ min: 0, max: 3 }),
      gender: fc.integer({ min: 0, max: 2 }),
      hour: fc.integer({ min: 0, max: 4 }),
      key: fc.integer({ min: 1, max: KEY_SPACE - 1 }),
    });
    fc.assert(
      fc.property(tableArb, fc.array(recordArb, { maxLength: 60 }), (table, records) => {
        const crossBy = (rows: number, rowOf: (r: (typeof records)[number]) => number) => {
          const cells = Array.from({ length: rows }, () => [0, 0, 0]);
          const keys = Array.from({ length: rows }, () => [0, 0, 0]);
          for (const r of records) {
            const row = rowOf(r);
            (cells[row] as number[])[r.gender] = ((cells[row] as number[])[r.gender] as number) + 1;
            (keys[row] as number[])[r.gender] = keySum([(keys[row] as number[])[r.gender] as number, r.key]);
          }
          const labels = Array.from({ length: rows }, (_, i) => String(i));
          return perturbTable({ rowLabels: labels, columnLabels: ["f", "m", "x"], cells }, keys, table);
        };
        const byAge = crossBy(4, (r) => r.age);
        const byHour = crossBy(5, (r) => r.hour);
        expect(byHour.columnTotals).toEqual(byAge.columnTotals);
        expect(byHour.grandTotal).toEqual(byAge.grandTotal);
        expect(byAge.grandTotal).toEqual({
          value: perturbCount(records.length, keySum(records.map((r) => r.key)), table),
          suppressed: false,
        });
      }),
    );
  });

  it("does not make totals the sums of the published cells, so a cell cannot be solved from its margins", () => {
    // Among a few key grids, at least one gives a grand total that is not the sum of its published cells.
    const counts = {
      rowLabels: ["a", "b"],
      columnLabels: ["x", "y"],
      cells: [
        [3, 40],
        [9, 120],
      ],
    };
    const disagree = Array.from({ length: 200 }, (_, seed) => [
      [seed * 7_919_993, seed * 104_729_011],
      [seed * 15_485_863, seed * 32_452_843],
    ]).some((keys) => {
      const published = perturbTable(counts, keys, DEFAULT);
      const cells = published.cells.flat().map((c) => (c.suppressed ? 0 : c.value));
      return (
        !published.grandTotal.suppressed && published.grandTotal.value !== cells.reduce((a, b) => a + b, 0)
      );
    });
    expect(disagree).toBe(true);
  });
});

describe("checkPublicationGrid", () => {
  it.each<[string, string, string, PeriodType | undefined]>([
    ["one day", "2026-11-28", "2026-11-28", undefined],
    ["one ISO week", "2026-11-23", "2026-11-29", undefined],
    ["an ISO week across a year end", "2026-12-28", "2027-01-03", undefined],
    ["one month", "2026-11-01", "2026-11-30", undefined],
    ["one quarter", "2026-10-01", "2026-12-31", undefined],
    ["one year", "2026-01-01", "2026-12-31", undefined],
    ["any days, by day", "2026-11-03", "2026-11-17", "day"],
    ["whole ISO weeks, by week", "2026-11-30", "2026-12-13", "week"],
    ["whole ISO weeks across a year end, by week", "2026-12-28", "2027-01-10", "week"],
    ["whole months, by month", "2026-10-01", "2026-12-31", "month"],
    ["a leap February, by month", "2028-02-01", "2028-02-29", "month"],
    ["whole quarters, by quarter", "2026-01-01", "2026-06-30", "quarter"],
    ["a whole year, by year", "2026-01-01", "2026-12-31", "year"],
  ])("accepts %s: %s … %s", (_, from, to, wholePeriods) => {
    expect(checkPublicationGrid(from, to, wholePeriods)).toEqual({ ok: true, value: undefined });
  });

  it.each<[string, string, string, PeriodType | undefined, string, string]>([
    ["a month short of a day", "2026-11-01", "2026-11-29", undefined, "2026-11-01", "2026-11-30"],
    ["two days of one week", "2026-11-28", "2026-11-29", undefined, "2026-11-23", "2026-11-29"],
    ["two days across a month end", "2026-11-30", "2026-12-01", undefined, "2026-11-30", "2026-12-06"],
    ["two months", "2026-11-01", "2026-12-31", undefined, "2026-10-01", "2026-12-31"],
    ["a month starting late, by month", "2026-11-03", "2026-11-30", "month", "2026-11-01", "2026-11-30"],
    ["a month ending early, by month", "2026-11-01", "2026-12-15", "month", "2026-11-01", "2026-12-31"],
    ["weeks starting on a Tuesday, by week", "2026-12-01", "2026-12-13", "week", "2026-11-30", "2026-12-13"],
    [
      "a quarter short of a month, by quarter",
      "2026-10-01",
      "2026-11-30",
      "quarter",
      "2026-10-01",
      "2026-12-31",
    ],
    ["a year from February, by year", "2026-02-01", "2026-12-31", "year", "2026-01-01", "2026-12-31"],
  ])("refuses %s (%s … %s by %s) and names %s … %s", (_, from, to, wholePeriods, allowedFrom, allowedTo) => {
    expect(checkPublicationGrid(from, to, wholePeriods)).toMatchObject({
      ok: false,
      error: { code: "off_grid", allowedFrom, allowedTo },
    });
  });
});
