// Totals over the periods a report shows: visits, uses and their breakdowns add up across periods (unique
// visitors do not, and are never summed). A hidden figure is left out of a total, and the total says so.
import type { ReportCell } from "../../components/report-parts.js";

export interface Tally {
  readonly counts: Map<string, number>;
  /** Whether a hidden figure was left out of some count. */
  hidden: boolean;
}

export function newTally(): Tally {
  return { counts: new Map(), hidden: false };
}

/** Adds one published figure (a protected cell or an internal-view number) under `key`. */
export function addTo(tally: Tally, key: string, cell: ReportCell | number | undefined | null): void {
  if (cell === undefined || cell === null) return;
  if (typeof cell !== "number" && cell.suppressed) {
    tally.hidden = true;
    if (!tally.counts.has(key)) tally.counts.set(key, 0);
    return;
  }
  const value = typeof cell === "number" ? cell : cell.value;
  tally.counts.set(key, (tally.counts.get(key) ?? 0) + value);
}

/** The sum of a tally's counts. */
export function tallyTotal(tally: Tally): number {
  let total = 0;
  for (const value of tally.counts.values()) total += value;
  return total;
}
