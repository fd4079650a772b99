import {
  type KeyGrid,
  type PerturbationTable,
  perturbCount,
  perturbTable,
  possibleCounts,
} from "./cell-key.js";
import type { CountTable, DisclosedCell, DisclosedTable } from "./disclosure.js";
import { openPeriodTableLines, type PeriodPublication } from "./period-lines.js";

/**
 * Closed lines: the one way a published total and its published parts pin counts on their own.
 *
 * A reader who knows the perturbation table turns each published value into the range of true counts
 * that could have produced it (`possibleCounts`). A total T over parts x₁…xₘ then bounds each part:
 * xⱼ ≤ max(T) − Σᵢ≠ⱼ min(xᵢ) and xⱼ ≥ min(T) − Σᵢ≠ⱼ max(xᵢ). These bounds meet a part's own range —
 * and pin it — exactly when the line is **closed**: the total's highest possible count equals the sum of
 * its parts' lowest (max(T) = Σ min(xᵢ): the total sits at the top of its range and every part at the
 * bottom of its own), or the total's lowest equals the sum of the parts' highest. Bounded noise makes
 * that rare but not impossible: a total of 8 published as 6 (so at most 8), 6 men published as 6 or 7
 * (so at least 6: a count of 5 always publishes 5) and two cells of 1 published as k (so at least 1).
 *
 * The rule: **no published line is closed.** After perturbation, every closed line gets one of its
 * figures moved to another outcome the perturbation table allows for that figure's own true count — a part
 * to a lower value whose range still holds its count strictly inside (or higher, for a line closed from
 * below), or the total to a higher one (lower) — choosing only figures that this table alone publishes,
 * so that the same records keep the same figure in every answer. A moved figure stays within its count's
 * noise (so `possibleCounts` of it still holds the truth, it is never 1…k−1, a zero is never moved), and
 * its range holds its count strictly inside, so it closes no other line. The choice looks only at
 * published values, which the reader has too: a published set of lines, none closed, is also the plain
 * publication of other true counts, so knowing the rule teaches nothing more than the ranges.
 */

/** The parts of a table a line may move: its cells, its row totals, its column totals, its grand total. */
export type TablePart = "cells" | "rowTotals" | "columnTotals" | "grandTotal";

/**
 * Which figures of a table may take another outcome to open a closed line. A total that another table
 * also publishes (all visits: the arrivals report too; a service's uses: the services row) is `shared`
 * and never moves, nor does any figure counting the same records as it. For a closed row (column), the
 * parts listed in `rows` (`columns`) may move, in that order: `rowTotals` (`columnTotals`) means the line's
 * own total, `cells` its cells. For the grand total, `grand` lists the breakdowns whose members may move
 * (`cells`, `rowTotals`, `columnTotals`) and whether the grand total itself may (`grandTotal`).
 */
export interface LinePolicy {
  readonly shared: readonly TablePart[];
  readonly rows: readonly TablePart[];
  readonly columns: readonly TablePart[];
  readonly grand: readonly TablePart[];
  /**
   * Cells move for their own row only, never for a column or the grand total, even through a total that
   * counts the same records (a day's hour in the day's arrivals table is also that hour's column): the
   * arrivals table, whose rows are also published alone.
   */
  readonly cellsMoveForRowsOnly?: boolean;
}

/**
 * A table whose cells, row and column totals it alone publishes, and whose grand total is shared (the
 * visits age band × gender table, uses by age band × gender, referrals by age band or gender).
 */
export const OWN_MARGINS: LinePolicy = {
  shared: ["grandTotal"],
  rows: ["rowTotals", "cells"],
  columns: ["columnTotals", "cells"],
  grand: ["rowTotals", "columnTotals", "cells"],
};

/**
 * The arrivals table (weekday × hour): in a day or week its rows are single days, whose totals are the
 * visits report's too, and its cells are the day's hours, also published by the day's own table with the
 * same row. So a closed row moves one of its cells (the same decision in both tables: it looks at that
 * row only), a closed column moves its total, and the grand total (all visits) is opened through the
 * column totals.
 */
export const ARRIVALS_LINES: LinePolicy = {
  shared: ["grandTotal", "rowTotals"],
  rows: ["cells"],
  columns: ["columnTotals"],
  grand: ["columnTotals"],
  cellsMoveForRowsOnly: true,
};

/** A figure being published: its true count, its cell key and its published value (changed in place). */
export interface LineFigure {
  readonly n: number;
  readonly key: number;
  value: number;
  /** Whether this figure may move (false for shared figures and their aliases). */
  movable: boolean;
  moved: boolean;
  /** Whether the figure is also a cell of its table. */
  isCell?: boolean;
}

/** A total and its parts, with the figures that may move to open it (the total, then parts, in order). */
export interface Line {
  readonly whole: LineFigure;
  readonly parts: readonly LineFigure[];
  /** What may move, in order of preference. */
  readonly movable: readonly ("whole" | "parts")[];
  /** Figures that are also cells may not move for this line. */
  readonly cellsStay?: boolean;
  /**
   * The parts may overlap (unique visitors by age band: a person seen in two bands counts in each), so a
   * reader knows only that the total is at most their sum, and only a line closed from below pins them.
   */
  readonly overlapping?: boolean;
}

function range(figure: LineFigure, table: PerturbationTable): { min: number; max: number } {
  return possibleCounts(figure.value, table) ?? { min: 0, max: Number.POSITIVE_INFINITY };
}

/** The values a true count can be published as, by the perturbation table. */
function outcomesOf(n: number, table: PerturbationTable): readonly number[] {
  const row = table.rows[n];
  return row === undefined ? table.noise.outcomes.map((v) => n + v) : row.outcomes;
}

/**
 * Moves a figure to the nearest other outcome of its own count whose range holds the count strictly
 * inside, in the direction asked (`down`: a lower value, so a lower least count). Returns whether it moved.
 */
function move(figure: LineFigure, direction: "up" | "down", line: Line, table: PerturbationTable): boolean {
  if (!figure.movable || figure.moved || figure.n === 0 || (line.cellsStay && figure.isCell)) return false;
  const candidates = outcomesOf(figure.n, table)
    .filter((q) => (direction === "down" ? q < figure.value : q > figure.value))
    .filter((q) => {
      const possible = possibleCounts(q, table);
      return possible !== null && possible.min < figure.n && figure.n < possible.max;
    })
    .sort((a, b) => Math.abs(a - figure.value) - Math.abs(b - figure.value));
  const chosen = candidates[0];
  if (chosen === undefined) return false;
  figure.value = chosen;
  figure.moved = true;
  return true;
}

/** Whether the line is closed from above (`up`: the total at its highest) or below, or not. */
function closed(line: Line, table: PerturbationTable): "above" | "below" | undefined {
  const whole = range(line.whole, table);
  let least = 0;
  let most = 0;
  for (const part of line.parts) {
    const own = range(part, table);
    least += own.min;
    most += own.max;
  }
  if (whole.max <= least && line.overlapping !== true) return "above";
  if (whole.min >= most) return "below";
  return undefined;
}

/** Opens one closed line by moving one figure; returns whether something moved. */
function open(line: Line, side: "above" | "below", table: PerturbationTable): boolean {
  for (const what of line.movable) {
    if (what === "whole") {
      if (move(line.whole, side === "above" ? "up" : "down", line, table)) return true;
      continue;
    }
    // The parts at the edge that closes the line, largest count first, then in order.
    const atEdge = line.parts
      .map((part, index) => ({ part, index, own: range(part, table) }))
      .filter(({ part, own }) => part.n > 0 && (side === "above" ? own.min === part.n : own.max === part.n))
      .sort((a, b) => b.part.n - a.part.n || a.index - b.index);
    for (const { part } of atEdge) if (move(part, side === "above" ? "down" : "up", line, table)) return true;
  }
  return false;
}

/**
 * Opens every closed line among `lines`, in order, until none is closed or none can be opened with the
 * figures allowed to move (each figure moves at most once, so this ends). Figures are changed in place;
 * returns the number of lines left closed (0 when every line could be opened).
 *
 * @example
 * // A total of 8 published as 6, and its parts 6 (published 6), 1 and 1 (published 5), 0: closed.
 * const parts = [6, 1, 1, 0].map((n, i) => ({ n, key: i, value: [6, 5, 5, 0][i] as number, movable: true, moved: false }));
 * const whole = { n: 8, key: 9, value: 6, movable: false, moved: false };
 * openClosedLines([{ whole, parts, movable: ["parts"] }], table); // 0: the 6 is now published as 5
 */
export function openClosedLines(lines: readonly Line[], table: PerturbationTable): number {
  for (let pass = 0; pass < 8; pass++) {
    let changed = false;
    for (const line of lines) {
      const side = closed(line, table);
      if (side !== undefined && open(line, side, table)) changed = true;
    }
    if (!changed) break;
  }
  return lines.filter((line) => closed(line, table) !== undefined).length;
}

/**
 * Publishes a table of counts through consistent perturbation (`perturbTable`) with no closed line: a row
 * (its total and its cells), a column, and the grand total against its cells, its row totals and its
 * column totals. Closed lines are opened by moving the figures `policy` allows (see {@link LinePolicy});
 * figures counting the same records (the same count and cell key, e.g. a row total that is also the grand
 * total) move together or not at all, so they stay one figure. Every value stays an outcome of its own
 * count in the perturbation table: no 1…k−1, zeros stay zeros, within the maximum noise.
 *
 * For a period longer than a day, `period.within` holds the publications of its sub-periods (days, months,
 * quarters: `period-lines.ts`): before the table's own lines are opened, every figure that would close a
 * line with the same figure of its sub-periods (named as in `tableFigures`, under `period.prefix`) takes
 * another outcome of its own count ({@link openPeriodTableLines}) — shared totals included, since every
 * answer holding the same records takes the same decision.
 *
 * @example
 * const table = perturbationTable({ k: 5, maxNoise: 2 });
 * if (table.ok) publishTable(counts, keys, table.value, OWN_MARGINS).rowTotals; // no row pins its cells
 */
export function publishTable(
  counts: CountTable,
  keys: KeyGrid,
  table: PerturbationTable,
  policy: LinePolicy = OWN_MARGINS,
  period: { readonly within: readonly (readonly PeriodPublication[])[]; readonly prefix?: string } = {
    within: [],
  },
): DisclosedTable {
  const plain = openPeriodTableLines(
    counts,
    perturbTable(counts, keys, table),
    period.within,
    table,
    period.prefix,
  );
  const rows = counts.rowLabels.length;
  const columns = counts.columnLabels.length;
  const rowCounts = counts.cells.map((row) => row.reduce((a, b) => a + b, 0));
  const columnCounts = counts.columnLabels.map((_, j) =>
    counts.cells.reduce((sum, row) => sum + (row[j] ?? 0), 0),
  );
  const sumKeys = (values: readonly number[]) => values.reduce((a, b) => (a + b) >>> 0, 0);
  const rowKeys = Array.from({ length: rows }, (_, i) => sumKeys(keys[i] ?? []));
  const columnKeys = Array.from({ length: columns }, (_, j) => sumKeys(keys.map((row) => row[j] ?? 0)));
  // One figure per set of records (count and key), shared by every place that publishes it.
  const figures = new Map<string, LineFigure>();
  const figure = (n: number, key: number, value: number, part: TablePart): LineFigure => {
    const shared = policy.shared.includes(part);
    if (n === 0) return { n, key, value, movable: false, moved: false };
    const id = `${n}|${key >>> 0}`;
    const known = figures.get(id);
    if (known !== undefined) {
      known.movable &&= !shared;
      known.isCell ||= part === "cells";
      return known;
    }
    const created = { n, key, value, movable: !shared, moved: false, isCell: part === "cells" };
    figures.set(id, created);
    return created;
  };
  const publishedValue = (cell: DisclosedCell | undefined) =>
    cell === undefined || cell.suppressed ? 0 : cell.value;
  const cells = counts.cells.map((row, i) =>
    row.map((n, j) => figure(n, keys[i]?.[j] ?? 0, publishedValue(plain.cells[i]?.[j]), "cells")),
  );
  const rowTotals = rowCounts.map((n, i) =>
    figure(n, rowKeys[i] as number, publishedValue(plain.rowTotals[i]), "rowTotals"),
  );
  const columnTotals = columnCounts.map((n, j) =>
    figure(n, columnKeys[j] as number, publishedValue(plain.columnTotals[j]), "columnTotals"),
  );
  const grand = figure(
    rowCounts.reduce((a, b) => a + b, 0),
    sumKeys(rowKeys),
    publishedValue(plain.grandTotal),
    "grandTotal",
  );
  const allowed = (list: readonly TablePart[], whole: TablePart, parts: TablePart) =>
    list.flatMap((what): ("whole" | "parts")[] =>
      what === whole ? ["whole"] : what === parts ? ["parts"] : [],
    );
  const lines: Line[] = [
    ...cells.map((parts, i) => ({
      whole: rowTotals[i] as LineFigure,
      parts,
      movable: allowed(policy.rows, "rowTotals", "cells"),
    })),
    ...columnTotals.map((whole, j) => ({
      whole,
      parts: cells.map((row) => row[j] as LineFigure),
      movable: allowed(policy.columns, "columnTotals", "cells"),
      cellsStay: policy.cellsMoveForRowsOnly === true,
    })),
    ...(
      [
        ["cells", cells.flat()],
        ["rowTotals", rowTotals],
        ["columnTotals", columnTotals],
      ] as const
    ).map(([breakdown, parts]) => ({
      whole: grand,
      parts,
      movable: allowed(policy.grand, "grandTotal", breakdown),
      cellsStay: policy.cellsMoveForRowsOnly === true,
    })),
  ];
  openClosedLines(lines, table);
  const shown = (f: LineFigure) => ({ value: f.value, suppressed: false as const });
  return {
    ...plain,
    cells: cells.map((row) => row.map(shown)),
    rowTotals: rowTotals.map(shown),
    columnTotals: columnTotals.map(shown),
    grandTotal: shown(grand),
  };
}

/**
 * Publishes a total that only this answer publishes, over parts published elsewhere (all services' uses
 * of a period, over each service's uses): perturbed with its key, then, if the line it makes with its
 * parts' published values is closed, moved to another outcome of its own count that opens it. `start`
 * replaces the plain perturbed value (a period's total already opened against its sub-periods).
 *
 * @example
 * const table = perturbationTable({ k: 5, maxNoise: 2 });
 * if (table.ok) publishTotalOver(8, 1234, [{ n: 6, value: 6 }, { n: 1, value: 5 }, { n: 1, value: 5 }], table.value); // 7: means 6…9
 */
export function publishTotalOver(
  n: number,
  key: number,
  parts: readonly { readonly n: number; readonly value: number }[],
  table: PerturbationTable,
  start = perturbCount(n, key, table),
): number {
  const whole: LineFigure = { n, key, value: start, movable: true, moved: false };
  const fixed = parts.map((part) => ({ n: part.n, key: 0, value: part.value, movable: false, moved: false }));
  openClosedLines([{ whole, parts: fixed, movable: ["whole"] }], table);
  return whole.value;
}
