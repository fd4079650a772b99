import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  KEY_SPACE,
  type PerturbationTable,
  perturbationTable,
  perturbCount,
  perturbTable,
  possibleCounts,
} from "./cell-key.js";
import {
  ARRIVALS_LINES,
  type LineFigure,
  OWN_MARGINS,
  openClosedLines,
  publishTable,
  publishTotalOver,
} from "./closed-lines.js";
import type { DisclosedCell, DisclosedTable } from "./disclosure.js";
import { openVisitorGroupLines } from "./visitor-groups.js";

function tableOf(k: number, maxNoise: number): PerturbationTable {
  const table = perturbationTable({ k, maxNoise });
  if (!table.ok) throw new Error(table.error.message);
  return table.value;
}

const DEFAULT = tableOf(5, 2);
const TABLES = [tableOf(3, 1), DEFAULT, tableOf(5, 5), tableOf(10, 3)];
const tableArb = fc.constantFrom(...TABLES);
const keyArb = fc.integer({ min: 1, max: KEY_SPACE - 1 });
/** Keys near the ends and the middle of [0, 2³²), so that counts often publish at the edges of their noise. */
const edgyKeyArb = fc.oneof(
  keyArb,
  fc.constantFrom(0.01, 0.03, 0.24, 0.5, 0.8, 0.9, 0.97, 0.99).map((u) => Math.floor(u * KEY_SPACE)),
);

const value = (cell: DisclosedCell | undefined) => (cell === undefined || cell.suppressed ? -1 : cell.value);
const range = (cell: DisclosedCell | undefined, table: PerturbationTable) => {
  const possible = possibleCounts(value(cell), table);
  if (possible === null) throw new Error(`${value(cell)} is never published`);
  return possible;
};

/** What the reader checks: whether a total's range and its parts' ranges meet (the line pins its parts). */
function isClosed(whole: DisclosedCell, parts: readonly DisclosedCell[], table: PerturbationTable): boolean {
  const own = range(whole, table);
  const least = parts.reduce((sum, part) => sum + range(part, table).min, 0);
  const most = parts.reduce((sum, part) => sum + range(part, table).max, 0);
  return own.max <= least || own.min >= most;
}

function closedLines(published: DisclosedTable, table: PerturbationTable): string[] {
  const closed: string[] = [];
  published.cells.forEach((row, i) => {
    if (isClosed(published.rowTotals[i] as DisclosedCell, row, table)) closed.push(`row ${i}`);
  });
  published.columnTotals.forEach((total, j) => {
    const parts = published.cells.map((row) => row[j] as DisclosedCell);
    if (isClosed(total, parts, table)) closed.push(`column ${j}`);
  });
  for (const [name, parts] of [
    ["cells", published.cells.flat()],
    ["row totals", published.rowTotals],
    ["column totals", published.columnTotals],
  ] as const) {
    if (isClosed(published.grandTotal, parts, table)) closed.push(`grand total over ${name}`);
  }
  return closed;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

describe("openClosedLines", () => {
  it("opens the line of the centre that leaked: 6 men, 1 woman and 1 unknown aged 18–59 had meals", () => {
    // Published: the total of 8 as 6 (so 6…8), the men as 6 (so 6…8: a count of 5 always publishes 5), the
    // woman and the unknown as 5 (so 1…7), nobody else (0: 0…4). 8 ≤ 6 + 1 + 1 + 0: all three are pinned.
    const figure = (n: number, published: number, movable = true): LineFigure => ({
      n,
      key: 0,
      value: published,
      movable,
      moved: false,
    });
    const whole = figure(8, 6, false);
    const parts = [figure(1, 5), figure(6, 6), figure(0, 0), figure(1, 5)];
    const left = openClosedLines([{ whole, parts, movable: ["whole", "parts"] }], DEFAULT);
    expect(left).toBe(0);
    // The total is shared, so the largest part moved: the men are published as 5 (1…7), a value a count of
    // 6 publishes anyway; the woman and the unknown now lie in 1…2 each as far as the line can tell.
    expect(parts.map((part) => part.value)).toEqual([5, 5, 0, 5]);
    expect(parts[1]?.moved).toBe(true);
  });

  it("leaves a line closed when nothing in it may move, and says so", () => {
    const fixed = (n: number, published: number): LineFigure => ({
      n,
      key: 0,
      value: published,
      movable: false,
      moved: false,
    });
    const line = { whole: fixed(8, 6), parts: [fixed(6, 6), fixed(1, 5), fixed(1, 5)], movable: ["parts"] };
    expect(openClosedLines([line as never], DEFAULT)).toBe(1);
  });
});

describe("publishTable", () => {
  const countsArb = fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 4 }))
    .chain(([rows, columns]) =>
      fc.record({
        // Mostly small and near-k counts, where lines close.
        cells: fc.array(
          fc.array(fc.constantFrom(0, 0, 1, 1, 6, 6, 7, 12), {
            minLength: columns,
            maxLength: columns,
          }),
          { minLength: rows, maxLength: rows },
        ),
        keys: fc.array(fc.array(edgyKeyArb, { minLength: columns, maxLength: columns }), {
          minLength: rows,
          maxLength: rows,
        }),
      }),
    );
  // An empty cell counts no records: its key is 0, as the partials make it.
  const keyed = (cells: number[][], keys: number[][]) =>
    cells.map((row, i) => row.map((n, j) => (n === 0 ? 0 : (keys[i]?.[j] ?? 0))));
  const countTable = (cells: number[][]) => ({
    rowLabels: cells.map((_, i) => `r${i}`),
    columnLabels: (cells[0] ?? []).map((_, j) => `c${j}`),
    cells,
  });

  it("publishes no closed line, and every figure as an outcome of its own count", () => {
    let opened = 0;
    fc.assert(
      fc.property(tableArb, countsArb, (table, { cells, keys }) => {
        const counts = countTable(cells);
        const published = publishTable(counts, keyed(cells, keys), table, OWN_MARGINS);
        const plain = perturbTable(counts, keyed(cells, keys), table);
        if (closedLines(plain, table).length > 0) opened++;
        expect(closedLines(published, table)).toEqual([]);
        // Each figure is a value its own count can publish: never 1…k−1, zeros stay zeros, within D.
        const truths = [
          ...cells.flat(),
          ...cells.map(sum),
          ...counts.columnLabels.map((_, j) => sum(cells.map((row) => row[j] ?? 0))),
          sum(cells.flat()),
        ];
        const values = [
          ...published.cells.flat(),
          ...published.rowTotals,
          ...published.columnTotals,
          published.grandTotal,
        ];
        values.forEach((cell, i) => {
          const n = truths[i] as number;
          const { min, max } = range(cell, table);
          expect(n).toBeGreaterThanOrEqual(min);
          expect(n).toBeLessThanOrEqual(max);
          if (n === 0) expect(value(cell)).toBe(0);
          if (n >= table.k) expect(Math.abs(value(cell) - n)).toBeLessThanOrEqual(table.maxNoise);
        });
        // The grand total is shared with other tables: it keeps its own perturbation.
        expect(published.grandTotal).toEqual(plain.grandTotal);
      }),
      { numRuns: 2000, seed: 20_261_207 },
    );
    // Closed lines are rare (every non-zero part at an edge at once), but the draw does make some.
    expect(opened).toBeGreaterThan(0);
  }, 60_000);

  it("moves a figure only rarely: most tables publish exactly what perturbTable does", () => {
    fc.assert(
      fc.property(tableArb, countsArb, (table, { cells, keys }) => {
        const counts = countTable(cells);
        const plain = perturbTable(counts, keyed(cells, keys), table);
        if (closedLines(plain, table).length > 0) return;
        expect(publishTable(counts, keyed(cells, keys), table)).toEqual(plain);
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it("keeps one figure for the same records: a row total that is the grand total moves with it or not at all", () => {
    // Only the first row has counts, so its total counts the same records as the grand total. The keys put
    // each 1 at k (so at least 1), the 6 at 6 or 7 (so at least 6) and the total of 8 at 6 (so at most 8):
    // the published line would be closed.
    const counts = countTable([
      [6, 1, 1, 0],
      [0, 0, 0, 0],
    ]);
    const at = (u: number) => Math.floor(u * KEY_SPACE);
    for (let step = 0; step < 100; step++) {
      const keys = [
        [at(0.236 + step * 0.00016), at(0.9), at(0.9), 0],
        [0, 0, 0, 0],
      ];
      const plain = perturbTable(counts, keys, DEFAULT);
      expect(closedLines(plain, DEFAULT).length).toBeGreaterThan(0);
      const published = publishTable(counts, keys, DEFAULT);
      expect(closedLines(published, DEFAULT)).toEqual([]);
      expect(published.rowTotals[0]).toEqual(published.grandTotal);
      expect(published.grandTotal).toEqual(plain.grandTotal);
      // The 6, the largest part, took its other outcome 5 (which means 1…7); the small cells kept theirs.
      expect(published.cells[0]?.map(value)).toEqual([5, 5, 5, 0]);
    }
  });

  it("publishes a day's hours alike in the day's and the week's arrivals tables", () => {
    // The day is a row of both tables (in the week beside six others): its cells move for its own row
    // only, so both answers show the same figures for the same records.
    let opened = 0;
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(0, 0, 0, 1, 6), { minLength: 6, maxLength: 6 }), {
          minLength: 7,
          maxLength: 7,
        }),
        fc.array(fc.array(edgyKeyArb, { minLength: 6, maxLength: 6 }), { minLength: 7, maxLength: 7 }),
        fc.integer({ min: 0, max: 6 }),
        (week, drawnKeys, day) => {
          // Distinct records have distinct keys (a collision is a 2⁻³² event): offset the drawn ones.
          const keys = drawnKeys.map((row, i) => row.map((key, j) => (key + (i * 6 + j) * 1009) % KEY_SPACE));
          const emptyRow = () => [0, 0, 0, 0, 0, 0];
          const dayCells = week.map((row, i) => (i === day ? row : emptyRow()));
          const dayKeys = keyed(dayCells, keys);
          const byWeek = publishTable(countTable(week), keyed(week, keys), DEFAULT, ARRIVALS_LINES);
          const byDay = publishTable(countTable(dayCells), dayKeys, DEFAULT, ARRIVALS_LINES);
          expect(byWeek.cells[day]).toEqual(byDay.cells[day]);
          expect(byWeek.rowTotals[day]).toEqual(byDay.rowTotals[day]);
          expect(byDay.grandTotal).toEqual(byDay.rowTotals[day]);
          expect(closedLines(byDay, DEFAULT)).toEqual([]);
          if (closedLines(perturbTable(countTable(dayCells), dayKeys, DEFAULT), DEFAULT).length > 0) opened++;
        },
      ),
      { numRuns: 1000, seed: 11 },
    );
    expect(opened).toBeGreaterThan(0);
  }, 60_000);
});

describe("publishTotalOver", () => {
  it("moves a total that would close the line with its parts, and only then", () => {
    const table = DEFAULT;
    const parts = [
      { n: 6, value: 6 },
      { n: 1, value: 5 },
      { n: 1, value: 5 },
    ];
    let moved = 0;
    for (let seed = 0; seed < 2000; seed++) {
      const key = Math.floor(((seed + 0.5) * KEY_SPACE) / 2000);
      const plain = perturbCount(8, key, table);
      const published = publishTotalOver(8, key, parts, table);
      const closedBefore = (possibleCounts(plain, table)?.max ?? 0) <= 8;
      if (closedBefore) {
        moved++;
        expect(published).toBe(7);
      } else expect(published).toBe(plain);
      expect(possibleCounts(published, table)?.max).toBeGreaterThan(8);
    }
    expect(moved).toBeGreaterThan(0);
  });
});

describe("openVisitorGroupLines", () => {
  it("moves a group up when unique visitors would pin their groups from below, and only then", () => {
    // 36 visitors: 8 women, 20 men, 4 other, 4 unknown. Published: all visitors as 38 (so at least 36), the
    // women as 6 (at most 8), the men as 18 (at most 20), the other two groups as 0 (at most 4): 36 ≥ 8 + 20
    // + 4 + 4, every group pinned. Visitors are at most the sum of their groups (a person seen with two
    // genders counts in each), so only this side pins.
    const byGender = {
      female: { visitors: 8, key: 11 },
      male: { visitors: 20, key: 12 },
      other: { visitors: 4, key: 13 },
      unknown: { visitors: 4, key: 14 },
    };
    const source = {
      uniqueVisitors: 36,
      visitorCodes: [],
      anonymisedGroups: { byAgeBand: { "18-59": { visitors: 36, key: 15 } }, byGender, byLanguage: {} },
    };
    const shown = (value: number) => ({ value, suppressed: false as const });
    const published = {
      byAgeBand: [{ group: "18-59", count: shown(36) }],
      byGender: [
        { group: "female", count: shown(6) },
        { group: "male", count: shown(18) },
        { group: "other", count: shown(0) },
        { group: "unknown", count: shown(0) },
      ],
      byLanguage: [],
    };
    const opened = openVisitorGroupLines(published, source, shown(38), DEFAULT);
    // The largest group at its edge moved up by one outcome of its own count: the men, 18 → 19 (17…21).
    expect(opened.byGender.map(({ count }) => value(count))).toEqual([6, 19, 0, 0]);
    expect(opened.byAgeBand).toEqual(published.byAgeBand);
    // Published as 36 (34…38), the total no longer pins anything: unchanged.
    expect(openVisitorGroupLines(published, source, shown(36), DEFAULT)).toEqual(published);
  });
});
