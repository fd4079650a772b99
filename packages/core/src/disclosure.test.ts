import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CountTable,
  type DisclosedCell,
  type DisclosedTable,
  suppressCount,
  suppressSmallCells,
} from "./disclosure.js";

// ---------------------------------------------------------------------------------------------------
// The auditor: what an attacker can work out from a published table, computed exactly.
//
// It sees only the published output. Unknowns are the hidden cells and totals; it knows every count is a
// whole number ≥ 0, every row and column adds up to its total, the totals add up to the grand total, a
// `primary` cell is 1…k−1 and — since the reason is published — a `secondary` cell is 0 or ≥ k. For each
// unknown it finds the exact smallest and largest value consistent with all that, by bounds propagation
// and branching (complete, so a pinned cell is always caught).

const UNBOUNDED = 1_000_000;

interface Domain {
  lo: number;
  hi: number;
  /** The value cannot be 1…k−1 (a secondary cell). */
  gap: boolean;
}

interface Equation {
  terms: [variable: number, coefficient: 1 | -1][];
  constant: number;
}

interface Problem {
  k: number;
  domains: Domain[];
  equations: Equation[];
  /** Grid position of each unknown, `i,j` in the table-with-totals grid. */
  positions: string[];
}

function problemOf(published: DisclosedTable): Problem {
  const r = published.rowLabels.length;
  const c = published.columnLabels.length;
  const grid: DisclosedCell[][] = [
    ...published.cells.map((row, i) => [...row, published.rowTotals[i] as DisclosedCell]),
    [...published.columnTotals, published.grandTotal],
  ];
  const variableAt = new Map<string, number>();
  const domains: Domain[] = [];
  const positions: string[] = [];
  grid.forEach((row, i) => {
    row.forEach((cell, j) => {
      if (!cell.suppressed) return;
      variableAt.set(`${i},${j}`, domains.length);
      positions.push(`${i},${j}`);
      domains.push(
        cell.reason === "primary"
          ? { lo: 1, hi: published.k - 1, gap: false }
          : { lo: 0, hi: UNBOUNDED, gap: true },
      );
    });
  });
  const equations: Equation[] = [];
  const line = (cells: [number, number][], total: [number, number]) => {
    const equation: Equation = { terms: [], constant: 0 };
    for (const [[i, j], coefficient] of [...cells.map((p) => [p, 1] as const), [total, -1] as const]) {
      const cell = grid[i]?.[j] as DisclosedCell;
      if (cell.suppressed) equation.terms.push([variableAt.get(`${i},${j}`) as number, coefficient]);
      else equation.constant -= coefficient * cell.value;
    }
    equations.push(equation);
  };
  for (let i = 0; i <= r; i++)
    line(
      Array.from({ length: c }, (_, j) => [i, j] as [number, number]),
      [i, c],
    );
  for (let j = 0; j <= c; j++)
    line(
      Array.from({ length: r }, (_, i) => [i, j] as [number, number]),
      [r, j],
    );
  return { k: published.k, domains, equations, positions };
}

function tighten(d: Domain, lo: number, hi: number, k: number): boolean {
  let changed = false;
  if (lo > d.lo) [d.lo, changed] = [lo, true];
  if (hi < d.hi) [d.hi, changed] = [hi, true];
  if (d.gap && d.lo >= 1 && d.lo < k) [d.lo, changed] = [k, true];
  if (d.gap && d.hi >= 1 && d.hi < k) [d.hi, changed] = [0, true];
  return changed;
}

function propagate(problem: Problem, domains: Domain[]): boolean {
  for (let round = 0; round < 500; round++) {
    let changed = false;
    for (const { terms, constant } of problem.equations) {
      let min = 0;
      let max = 0;
      for (const [v, a] of terms) {
        const d = domains[v] as Domain;
        min += a > 0 ? d.lo : -d.hi;
        max += a > 0 ? d.hi : -d.lo;
      }
      for (const [v, a] of terms) {
        const d = domains[v] as Domain;
        const ownMin = a > 0 ? d.lo : -d.hi;
        const ownMax = a > 0 ? d.hi : -d.lo;
        // a·x = constant − (sum of the others)
        const low = constant - (max - ownMax);
        const high = constant - (min - ownMin);
        changed = (a > 0 ? tighten(d, low, high, problem.k) : tighten(d, -high, -low, problem.k)) || changed;
        if (d.lo > d.hi) return false;
      }
    }
    if (!changed) return true;
  }
  return true;
}

function feasible(problem: Problem, domains: Domain[]): boolean {
  const ds = domains.map((d) => ({ ...d }));
  if (!propagate(problem, ds)) return false;
  let pick = -1;
  for (let v = 0; v < ds.length; v++) {
    const d = ds[v] as Domain;
    if (d.lo < d.hi && (pick < 0 || d.hi - d.lo < (ds[pick] as Domain).hi - (ds[pick] as Domain).lo))
      pick = v;
  }
  if (pick < 0) {
    return problem.equations.every(
      ({ terms, constant }) => terms.reduce((sum, [v, a]) => sum + a * (ds[v] as Domain).lo, 0) === constant,
    );
  }
  const d = ds[pick] as Domain;
  const halves: [number, number][] =
    d.gap && d.lo === 0 && d.hi >= problem.k
      ? [
          [0, 0],
          [problem.k, d.hi],
        ]
      : [
          [d.lo, Math.floor((d.lo + d.hi) / 2)],
          [Math.floor((d.lo + d.hi) / 2) + 1, d.hi],
        ];
  return halves.some(([lo, hi]) =>
    feasible(
      problem,
      ds.map((x, v) => (v === pick ? { ...x, lo, hi } : x)),
    ),
  );
}

/** The exact range of each hidden cell, keyed by its `i,j` in the grid with totals (row R / column C). */
function audit(published: DisclosedTable): Map<string, { min: number; max: number }> {
  const problem = problemOf(published);
  const domains = problem.domains.map((d) => ({ ...d }));
  if (!propagate(problem, domains) || !feasible(problem, domains))
    throw new Error("The published table is inconsistent");
  const ranges = new Map<string, { min: number; max: number }>();
  problem.positions.forEach((position, v) => {
    const within = (lo: number, hi: number) =>
      feasible(
        problem,
        domains.map((d, w) => (w === v ? { ...d, lo: Math.max(d.lo, lo), hi: Math.min(d.hi, hi) } : d)),
      );
    const { lo, hi } = domains[v] as Domain;
    // "Some solution has x ≤ m" only grows with m, so binary search finds the exact minimum; same for max.
    let [a, b] = [lo, hi];
    while (a < b) {
      const m = Math.floor((a + b) / 2);
      if (within(lo, m)) b = m;
      else a = m + 1;
    }
    const min = a;
    [a, b] = [lo, hi];
    while (a < b) {
      const m = Math.ceil((a + b) / 2);
      if (within(m, hi)) a = m;
      else b = m - 1;
    }
    ranges.set(position, { min, max: a });
  });
  return ranges;
}

// ---------------------------------------------------------------------------------------------------

const shown = (value: number): DisclosedCell => ({ value, suppressed: false });
const primary: DisclosedCell = { suppressed: true, reason: "primary" };
const secondary: DisclosedCell = { suppressed: true, reason: "secondary" };

/** The most a truthful publication can hide: every figure, each marked as what its value makes it. */
function hideEverything(input: CountTable, k: number): DisclosedTable {
  const mark = (v: number): DisclosedCell => (v >= 1 && v < k ? primary : secondary);
  const rowTotals = input.cells.map((row) => row.reduce((a, b) => a + b, 0));
  const columnTotals = input.columnLabels.map((_, j) => input.cells.reduce((a, row) => a + (row[j] ?? 0), 0));
  return {
    k,
    rowLabels: input.rowLabels,
    columnLabels: input.columnLabels,
    cells: input.cells.map((row) => row.map(mark)),
    rowTotals: rowTotals.map(mark),
    columnTotals: columnTotals.map(mark),
    grandTotal: mark(rowTotals.reduce((a, b) => a + b, 0)),
  };
}

function publish(table: CountTable, k = 5): DisclosedTable {
  const result = suppressSmallCells(table, { k });
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
}

function table(cells: number[][]): CountTable {
  return {
    rowLabels: cells.map((_, i) => `r${i}`),
    columnLabels: (cells[0] ?? []).map((_, j) => `c${j}`),
    cells,
  };
}

/** Every published figure of the grid with totals, next to its true value. */
function figures(
  input: CountTable,
  published: DisclosedTable,
): { cell: DisclosedCell; truth: number; at: string }[] {
  const rowTotals = input.cells.map((row) => row.reduce((a, b) => a + b, 0));
  const columnTotals = input.columnLabels.map((_, j) => input.cells.reduce((a, row) => a + (row[j] ?? 0), 0));
  const r = input.rowLabels.length;
  const c = input.columnLabels.length;
  return [
    ...published.cells.flatMap((row, i) =>
      row.map((cell, j) => ({ cell, truth: input.cells[i]?.[j] ?? 0, at: `${i},${j}` })),
    ),
    ...published.rowTotals.map((cell, i) => ({ cell, truth: rowTotals[i] ?? 0, at: `${i},${c}` })),
    ...published.columnTotals.map((cell, j) => ({ cell, truth: columnTotals[j] ?? 0, at: `${r},${j}` })),
    { cell: published.grandTotal, truth: rowTotals.reduce((a, b) => a + b, 0), at: `${r},${c}` },
  ];
}

describe("the auditor catches what naive suppression gives away", () => {
  it("a lone hidden cell in a row: primary suppression alone is read back from the row total", () => {
    // 3 | 10 → 13: hiding only the 3 leaves 13 − 10.
    const naive: DisclosedTable = {
      k: 5,
      rowLabels: ["r0", "r1"],
      columnLabels: ["c0", "c1"],
      cells: [
        [primary, shown(10)],
        [shown(10), shown(10)],
      ],
      rowTotals: [shown(13), shown(20)],
      columnTotals: [shown(13), shown(20)],
      grandTotal: shown(33),
    };
    expect(audit(naive).get("0,0")).toEqual({ min: 3, max: 3 });
  });

  it("two hidden cells per line are not enough when the counts are pinned by their bounds", () => {
    // 4 4 / 4 4 with totals 8: each row holds two primaries (≤ 4) that add up to 8.
    const pinned: DisclosedTable = {
      k: 5,
      rowLabels: ["r0", "r1"],
      columnLabels: ["c0", "c1"],
      cells: [
        [primary, primary],
        [primary, primary],
      ],
      rowTotals: [shown(8), shown(8)],
      columnTotals: [shown(8), shown(8)],
      grandTotal: shown(16),
    };
    expect(audit(pinned).get("0,0")).toEqual({ min: 4, max: 4 });
    const published = publish(
      table([
        [4, 4],
        [4, 4],
      ]),
    );
    for (const { min, max } of audit(published).values()) expect(min).toBeLessThan(max);
  });

  it("two hidden cells per line are not enough when a hidden cell bridges two blocks", () => {
    // Rows 0–1 × columns 0–1 and rows 2–3 × columns 2–3 are hidden blocks; (0,2) links them and is pinned.
    const grid = [
      [6, 6, 7, 9],
      [6, 6, 9, 9],
      [9, 9, 6, 6],
      [9, 9, 6, 6],
    ];
    const hidden = new Set(["0,0", "0,1", "1,0", "1,1", "2,2", "2,3", "3,2", "3,3", "0,2"]);
    const bridged: DisclosedTable = {
      k: 5,
      rowLabels: ["r0", "r1", "r2", "r3"],
      columnLabels: ["c0", "c1", "c2", "c3"],
      cells: grid.map((row, i) => row.map((v, j) => (hidden.has(`${i},${j}`) ? secondary : shown(v)))),
      rowTotals: grid.map((row) => shown(row.reduce((a, b) => a + b, 0))),
      columnTotals: [0, 1, 2, 3].map((j) => shown(grid.reduce((a, row) => a + (row[j] ?? 0), 0))),
      grandTotal: shown(grid.flat().reduce((a, b) => a + b, 0)),
    };
    expect(audit(bridged).get("0,2")).toEqual({ min: 7, max: 7 });
  });

  it("a complement that is known to be 0 or ≥ k can pin the small cell", () => {
    // 1 | 5 → 6 with the 5 hidden as a complement: the 5 is 0 or ≥ 5, so the 1 must be 1 (or 6, too big).
    const labelled: DisclosedTable = {
      k: 5,
      rowLabels: ["r0"],
      columnLabels: ["c0", "c1"],
      cells: [[primary, secondary]],
      rowTotals: [shown(6)],
      columnTotals: [primary, secondary],
      grandTotal: shown(6),
    };
    expect(audit(labelled).get("0,0")).toEqual({ min: 1, max: 1 });
    const published = publish(table([[1, 5]]));
    expect(published.grandTotal).toEqual(secondary);
    for (const { min, max } of audit(published).values()) expect(min).toBeLessThan(max);
  });
});

describe("suppressSmallCells", () => {
  it("hides a small count and one complement in its row and its column", () => {
    const published = publish({
      rowLabels: ["female", "male"],
      columnLabels: ["18-59", "60+", "unknown"],
      cells: [
        [12, 3, 20],
        [40, 9, 30],
      ],
    });
    expect(published.cells).toEqual([
      [secondary, primary, shown(20)],
      [secondary, secondary, shown(30)],
    ]);
    expect(published.rowTotals).toEqual([shown(35), shown(79)]);
    expect(published.columnTotals).toEqual([shown(52), shown(12), shown(50)]);
    expect(published.grandTotal).toEqual(shown(114));
    expect(audit(published).get("0,1")).toEqual({ min: 1, max: 4 });
  });

  it("shows zeros: 0 is not a small count", () => {
    const published = publish(
      table([
        [0, 10],
        [7, 0],
      ]),
    );
    expect(published.cells).toEqual([
      [shown(0), shown(10)],
      [shown(7), shown(0)],
    ]);
  });

  it("hides a small total and protects it with the line's cells", () => {
    const published = publish(
      table([
        [2, 1],
        [30, 40],
      ]),
    );
    expect(published.rowTotals[0]).toEqual(primary);
    for (const { min, max } of audit(published).values()) expect(min).toBeLessThan(max);
  });

  it("leaves a table without small counts untouched", () => {
    const published = publish(
      table([
        [5, 6],
        [0, 9],
      ]),
    );
    expect(
      figures(
        table([
          [5, 6],
          [0, 9],
        ]),
        published,
      ).every(({ cell }) => !cell.suppressed),
    ).toBe(true);
  });

  it("uses the threshold it is given", () => {
    expect(
      publish(
        table([
          [3, 10],
          [10, 10],
        ]),
        3,
      ).cells[0],
    ).toEqual([shown(3), shown(10)]);
    expect(
      publish(
        table([
          [3, 10],
          [10, 10],
        ]),
        4,
      ).cells[0]?.[0],
    ).toEqual(primary);
  });

  it.each([2, 1, 0, -5, 4.5, Number.NaN])("refuses the threshold %s", (k) => {
    expect(suppressSmallCells(table([[1]]), { k })).toMatchObject({
      ok: false,
      error: { code: "threshold_too_low" },
    });
  });

  it.each<[string, CountTable]>([
    ["a negative count", table([[1, -1]])],
    ["a fraction", table([[1.5]])],
    ["a ragged row", { rowLabels: ["a", "b"], columnLabels: ["x", "y"], cells: [[1, 2], [3]] }],
    ["a missing row label", { rowLabels: ["a"], columnLabels: ["x"], cells: [[1], [2]] }],
  ])("refuses %s", (_, input) => {
    expect(suppressSmallCells(input)).toMatchObject({ ok: false, error: { code: "invalid_table" } });
  });

  it("refuses a table whose small counts are given away by their marks alone", () => {
    // Four hidden counts of 1…4 adding up to a hidden total of 1…4: each is 1, whatever else is hidden.
    const input = table([
      [1, 1, 1, 1, 0],
      [20, 20, 20, 20, 20],
    ]);
    expect(suppressSmallCells(input)).toMatchObject({ ok: false, error: { code: "cannot_protect" } });
    expect(audit(hideEverything(input, 5)).get("0,0")).toEqual({ min: 1, max: 1 });
    // With one count fewer the same row can be protected.
    const smaller = publish(
      table([
        [1, 1, 1, 0, 0],
        [20, 20, 20, 20, 20],
      ]),
    );
    for (const { min, max } of audit(smaller).values()) expect(min).toBeLessThan(max);
  });

  it("publishes an empty table as zero totals", () => {
    const published = publish({ rowLabels: [], columnLabels: ["a", "b"], cells: [] });
    expect(published.columnTotals).toEqual([shown(0), shown(0)]);
    expect(published.grandTotal).toEqual(shown(0));
  });

  const tableArb = fc
    .record({ rows: fc.integer({ min: 1, max: 5 }), columns: fc.integer({ min: 1, max: 5 }) })
    .chain(({ rows, columns }) =>
      fc.array(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 20 })), {
          minLength: columns,
          maxLength: columns,
        }),
        { minLength: rows, maxLength: rows },
      ),
    )
    .map(table);
  const kArb = fc.constantFrom(3, 4, 5);

  it("never shows a count of 1…k−1, cell or total, and shows every other figure as it is", () => {
    fc.assert(
      fc.property(tableArb, kArb, (input, k) => {
        const result = suppressSmallCells(input, { k });
        fc.pre(result.ok);
        for (const { cell, truth } of figures(input, result.value)) {
          if (cell.suppressed) {
            expect(cell).not.toHaveProperty("value");
            expect(truth).toBeGreaterThan(0);
            if (cell.reason === "primary") expect(truth).toBeLessThan(k);
            else expect(truth).toBeGreaterThanOrEqual(k);
          } else {
            expect(cell.value).toBe(truth);
            expect(truth === 0 || truth >= k).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("never lets a hidden count be worked out from the rest of the table", () => {
    fc.assert(
      fc.property(tableArb, kArb, (input, k) => {
        const result = suppressSmallCells(input, { k });
        if (!result.ok) {
          // A refusal must be forced: even hiding every figure, the marks alone pin some count.
          expect(result.error.code).toBe("cannot_protect");
          expect([...audit(hideEverything(input, k)).values()].some(({ min, max }) => min === max)).toBe(
            true,
          );
          return;
        }
        const published = result.value;
        const truth = new Map(figures(input, published).map(({ at, truth }) => [at, truth]));
        for (const [at, { min, max }] of audit(published)) {
          expect(min, `cell ${at}`).toBeLessThan(max);
          // The auditor is sound: the real value is one of those it allows.
          expect(truth.get(at)).toBeGreaterThanOrEqual(min);
          expect(truth.get(at)).toBeLessThanOrEqual(max);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same output for the same table", () => {
    fc.assert(
      fc.property(tableArb, kArb, (input, k) => {
        const twice = [suppressSmallCells(input, { k }), suppressSmallCells(input, { k })];
        expect(JSON.stringify(twice[0])).toBe(JSON.stringify(twice[1]));
      }),
    );
  });
});

describe("suppressCount", () => {
  it.each([
    [0, shown(0)],
    [1, primary],
    [4, primary],
    [5, shown(5)],
    [120, shown(120)],
  ])("publishes %i as %o", (n, expected) => {
    expect(suppressCount(n)).toEqual({ ok: true, value: expected });
  });

  it("uses the threshold it is given and refuses one below 3", () => {
    expect(suppressCount(3, 3)).toEqual({ ok: true, value: shown(3) });
    expect(suppressCount(3, 2)).toMatchObject({
      ok: false,
      error: { code: "threshold_too_low", minimum: 3 },
    });
    expect(suppressCount(-1)).toMatchObject({ ok: false, error: { code: "invalid_table" } });
  });
});
