import { z } from "zod";
import {
  type CountTable,
  DEFAULT_THRESHOLD,
  type DisclosedCell,
  type DisclosedTable,
  MIN_THRESHOLD,
} from "./disclosure.js";
import { err, ok, type Result } from "./result.js";

/**
 * Consistent perturbation — the cell-key method of statistical offices (ABS TableBuilder: Thompson,
 * Broadfoot & Elazar 2013; Destatis / Statistik Austria `cellKey` + `ptable`: Giessing & Tent 2019; ONS
 * `cellkeyperturbation`). Every record (visit, service use, referral) carries a random **record key**, a
 * whole number in [1, 2³²), drawn when it is written and never shown. A published cell's **cell key** is
 * the sum of its records' keys modulo 2³², so it is mergeable like the counts themselves (a week's key is
 * the sum of its days' keys) and the same set of records always has the same cell key, whichever table,
 * filter, period or query it is reached through. A **perturbation table** maps (count, cell key) to the
 * published count. Asking again, or asking for the same records another way, gives the same number.
 *
 * The perturbation table used here, for a threshold `k` and a maximum noise `D`:
 * - 0 is published as 0 (a true zero stays a zero);
 * - a count `n` of 1…k−1 is published as 0 with probability 1 − n/k and as `k` with probability n/k —
 *   never as 1…k−1, and unbiased (its expected published value is `n`);
 * - a count `n ≥ k` is published as `n + v` with `v` in −D…D, weights (D + 1 − |v|)² (D = 2: 9, 4, 1 out
 *   of 19 — published unchanged 47 % of the time, variance 0.84), restricted to `n + v ≥ k` symmetrically
 *   (`|v| ≤ n − k`), so it stays unbiased and never falls into 1…k−1.
 * The cell key, read as a fraction of 2³², picks the outcome from the row's cumulative probabilities. Keys
 * are uniform because record keys are drawn at random; a cell whose key is 0 (rows without keys) always
 * takes the row's lowest outcome, so figures built from keyless partials run D low: rebuild them.
 */

/** The size of the record-key space: keys and cell keys are whole numbers modulo 2³². */
export const KEY_SPACE = 2 ** 32;

/** A record key or a cell key: a whole number in [0, 2³²). A record's key is drawn in [1, 2³²); 0 means none. */
export const CellKey = z
  .int()
  .min(0)
  .max(KEY_SPACE - 1);
export type CellKey = z.infer<typeof CellKey>;

/** The largest noise by default: published counts of at least k are within ±2 of the truth. */
export const DEFAULT_MAX_NOISE = 2;

/** The largest noise a centre may choose: more would make monthly totals drift for no gain. */
export const MAX_MAX_NOISE = 5;

/** The parameters of a perturbation table. */
export interface PerturbationParameters {
  /** Threshold: no count of 1…k−1 is ever published. At least {@link MIN_THRESHOLD}. */
  readonly k: number;
  /** Largest noise added to a count of at least k (1…{@link MAX_MAX_NOISE}). */
  readonly maxNoise: number;
}

/** One row of a perturbation table: the published values a count can take, with cumulative probabilities. */
interface PerturbationRow {
  readonly outcomes: readonly number[];
  /** `cumulative[i]` = P(outcome ≤ outcomes[i]); the last is 1. */
  readonly cumulative: readonly number[];
}

/** A perturbation table, built once per (k, D) by {@link perturbationTable}. */
export interface PerturbationTable extends PerturbationParameters {
  /** Rows for counts 0 … k + D − 1; larger counts share the same noise distribution. */
  readonly rows: readonly PerturbationRow[];
  /** The noise distribution of counts ≥ k + D: values −D…D and cumulative probabilities. */
  readonly noise: PerturbationRow;
}

/** Why perturbation parameters were refused. */
export interface PerturbationError {
  readonly code: "invalid_perturbation";
  readonly message: string;
}

/**
 * Adds two cell keys (or record keys) modulo 2³²: the key of the union of two disjoint sets of records.
 * Associative and commutative, with 0 as identity.
 *
 * @example
 * addCellKeys(4_000_000_000, 500_000_000); // 205_032_704
 */
export function addCellKeys(a: number, b: number): number {
  return (a + b) >>> 0;
}

/**
 * A second, independent cell key for the same records, for a second measure of them: the people served
 * (`quantity`) by the same use records as `uses`. Perturbing two measures of one set of records with one
 * key would give both the same noise, so their difference would be published exactly; mixing the key (a
 * bijection of 2³², so still a function of the records alone) gives the second measure its own noise.
 *
 * @example
 * magnitudeCellKey(0) !== 0; // true: even an empty key mixes to another value
 */
export function magnitudeCellKey(key: number): number {
  let x = (key ^ 0x5bd1e995) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * The cell key of a visitor, for unique-visitor counts: read from the first 8 hex characters of the
 * stored visitor-code prefix. The prefix comes from a keyed hash (HMAC with the centre's secret), so it is
 * as unpredictable to a reader as a drawn record key, and the same person has the same key every day.
 *
 * @example
 * visitorCellKey("00000001ffffffff"); // 1
 */
export function visitorCellKey(prefix: string): number {
  const key = Number.parseInt(prefix.slice(0, 8).padEnd(8, "0"), 16);
  return Number.isFinite(key) ? key >>> 0 : 0;
}

function rowOf(weighted: readonly (readonly [value: number, weight: number])[]): PerturbationRow {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  const outcomes: number[] = [];
  const cumulative: number[] = [];
  let running = 0;
  for (const [value, weight] of weighted) {
    running += weight;
    outcomes.push(value);
    cumulative.push(running / total);
  }
  cumulative[cumulative.length - 1] = 1;
  return { outcomes, cumulative };
}

function noiseRow(n: number, k: number, maxNoise: number): PerturbationRow {
  const reach = Math.min(maxNoise, n - k);
  const weighted: [number, number][] = [];
  for (let v = -reach; v <= reach; v++) weighted.push([n + v, (maxNoise + 1 - Math.abs(v)) ** 2]);
  return rowOf(weighted);
}

/**
 * Builds the perturbation table for a threshold `k` (≥ 3) and a maximum noise `D` (1…5); see the module
 * comment for its rows. Refuses other parameters with `invalid_perturbation`.
 *
 * @example
 * const table = perturbationTable({ k: 5, maxNoise: 2 });
 * if (table.ok) perturbCount(3, 123_456_789, table.value); // 0 or 5, never 1…4
 */
export function perturbationTable(
  parameters: Partial<PerturbationParameters> = {},
): Result<PerturbationTable, PerturbationError> {
  const k = parameters.k ?? DEFAULT_THRESHOLD;
  const maxNoise = parameters.maxNoise ?? DEFAULT_MAX_NOISE;
  if (!Number.isInteger(k) || k < MIN_THRESHOLD) {
    return err({ code: "invalid_perturbation", message: `k must be a whole number ≥ ${MIN_THRESHOLD}` });
  }
  if (!Number.isInteger(maxNoise) || maxNoise < 1 || maxNoise > MAX_MAX_NOISE) {
    return err({ code: "invalid_perturbation", message: `The maximum noise must be 1…${MAX_MAX_NOISE}` });
  }
  const rows: PerturbationRow[] = [{ outcomes: [0], cumulative: [1] }];
  for (let n = 1; n < k; n++) {
    rows.push(
      rowOf([
        [0, k - n],
        [k, n],
      ]),
    );
  }
  for (let n = k; n < k + maxNoise; n++) rows.push(noiseRow(n, k, maxNoise));
  const noise = noiseRow(k + maxNoise, k, maxNoise);
  return ok({
    k,
    maxNoise,
    rows,
    noise: { outcomes: noise.outcomes.map((value) => value - k - maxNoise), cumulative: noise.cumulative },
  });
}

/**
 * The published value of a count, given its cell key: deterministic, so the same records (same count,
 * same key) always publish the same number. Zero stays zero; 1…k−1 become 0 or k; larger counts move by
 * at most the table's maximum noise and never below k. Counts must be whole numbers ≥ 0.
 *
 * @example
 * const table = perturbationTable({ k: 5, maxNoise: 2 });
 * if (table.ok) perturbCount(120, 2_147_483_648, table.value); // 120 (the middle of the noise row)
 */
export function perturbCount(n: number, cellKey: number, table: PerturbationTable): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`A count must be a whole number ≥ 0, got ${n}`);
  const u = (cellKey >>> 0) / KEY_SPACE;
  const row = table.rows[n];
  const chosen = row ?? table.noise;
  let index = 0;
  while (index < chosen.cumulative.length - 1 && u >= (chosen.cumulative[index] as number)) index++;
  const outcome = chosen.outcomes[index] as number;
  return row === undefined ? n + outcome : outcome;
}

/** Whether the count `n` (≥ 0) can be published as `published`. */
function publishes(n: number, published: number, table: PerturbationTable): boolean {
  const row = table.rows[n];
  if (row !== undefined) return row.outcomes.includes(published);
  return table.noise.outcomes.includes(published - n);
}

/**
 * What a reader who knows the perturbation table (it is published) can say of a true count from its
 * published value alone: the smallest and largest counts that could have produced it, or `null` for a value
 * the table never publishes (1…k−1). Used by the tests' attacker and by the docs; a published 0 may be any
 * of 0…k−1, a published k any of 1…k+D.
 *
 * @example
 * const table = perturbationTable({ k: 5, maxNoise: 2 });
 * if (table.ok) possibleCounts(0, table.value); // { min: 0, max: 4 }
 */
export function possibleCounts(
  published: number,
  table: PerturbationTable,
): { min: number; max: number } | null {
  let known = rangesByTable.get(table);
  if (known === undefined) {
    known = new Map();
    rangesByTable.set(table, known);
  }
  let range = known.get(published);
  if (range === undefined) {
    range = countsPublishing(published, table);
    known.set(published, range);
  }
  return range;
}

/** Ranges already worked out, per perturbation table (a table is built once per request or report). */
const rangesByTable = new WeakMap<
  PerturbationTable,
  Map<number, Readonly<{ min: number; max: number }> | null>
>();

function countsPublishing(
  published: number,
  table: PerturbationTable,
): Readonly<{ min: number; max: number }> | null {
  // Plain loops, no closure or array per count: the closed lines (closed-lines.ts, period-lines.ts) ask
  // this of every figure of every table they check, hundreds of thousands of times for a long report.
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  // Only the small counts and the counts within the noise of the published value can produce it.
  for (let n = 0; n < table.k; n++) {
    if (publishes(n, published, table)) {
      min = Math.min(min, n);
      max = Math.max(max, n);
    }
  }
  for (let n = Math.max(table.k, published - table.maxNoise); n <= published + table.maxNoise; n++) {
    if (publishes(n, published, table)) {
      min = Math.min(min, n);
      max = Math.max(max, n);
    }
  }
  // 1…k−1 (or a negative number) is never published: no count could have produced it.
  return min > max ? null : Object.freeze({ min, max });
}

/**
 * The expected absolute difference between a count and its published value, over uniformly drawn keys:
 * what the perturbation costs a reader, per cell. 0 for a zero.
 *
 * @example
 * const table = perturbationTable({ k: 5, maxNoise: 2 });
 * if (table.ok) expectedAbsoluteNoise(100, table.value); // 12/19 ≈ 0.63
 */
export function expectedAbsoluteNoise(n: number, table: PerturbationTable): number {
  const row = table.rows[n];
  const outcomes = row === undefined ? table.noise.outcomes.map((v) => n + v) : row.outcomes;
  const cumulative = (row ?? table.noise).cumulative;
  let expected = 0;
  let previous = 0;
  outcomes.forEach((value, i) => {
    const p = (cumulative[i] as number) - previous;
    previous = cumulative[i] as number;
    expected += p * Math.abs(value - n);
  });
  return expected;
}

/** The cell keys of a {@link CountTable}'s cells, `keys[row][column]`; totals' keys are their sums. */
export type KeyGrid = readonly (readonly number[])[];

/**
 * Publishes a table of counts through {@link perturbCount}: each cell, each row and column total and the
 * grand total is perturbed with its own cell key (a total's key is the sum of its cells' keys — the key of
 * the records it counts), so the published total of a row is the one any other table counting the same
 * records shows. Published totals are therefore not the sums of the published cells: that is the price of
 * consistency, and what stops a reader from solving a cell out of its margins. Every cell of the result is
 * `{ value, suppressed: false }`; nothing is hidden, nothing is published as 1…k−1. Cells must be
 * disjoint sets of records (a visit in one age band and one gender) for the totals' keys to be right.
 *
 * @example
 * const table = perturbationTable({ k: 5, maxNoise: 2 });
 * if (table.ok) perturbTable({ rowLabels: ["f"], columnLabels: ["18-59"], cells: [[3]] }, [[81_234_567]], table.value);
 * // cells[0][0] → { value: 0 or 5, suppressed: false }
 */
export function perturbTable(counts: CountTable, keys: KeyGrid, table: PerturbationTable): DisclosedTable {
  const rows = counts.rowLabels.length;
  const columns = counts.columnLabels.length;
  const shown = (n: number, key: number): DisclosedCell => ({
    value: perturbCount(n, key, table),
    suppressed: false,
  });
  const rowCounts = new Array<number>(rows).fill(0);
  const rowKeys = new Array<number>(rows).fill(0);
  const columnCounts = new Array<number>(columns).fill(0);
  const columnKeys = new Array<number>(columns).fill(0);
  let grandCount = 0;
  let grandKey = 0;
  const cells = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: columns }, (_, j) => {
      const n = counts.cells[i]?.[j] ?? 0;
      const key = keys[i]?.[j] ?? 0;
      rowCounts[i] = (rowCounts[i] as number) + n;
      rowKeys[i] = addCellKeys(rowKeys[i] as number, key);
      columnCounts[j] = (columnCounts[j] as number) + n;
      columnKeys[j] = addCellKeys(columnKeys[j] as number, key);
      grandCount += n;
      grandKey = addCellKeys(grandKey, key);
      return shown(n, key);
    }),
  );
  return {
    k: table.k,
    rowLabels: [...counts.rowLabels],
    columnLabels: [...counts.columnLabels],
    cells,
    rowTotals: rowCounts.map((n, i) => shown(n, rowKeys[i] as number)),
    columnTotals: columnCounts.map((n, j) => shown(n, columnKeys[j] as number)),
    grandTotal: shown(grandCount, grandKey),
  };
}
