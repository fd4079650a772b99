import { type PerturbationTable, possibleCounts } from "../src/cell-key.js";
import type { DisclosedCell, DisclosedTable } from "../src/disclosure.js";
import { isoWeekday } from "../src/zoned-time.js";

/**
 * An attacker for the tests: it reads every answer a caller without raw access can get, writes each
 * published figure as a linear constraint on the unknown true counts of the finest cells ("atoms": one local
 * day × the finest breakdown), and tightens every atom's bounds until nothing moves (bounds propagation over
 * sums, the interval reasoning an auditor's tool applies first). An atom is **pinned** when its lower and
 * upper bounds meet. It also plays the averaging attacker: the inverse-variance mean of every estimate of an
 * atom (its own published cell, and each enclosing cell minus the published cells of the other atoms in it).
 *
 * It knows everything but the record keys: the perturbation table (so the range of true counts behind each
 * published value, `possibleCounts`), the grid, how periods nest and which tables share totals.
 */
export class Attacker {
  private readonly index = new Map<string, number>();
  private readonly names: string[] = [];
  private lo: number[] = [];
  private hi: number[] = [];
  private readonly constraints: { terms: Int32Array; signs: Int8Array; min: number; max: number }[] = [];
  /** For the averaging attacker: each published cell, its atoms and its value. */
  private readonly published: { atoms: number[]; value: number }[] = [];
  /** The published cell made of exactly one atom, per atom (a day's own cell). */
  private readonly direct = new Map<number, number>();
  answers = 0;

  constructor(readonly table: PerturbationTable) {}

  private variable(name: string): number {
    let at = this.index.get(name);
    if (at === undefined) {
      at = this.names.length;
      this.index.set(name, at);
      this.names.push(name);
      this.lo.push(0);
      this.hi.push(BIG);
    }
    return at;
  }

  /** A published figure: the sum of these atoms is one of the counts that could publish `value`. */
  publish(atoms: readonly string[], cell: DisclosedCell | number): void {
    const value = typeof cell === "number" ? cell : cell.suppressed ? Number.NaN : cell.value;
    if (Number.isNaN(value)) throw new Error("the attacker expects perturbed, never hidden, cells");
    const possible = possibleCounts(value, this.table);
    if (possible === null) throw new Error(`${value} is never published: the table was not followed`);
    const { min, max } = possible;
    const ids = [...new Set(atoms.map((atom) => this.variable(atom)))];
    this.constraints.push({
      terms: Int32Array.from(ids),
      signs: new Int8Array(ids.length).fill(1),
      min,
      max,
    });
    this.published.push({ atoms: ids, value });
    if (ids.length === 1) this.direct.set(ids[0] as number, value);
  }

  /** Two sums of atoms that count the same records (a day's visits by age × gender and by hour). */
  equal(left: readonly string[], right: readonly string[]): void {
    const a = left.map((atom) => this.variable(atom));
    const b = right.map((atom) => this.variable(atom));
    this.constraints.push({
      terms: Int32Array.from([...a, ...b]),
      signs: Int8Array.from([...a.map(() => 1), ...b.map(() => -1)]),
      min: 0,
      max: 0,
    });
  }

  /** Tightens every bound from every constraint until a round changes nothing (or `rounds` is reached). */
  propagate(rounds = 50): number {
    for (let round = 1; round <= rounds; round++) {
      let changed = false;
      for (const { terms, signs, min, max } of this.constraints) {
        let sumLo = 0;
        let sumHi = 0;
        for (let t = 0; t < terms.length; t++) {
          const v = terms[t] as number;
          if (signs[t] === 1) {
            sumLo += this.lo[v] as number;
            sumHi += this.hi[v] as number;
          } else {
            sumLo -= this.hi[v] as number;
            sumHi -= this.lo[v] as number;
          }
        }
        for (let t = 0; t < terms.length; t++) {
          const v = terms[t] as number;
          const lo = this.lo[v] as number;
          const hi = this.hi[v] as number;
          const ownLo = signs[t] === 1 ? lo : -hi;
          const ownHi = signs[t] === 1 ? hi : -lo;
          // This term's contribution lies in [min − (others' highest), max − (others' lowest)].
          const cLo = min - (sumHi - ownHi);
          const cHi = max - (sumLo - ownLo);
          const newLo = Math.max(lo, signs[t] === 1 ? cLo : -cHi);
          const newHi = Math.min(hi, signs[t] === 1 ? cHi : -cLo);
          if (newLo > newHi) throw new Error(`the constraints contradict each other at ${this.names[v]}`);
          if (newLo !== lo || newHi !== hi) {
            changed = true;
            this.lo[v] = newLo;
            this.hi[v] = newHi;
            sumLo += signs[t] === 1 ? newLo - lo : lo - newLo;
            sumHi += signs[t] === 1 ? newHi - hi : hi - newHi;
          }
        }
      }
      if (!changed) return round;
    }
    return rounds;
  }

  bounds(atom: string): [number, number] {
    const at = this.index.get(atom);
    return at === undefined ? [0, BIG] : [this.lo[at] as number, this.hi[at] as number];
  }

  /**
   * The atoms whose true count is small (1…k−1) and whose bounds have met: what a published set of answers
   * gives away. `truth` maps atom names to true counts (atoms it lacks are 0).
   */
  pinned(truth: ReadonlyMap<string, number>): { small: number; pinned: string[] } {
    const pinned: string[] = [];
    let small = 0;
    for (const [atom, count] of truth) {
      if (count < 1 || count >= this.table.k) continue;
      small++;
      const [lo, hi] = this.bounds(atom);
      if (lo > count || hi < count)
        throw new Error(`unsound attacker: ${atom} = ${count} outside [${lo}, ${hi}]`);
      if (lo === hi) pinned.push(atom);
    }
    return { small, pinned };
  }

  /**
   * The averaging attacker: for every true small atom, the inverse-variance mean of its estimates (its own
   * published cell, and every published cell holding it minus the direct cells of its other atoms), rounded.
   * Returns how often that recovers the true count, against the best blind guess (the commonest small count).
   */
  averaging(truth: ReadonlyMap<string, number>): { small: number; recovered: number; guessed: number } {
    const variance = (value: number) => (value === 0 || value === this.table.k ? this.table.k ** 2 / 4 : 1);
    const estimates = new Map<number, { sum: number; weight: number }>();
    for (const { atoms, value } of this.published) {
      const others = atoms.length - 1;
      if (others > 400) continue;
      let rest = 0;
      let spread = variance(value);
      let complete = true;
      for (const atom of atoms) {
        const direct = this.direct.get(atom);
        if (direct === undefined) {
          complete = false;
          break;
        }
        rest += direct;
        spread += variance(direct);
      }
      if (!complete) continue;
      for (const atom of atoms) {
        const own = this.direct.get(atom) as number;
        const estimate = atoms.length === 1 ? value : value - (rest - own);
        const weight = atoms.length === 1 ? 1 / variance(value) : 1 / (spread - variance(own));
        const known = estimates.get(atom) ?? { sum: 0, weight: 0 };
        known.sum += estimate * weight;
        known.weight += weight;
        estimates.set(atom, known);
      }
    }
    let small = 0;
    let recovered = 0;
    const frequency = new Map<number, number>();
    for (const [atom, count] of truth) {
      if (count < 1 || count >= this.table.k) continue;
      small++;
      frequency.set(count, (frequency.get(count) ?? 0) + 1);
      const at = this.index.get(atom);
      const estimate = at === undefined ? undefined : estimates.get(at);
      if (estimate !== undefined && Math.round(estimate.sum / estimate.weight) === count) recovered++;
    }
    return { small, recovered, guessed: Math.max(0, ...frequency.values()) };
  }
}

const BIG = 1_000_000_000;

/** The atoms of a table of one period: for each published cell, the atoms (over the period's days) it sums. */
export function observeTable(
  attacker: Attacker,
  table: DisclosedTable,
  atomsOf: (row: string, column: string) => readonly string[],
): void {
  attacker.answers++;
  const rowAtoms = table.rowLabels.map(() => [] as string[]);
  const columnAtoms = table.columnLabels.map(() => [] as string[]);
  table.rowLabels.forEach((row, i) => {
    table.columnLabels.forEach((column, j) => {
      const atoms = atomsOf(row, column);
      attacker.publish(atoms, table.cells[i]?.[j] as DisclosedCell);
      rowAtoms[i]?.push(...atoms);
      columnAtoms[j]?.push(...atoms);
    });
  });
  for (const [i, cell] of table.rowTotals.entries()) attacker.publish(rowAtoms[i] ?? [], cell);
  for (const [j, cell] of table.columnTotals.entries()) attacker.publish(columnAtoms[j] ?? [], cell);
  attacker.publish(rowAtoms.flat(), table.grandTotal);
}

/** Atom names, shared by the core and the Worker attack tests. */
export const atom = {
  visit: (day: string, age: string, gender: string) => `v|${day}|${age}|${gender}`,
  first: (day: string) => `f|${day}`,
  language: (day: string, language: string) => `l|${day}|${language}`,
  hour: (day: string, hour: string) => `h|${day}|${hour}`,
  uses: (day: string, service: string) => `u|${day}|${service}`,
  quantity: (day: string, service: string) => `q|${day}|${service}`,
  usesBy: (day: string, service: string, age: string, gender: string) =>
    `ub|${day}|${service}|${age}|${gender}`,
  referral: (day: string, need: string, partner: string, status: string) =>
    `r|${day}|${need}|${partner}|${status}`,
  referralAge: (day: string, need: string, partner: string, status: string, age: string) =>
    `ra|${day}|${need}|${partner}|${status}|${age}`,
};

/** The days of `days` that fall on a weekday (`monday` … `sunday`). */
export function daysOnWeekday(days: readonly string[], weekday: string): string[] {
  const names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
  return days.filter((day) => names[isoWeekday(day) - 1] === weekday);
}
