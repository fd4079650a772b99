import { type PerturbationTable, perturbCount, possibleCounts } from "./cell-key.js";
import type { CountTable, DisclosedCell, DisclosedTable } from "./disclosure.js";
import { type PeriodType, periodOfDate } from "./period.js";

/**
 * Lines across answers: a period's figure is the sum of the same figure over the periods it splits into —
 * a month's (Wednesday, 18:00) arrivals over its Wednesdays, a quarter's men aged 18–59 over its months and
 * over its days — and each of those is published by another answer. A reader who holds them all has a
 * line: if the period's figure sits at the top of its range (its highest possible count is its true count)
 * and every non-zero part at the bottom of its own, every part is pinned; the same from below. Step 7 of
 * docs/disclosure.md (`closed-lines.ts`) opens the lines inside one answer; this module opens these.
 *
 * The rule: **a period's figure never closes a line with its sub-periods' figures.** A week is checked
 * against its days; a month against its days; a quarter against its days and its months; a year against
 * its days, months and quarters ({@link SUB_PERIODS}). A part's range is what a reader can know of it: the
 * range of its published value, narrowed by its own sub-periods (a month's range by the sum of its days'),
 * and a part whose true count is 0 counts as exactly 0 (stricter than a reader, who sees only "0…k−1").
 * Where the line would be closed, the **period's** figure — never a sub-period's, which other answers
 * publish — takes the nearest other outcome of its own count in the perturbation table whose range holds
 * the count strictly inside. Such a figure is at no end of its range, so no line through it (across answers
 * or inside its own table) can close. The decision reads only the figure's own count and key and the
 * sub-periods' figures, all functions of the same records, so every answer holding those records (the
 * visits and the arrivals reports' shared total, a report by month and one by quarter over the same
 * month) takes the same decision.
 */

/** One figure of a published period: its true count and its published value. */
export interface PeriodFigure {
  readonly n: number;
  readonly value: number;
}

/**
 * What a period publisher keeps of each period it published, for the longer periods holding it: its
 * figures by name (a table's `cell|i|j`, `row|i`, `column|j`, `grand`, see {@link tableFigures}), and the
 * same for the sub-periods it was itself checked against, one list per sub-period type.
 */
export interface PeriodPublication {
  readonly figures: Readonly<Record<string, PeriodFigure>>;
  readonly within: readonly (readonly PeriodPublication[])[];
  /**
   * A figure's true count (`figures[name].n`, 0 for a figure it does not publish), where the publisher
   * knows it without publishing the period: a line that skips a part whose count is 0 then never asks for
   * its figures, which a lazy publisher (the visits report's sub-periods) then never computes.
   */
  count?(name: string): number;
}

/** The sub-period types a grid period's figures are checked against (each nests whole in the period). */
export const SUB_PERIODS: Readonly<Record<PeriodType, readonly PeriodType[]>> = {
  day: [],
  week: ["day"],
  month: ["day"],
  quarter: ["day", "month"],
  year: ["day", "month", "quarter"],
};

/**
 * Whether every part of a line is at the `min` (`max`) end of what a reader can know of it for the figure
 * `name`: its published value's range, narrowed by its own sub-periods' sums (a month's by its days'). A part
 * whose true count is 0 counts as exactly 0, at both ends. Every part's range holds its true count, so the
 * parts' least counts add up to at most the period's count, and to exactly it when every part is at its
 * `min` end: the only way a line closes from above. The parts are looked at in order until one is not, so
 * a line that is open (nearly all) reads few parts, and only the parts whose count is not 0.
 */
function allAtEnd(
  parts: readonly PeriodPublication[],
  name: string,
  end: "min" | "max",
  table: PerturbationTable,
): boolean {
  for (const part of parts) if (!atEnd(part, name, end, table)) return false;
  return true;
}

function atEnd(part: PeriodPublication, name: string, end: "min" | "max", table: PerturbationTable): boolean {
  if ((part.count?.(name) ?? part.figures[name]?.n ?? 0) === 0) return true;
  const figure = part.figures[name];
  if (figure === undefined) return false;
  const own = possibleCounts(figure.value, table) ?? { min: 0, max: Number.POSITIVE_INFINITY };
  if (own[end] === figure.n) return true;
  // Narrowed by a list of its sub-periods: that list's sum reaches the count only with every one at its end.
  return part.within.some((subParts) => allAtEnd(subParts, name, end, table));
}

function outcomesOf(n: number, table: PerturbationTable): readonly number[] {
  const row = table.rows[n];
  return row === undefined ? table.noise.outcomes.map((v) => n + v) : row.outcomes;
}

/** The nearest other outcome of `n` in `direction` whose range holds `n` strictly inside, if any. */
function interiorOutcome(
  n: number,
  value: number,
  direction: "up" | "down",
  table: PerturbationTable,
): number | undefined {
  return outcomesOf(n, table)
    .filter((q) => (direction === "up" ? q > value : q < value))
    .filter((q) => {
      const possible = possibleCounts(q, table);
      return possible !== null && possible.min < n && n < possible.max;
    })
    .sort((a, b) => Math.abs(a - value) - Math.abs(b - value))[0];
}

/**
 * The published value of one period figure, given its true count `n`, its value so far (`value`: its
 * perturbed count, `perturbCount(n, key)`) and its sub-periods' publications (`within`, one list per
 * sub-period type): `value` unchanged, unless the figure would close a line with the same figure (`name`)
 * of one list of sub-periods — then the nearest other outcome of `n` whose range holds `n` strictly inside
 * (upwards for a line closed from above, downwards from below), or, where the perturbation table has no
 * such outcome (k = 3, D = 1: a count of 4 is at an end of every range it can publish), the nearest
 * outcome of `n` that leaves none of these lines closed. A zero stays 0. `value` and every part's value
 * are outcomes of their own counts (as the publishers give them), and each figure is the sum of the same
 * figure over each list of sub-periods: a line is then closed only with `value` at an end of its range and
 * every non-zero part at the other, so the parts are read one by one until one is not, and not at all for
 * a `value` inside its range: a part a lazy publisher has not published yet (`PeriodPublication.count`) is
 * published only if the line gets to it.
 *
 * @example
 * // A month's 8 arrivals published as 6 (at most 8) over days published 6 (at least 6), 5 and 5 (at least 1 each).
 * const days = [6, 1, 1].map((n, i) => ({ figures: { cell: { n, value: [6, 5, 5][i] as number } }, within: [] }));
 * openPeriodLine("cell", 8, 6, [days], table); // 7: means 5…9, the days are no longer pinned
 */
export function openPeriodLine(
  name: string,
  n: number,
  value: number,
  within: readonly (readonly PeriodPublication[])[],
  table: PerturbationTable,
): number {
  if (n === 0 || within.length === 0) return value;
  // The sums of the parts' ranges hold n (each part's range holds its count), so a line is closed from above
  // exactly when the candidate's range tops out at n and every part sits at its least count, and from below
  // the other way round. A candidate whose range holds n strictly inside closes no line, whatever its parts
  // (most figures: a count of at least k + D is at an end of its range one time in ten with D = 2), and its
  // parts are never read.
  const closedSide = (candidate: number): "up" | "down" | undefined => {
    const own = possibleCounts(candidate, table);
    if (own === null || (own.min < n && n < own.max)) return undefined;
    for (const parts of within) {
      if (own.max <= n && allAtEnd(parts, name, "min", table)) return "up";
      if (own.min >= n && allAtEnd(parts, name, "max", table)) return "down";
    }
    return undefined;
  };
  const side = closedSide(value);
  if (side === undefined) return value;
  // Where no outcome holds the count strictly inside (k = 3, D = 1 and a count of 4), the nearest outcome
  // that leaves none of these lines closed.
  return (
    interiorOutcome(n, value, side, table) ??
    interiorOutcome(n, value, side === "up" ? "down" : "up", table) ??
    outcomesOf(n, table)
      .filter((q) => q !== value && closedSide(q) === undefined)
      .sort((a, b) => Math.abs(a - value) - Math.abs(b - value))[0] ??
    value
  );
}

/**
 * The figures of a published table by name, with their true counts: `cell|i|j`, `row|i`, `column|j`,
 * `grand`, each under `prefix` — what {@link PeriodPublication.figures} holds for a table.
 *
 * @example
 * tableFigures(counts, published, "visits|")["visits|grand"]; // { n: 412, value: 411 }
 */
export function tableFigures(
  counts: CountTable,
  published: DisclosedTable,
  prefix = "",
): Record<string, PeriodFigure> {
  const figures: Record<string, PeriodFigure> = {};
  const publishedOf = (cell: DisclosedCell | undefined) =>
    cell === undefined || cell.suppressed ? 0 : cell.value;
  let grand = 0;
  const columns = counts.columnLabels.map(() => 0);
  counts.cells.forEach((row, i) => {
    let total = 0;
    row.forEach((n, j) => {
      total += n;
      columns[j] = (columns[j] as number) + n;
      figures[`${prefix}cell|${i}|${j}`] = { n, value: publishedOf(published.cells[i]?.[j]) };
    });
    grand += total;
    figures[`${prefix}row|${i}`] = { n: total, value: publishedOf(published.rowTotals[i]) };
  });
  columns.forEach((n, j) => {
    figures[`${prefix}column|${j}`] = { n, value: publishedOf(published.columnTotals[j]) };
  });
  figures[`${prefix}grand`] = { n: grand, value: publishedOf(published.grandTotal) };
  return figures;
}

/**
 * A table's plainly perturbed figures (`perturbTable`) with every figure's line over its sub-periods
 * opened ({@link openPeriodLine}, figure names from {@link tableFigures} under `prefix`). With no
 * sub-periods (a day), the table unchanged.
 *
 * @example
 * openPeriodTableLines(counts, perturbTable(counts, keys, table), monthWithin, table);
 */
export function openPeriodTableLines(
  counts: CountTable,
  plain: DisclosedTable,
  within: readonly (readonly PeriodPublication[])[],
  table: PerturbationTable,
  prefix = "",
): DisclosedTable {
  if (within.length === 0) return plain;
  const figures = tableFigures(counts, plain, prefix);
  const opened = (name: string, cell: DisclosedCell | undefined): DisclosedCell => {
    const figure = figures[`${prefix}${name}`] as PeriodFigure;
    if (cell === undefined || cell.suppressed) return cell ?? { value: 0, suppressed: false };
    return {
      value: openPeriodLine(`${prefix}${name}`, figure.n, cell.value, within, table),
      suppressed: false,
    };
  };
  return {
    ...plain,
    cells: plain.cells.map((row, i) => row.map((cell, j) => opened(`cell|${i}|${j}`, cell))),
    rowTotals: plain.rowTotals.map((cell, i) => opened(`row|${i}`, cell)),
    columnTotals: plain.columnTotals.map((cell, j) => opened(`column|${j}`, cell)),
    grandTotal: opened("grand", plain.grandTotal),
  };
}

/**
 * A single period figure (first visits, a language) perturbed with its key and opened against its
 * sub-periods ({@link openPeriodLine}).
 *
 * @example
 * publishPeriodFigure("first", 7, key, monthWithin, table);
 */
export function publishPeriodFigure(
  name: string,
  n: number,
  key: number,
  within: readonly (readonly PeriodPublication[])[],
  table: PerturbationTable,
): number {
  return openPeriodLine(name, n, perturbCount(n, key, table), within, table);
}

/**
 * Publishes a grid period and, first, every sub-period it is checked against ({@link SUB_PERIODS}), each
 * once: `publish(type, days, within)` publishes one period of `type` made of `days` (local days with data,
 * sorted) given its sub-periods' publications. Returns a function of (type, days) that remembers what it
 * published, so a report of twelve months publishes each day once.
 *
 * @example
 * const publishPeriod = periodLadder((type, days, within) => publishArrivalsOf(days, within));
 * publishPeriod("month", aprilDays);
 */
export function periodLadder<T extends PeriodPublication>(
  publish: (type: PeriodType, days: readonly string[], within: readonly (readonly T[])[]) => T,
): (type: PeriodType, days: readonly string[]) => T {
  const published = new Map<string, T>();
  const publishPeriod = (type: PeriodType, days: readonly string[]): T => {
    const id = days.length === 0 ? undefined : `${type}|${periodOfDate(type, days[0] as string).code}`;
    const done = id === undefined ? undefined : published.get(id);
    if (done !== undefined) return done;
    const within = SUB_PERIODS[type].map((sub) => {
      const groups = new Map<string, string[]>();
      for (const day of days) {
        const code = periodOfDate(sub, day).code;
        const group = groups.get(code) ?? [];
        group.push(day);
        groups.set(code, group);
      }
      return [...groups.values()].map((group) => publishPeriod(sub, group));
    });
    const result = publish(type, days, within);
    if (id !== undefined) published.set(id, result);
    return result;
  };
  return publishPeriod;
}
