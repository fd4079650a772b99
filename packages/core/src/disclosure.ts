import type { Result } from "./result.js";
import { err, ok } from "./result.js";

/**
 * Disclosure control for figures shown to people without access to the raw records (DOMAIN.md): small
 * counts are hidden (primary suppression) and enough other cells are hidden with them (secondary
 * suppression) that no hidden count can be worked out from what is shown.
 *
 * What a reader knows, and what we guarantee against it. The reader sees the visible cells and totals,
 * knows every count is a whole number ≥ 0, and reads the reason of each hidden cell: a `primary` cell is
 * 1…k−1, a `secondary` cell is therefore 0 or ≥ k. Given all that, every hidden cell — inner cell or
 * total — can still take at least two values. The proof is constructive: for each hidden cell we find a
 * cycle of hidden cells alternating along rows and columns (totals included) along which all counts can
 * move by one and stay consistent with everything published. Zeros are never hidden: a 0 is not a small
 * cell, and a hidden 0 can only move by k, which rarely protects anything.
 */

/** The smallest threshold that protects anything: with k = 2 every hidden count would be exactly 1. */
export const MIN_THRESHOLD = 3;

/** The threshold of DOMAIN.md: counts of 1–4 are hidden. */
export const DEFAULT_THRESHOLD = 5;

/** A 2-D table of counts with its labels; its row, column and grand totals are published with it. */
export interface CountTable {
  readonly rowLabels: readonly string[];
  readonly columnLabels: readonly string[];
  /** `cells[row][column]`, whole numbers ≥ 0. */
  readonly cells: readonly (readonly number[])[];
}

/** A published figure: its value, or the mark that it is hidden and why. A hidden value is never output. */
export type DisclosedCell =
  | { readonly value: number; readonly suppressed: false }
  | { readonly suppressed: true; readonly reason: "primary" | "secondary" };

/** A table as it may be published. */
export interface DisclosedTable {
  readonly k: number;
  readonly rowLabels: readonly string[];
  readonly columnLabels: readonly string[];
  readonly cells: DisclosedCell[][];
  readonly rowTotals: DisclosedCell[];
  readonly columnTotals: DisclosedCell[];
  readonly grandTotal: DisclosedCell;
}

/** Why a table or a figure could not be published. */
export type DisclosureError =
  | { readonly code: "threshold_too_low"; readonly k: number; readonly minimum: number }
  | { readonly code: "invalid_table"; readonly message: string }
  | { readonly code: "cannot_protect"; readonly message: string };

/** Options of {@link suppressSmallCells}. */
export interface SuppressionOptions {
  /** Counts 1…k−1 are hidden; at least {@link MIN_THRESHOLD}, {@link DEFAULT_THRESHOLD} by default. */
  readonly k?: number;
}

function checkThreshold(k: number): DisclosureError | undefined {
  if (!Number.isInteger(k) || k < MIN_THRESHOLD)
    return { code: "threshold_too_low", k, minimum: MIN_THRESHOLD };
  return undefined;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

/**
 * Hides a single published figure if it is small (1…k−1); 0 and counts ≥ k are shown. Use it for a lone
 * figure, such as "unique visitors this month"; a figure published with its parts needs
 * {@link suppressSmallCells} instead, or the parts give it away.
 *
 * @example
 * suppressCount(3); // { ok: true, value: { suppressed: true, reason: "primary" } }
 * suppressCount(12); // { ok: true, value: { value: 12, suppressed: false } }
 */
export function suppressCount(
  n: number,
  k: number = DEFAULT_THRESHOLD,
): Result<DisclosedCell, DisclosureError> {
  const problem = checkThreshold(k);
  if (problem) return err(problem);
  if (!isCount(n))
    return err({ code: "invalid_table", message: `A count must be a whole number ≥ 0, got ${n}` });
  return ok(n >= 1 && n < k ? { suppressed: true, reason: "primary" } : { value: n, suppressed: false });
}

const VISIBLE = 0;
const PRIMARY = 1;
const SECONDARY = 2;

/**
 * The table with its totals as one (R+1)×(C+1) grid: row R holds the column totals, column C the row totals,
 * (R, C) the grand total. Counting a total with a minus sign makes every line of the grid sum to zero, so
 * a change that keeps every line's sum is a cycle alternating + and − along rows and columns.
 */
class Grid {
  readonly rows: number;
  readonly columns: number;
  readonly values: number[][];
  readonly state: number[][];

  constructor(
    cells: readonly (readonly number[])[],
    c: number,
    readonly k: number,
  ) {
    const r = cells.length;
    this.rows = r + 1;
    this.columns = c + 1;
    this.values = Array.from({ length: r + 1 }, () => new Array<number>(c + 1).fill(0));
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < c; j++) {
        const value = cells[i]?.[j] ?? 0;
        this.set(i, j, value);
        this.add(i, c, value);
        this.add(r, j, value);
        this.add(r, c, value);
      }
    }
    this.state = this.values.map((row) => row.map((value) => (value >= 1 && value < k ? PRIMARY : VISIBLE)));
  }

  private set(i: number, j: number, value: number): void {
    (this.values[i] as number[])[j] = value;
  }

  private add(i: number, j: number, value: number): void {
    (this.values[i] as number[])[j] = this.value(i, j) + value;
  }

  value(i: number, j: number): number {
    return this.values[i]?.[j] ?? 0;
  }

  stateOf(i: number, j: number): number {
    return this.state[i]?.[j] ?? VISIBLE;
  }

  hide(i: number, j: number): void {
    (this.state[i] as number[])[j] = SECONDARY;
  }

  isTotal(i: number, j: number): boolean {
    return i === this.rows - 1 || j === this.columns - 1;
  }

  /** Whether the count itself may go up (`+1`) or down (`-1`) by one and stay within what its mark says. */
  private canMove(i: number, j: number, step: 1 | -1): boolean {
    const next = this.value(i, j) + step;
    if (this.stateOf(i, j) === PRIMARY) return next >= 1 && next < this.k;
    return next >= this.k;
  }

  /** The same in the signed view where every line sums to zero: totals count negatively, the grand total positively. */
  canShift(i: number, j: number, sign: 1 | -1): boolean {
    const negative = (i === this.rows - 1) !== (j === this.columns - 1);
    return this.canMove(i, j, negative ? (-sign as 1 | -1) : sign);
  }

  /**
   * Whether a hidden cell can take another value: a cycle through it of hidden cells that can all shift by
   * one, in alternating directions. Shifting (i, j) up and walking from its column back to its row through
   * cells shifted down, then up, … is a path search in a small directed graph.
   */
  isProtected(i: number, j: number): boolean {
    return (
      (this.canShift(i, j, 1) && this.pathExists(i, j, 1)) ||
      (this.canShift(i, j, -1) && this.pathExists(i, j, -1))
    );
  }

  private pathExists(ti: number, tj: number, sign: 1 | -1): boolean {
    // Nodes: rows 0…R, columns R+1…; leaving a column we need a cell shifted opposite to the last one.
    const seenRows = new Array<boolean>(this.rows).fill(false);
    const seenColumns = new Array<boolean>(this.columns).fill(false);
    const queue: [kind: "row" | "column", index: number][] = [["column", tj]];
    seenColumns[tj] = true;
    while (queue.length > 0) {
      const [kind, index] = queue.shift() as ["row" | "column", number];
      if (kind === "column") {
        for (let i = 0; i < this.rows; i++) {
          if (seenRows[i] || (i === ti && index === tj) || this.stateOf(i, index) === VISIBLE) continue;
          if (!this.canShift(i, index, -sign as 1 | -1)) continue;
          if (i === ti) return true;
          seenRows[i] = true;
          queue.push(["row", i]);
        }
      } else {
        for (let j = 0; j < this.columns; j++) {
          if (seenColumns[j] || (index === ti && j === tj) || this.stateOf(index, j) === VISIBLE) continue;
          if (!this.canShift(index, j, sign)) continue;
          seenColumns[j] = true;
          queue.push(["column", j]);
        }
      }
    }
    return false;
  }

  /** The next hidden cell to protect: one alone in its row or column first (surely exposed), else the first unprotected. */
  nextUnprotected(): [number, number] | undefined {
    for (let i = 0; i < this.rows; i++) {
      for (let j = 0; j < this.columns; j++) {
        if (
          this.stateOf(i, j) !== VISIBLE &&
          (this.hiddenIn("row", i) === 1 || this.hiddenIn("column", j) === 1)
        ) {
          return [i, j];
        }
      }
    }
    for (let i = 0; i < this.rows; i++) {
      for (let j = 0; j < this.columns; j++) {
        if (this.stateOf(i, j) !== VISIBLE && !this.isProtected(i, j)) return [i, j];
      }
    }
    return undefined;
  }

  hiddenIn(line: "row" | "column", index: number): number {
    let count = 0;
    const length = line === "row" ? this.columns : this.rows;
    for (let n = 0; n < length; n++) {
      if ((line === "row" ? this.stateOf(index, n) : this.stateOf(n, index)) !== VISIBLE) count++;
    }
    return count;
  }

  /** Visible non-zero cells of the given lines, best complement first. */
  candidates(lines: readonly ["row" | "column", number][]): [number, number][] {
    const found: [number, number][] = [];
    for (const [line, index] of lines) {
      const length = line === "row" ? this.columns : this.rows;
      for (let n = 0; n < length; n++) {
        const [i, j] = line === "row" ? [index, n] : [n, index];
        if (this.stateOf(i, j) === VISIBLE && this.value(i, j) > 0) found.push([i, j]);
      }
    }
    // Inner cells before totals (totals are what readers use most), then the smallest count, then position.
    return found.sort(
      ([ai, aj], [bi, bj]) =>
        Number(this.isTotal(ai, aj)) - Number(this.isTotal(bi, bj)) ||
        this.value(ai, aj) - this.value(bi, bj) ||
        ai - bi ||
        aj - bj,
    );
  }

  allVisibleNonZero(): [number, number][] {
    const lines: ["row" | "column", number][] = [];
    for (let i = 0; i < this.rows; i++) lines.push(["row", i]);
    return this.candidates(lines);
  }
}

function validate(table: CountTable): string | undefined {
  if (table.cells.length !== table.rowLabels.length) return "There must be one row label per row";
  for (const [i, row] of table.cells.entries()) {
    if (row.length !== table.columnLabels.length) return `Row ${i} must have one count per column label`;
    for (const value of row)
      if (!isCount(value)) return `Counts must be whole numbers ≥ 0, got ${value} in row ${i}`;
  }
  return undefined;
}

/**
 * Prepares a table of counts, with its row, column and grand totals, for publication. Counts of 1…k−1 are
 * hidden (`primary`), totals included; then, until every hidden cell is protected, the first unprotected one
 * (row by row) gets a complement hidden (`secondary`): a visible non-zero count of its own row or column
 * that is its only hidden neighbour if there is such a line, inner cells before totals, smallest count first,
 * then by position. If its lines offer nothing, the smallest visible non-zero count anywhere is taken. The
 * result is deterministic; hidden cells carry no value. A threshold under 3 is refused (`threshold_too_low`).
 *
 * @example
 * const published = suppressSmallCells({
 *   rowLabels: ["female", "male"],
 *   columnLabels: ["18-59", "60+"],
 *   cells: [[12, 3], [40, 9]],
 * });
 * // published.value.cells[0][1] → { suppressed: true, reason: "primary" }, and one more cell in each of
 * // its row and column is hidden, so that 3 cannot be read back from the totals.
 */
export function suppressSmallCells(
  table: CountTable,
  options: SuppressionOptions = {},
): Result<DisclosedTable, DisclosureError> {
  const k = options.k ?? DEFAULT_THRESHOLD;
  const problem = checkThreshold(k);
  if (problem) return err(problem);
  const invalid = validate(table);
  if (invalid !== undefined) return err({ code: "invalid_table", message: invalid });

  const grid = new Grid(table.cells, table.columnLabels.length, k);
  for (let next = grid.nextUnprotected(); next !== undefined; next = grid.nextUnprotected()) {
    const [i, j] = next;
    const lonely = (["row", "column"] as const)
      .map((line) => [line, line === "row" ? i : j] as ["row" | "column", number])
      .filter(([line, index]) => grid.hiddenIn(line, index) === 1);
    const lines: ["row" | "column", number][] =
      lonely.length > 0
        ? lonely
        : [
            ["row", i],
            ["column", j],
          ];
    const complement = grid.candidates(lines)[0] ?? grid.allVisibleNonZero()[0];
    if (complement === undefined) {
      return err({
        code: "cannot_protect",
        message:
          "Even with every non-zero count hidden, the small counts can be read back from their marks " +
          "(e.g. k−1 counts of 1 in a line whose total is small): publish a coarser table or the total alone",
      });
    }
    grid.hide(complement[0], complement[1]);
  }

  const cell = (i: number, j: number): DisclosedCell => {
    const state = grid.stateOf(i, j);
    if (state === VISIBLE) return { value: grid.value(i, j), suppressed: false };
    return { suppressed: true, reason: state === PRIMARY ? "primary" : "secondary" };
  };
  const r = table.rowLabels.length;
  const c = table.columnLabels.length;
  return ok({
    k,
    rowLabels: [...table.rowLabels],
    columnLabels: [...table.columnLabels],
    cells: Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => cell(i, j))),
    rowTotals: Array.from({ length: r }, (_, i) => cell(i, c)),
    columnTotals: Array.from({ length: c }, (_, j) => cell(r, j)),
    grandTotal: cell(r, c),
  });
}

/**
 * A table with every count visible, in the shape of a disclosed one: for the admin views of callers who
 * may read unsuppressed figures (the response says `suppressed: false`). Never use it for an export.
 *
 * @example
 * openTable({ rowLabels: ["a"], columnLabels: ["x"], cells: [[2]] }, 5).grandTotal; // { value: 2, suppressed: false }
 */
export function openTable(table: CountTable, k: number): DisclosedTable {
  const shown = (value: number): DisclosedCell => ({ value, suppressed: false });
  const columnTotals = table.columnLabels.map((_, j) =>
    table.cells.reduce((sum, row) => sum + (row[j] ?? 0), 0),
  );
  const rowTotals = table.cells.map((row) => row.reduce((sum, value) => sum + value, 0));
  return {
    k,
    rowLabels: [...table.rowLabels],
    columnLabels: [...table.columnLabels],
    cells: table.cells.map((row) => row.map(shown)),
    rowTotals: rowTotals.map(shown),
    columnTotals: columnTotals.map(shown),
    grandTotal: shown(rowTotals.reduce((sum, value) => sum + value, 0)),
  };
}
