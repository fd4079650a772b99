// How every comparison of the repository's benchmarks is measured: its sides take turns in rounds, the
// order rotated each round (A B C, B C A, C A B, …) so that no side always runs first — after a warm-up,
// a collection or a quiet spell — and the published figure is the median of the per-round ratios with their
// spread, so that noise on a shared machine shows as a wide spread instead of moving one mean.

/** One measurement per side and round: a duration (ms), a rate (req/s) — whatever the side returns. */
export type Rounds<K extends string> = Record<K, number[]>;

/**
 * Runs every side once per round, `rounds` times, starting each round one side further along the list;
 * `onRound` sees each round's measurements (to print them). Sides may be sync or async.
 *
 * @example
 * const times = await alternateRounds({ subject: () => timeIt(a), reference: () => timeIt(b) }, 5);
 * ratioSpread(times.subject, times.reference); // { median, min, max, ratios }
 */
export async function alternateRounds<K extends string>(
  sides: Record<K, () => number | Promise<number>>,
  rounds: number,
  onRound?: (round: number, order: readonly K[], values: Readonly<Record<K, number>>) => void,
): Promise<Rounds<K>> {
  const names = Object.keys(sides) as K[];
  const result = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Rounds<K>;
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(round + i) % names.length] as K);
    const values = {} as Record<K, number>;
    for (const name of order) {
      const value = await sides[name]();
      values[name] = value;
      result[name].push(value);
    }
    onRound?.(round + 1, order, values);
  }
  return result;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The per-round ratios subject ÷ reference, their median and their spread (lowest and highest). */
export function ratioSpread(
  subject: readonly number[],
  reference: readonly number[],
): { median: number; min: number; max: number; ratios: number[] } {
  if (subject.length === 0 || subject.length !== reference.length) {
    throw new Error("ratioSpread needs as many rounds of each side, at least one");
  }
  const ratios = subject.map((value, i) => value / (reference[i] as number));
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), ratios };
}
