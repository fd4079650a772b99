import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** One measured figure, as every benchmark of the repository records it. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  /** What the figure should be, e.g. `<=0.5`; `null` for a figure kept for information. */
  readonly target: string | null;
  /** What the figure is measured against. */
  readonly reference: string;
  readonly workload: string;
  /**
   * For a ratio measured in rounds (`tooling/bench/rounds.ts`): `value` is the median of the per-round
   * ratios, `min` and `max` their spread, `rounds` how many there were.
   */
  readonly min?: number;
  readonly max?: number;
  readonly rounds?: number;
}

/** The repository's `bench/results.json`, found from this file so it works from any working directory. */
export const RESULTS_PATH = fileURLToPath(new URL("../../bench/results.json", import.meta.url));

/**
 * Writes figures into `bench/results.json`, replacing those of the same name and keeping the others, so
 * each benchmark of the repository adds its own figures to one file.
 *
 * @example
 * recordFigures([{ name: "core/sqlite", value: 0.12, target: "<=0.5", reference: "better-sqlite3", workload: "1 year" }]);
 */
export function recordFigures(figures: readonly Figure[], path: string = RESULTS_PATH): void {
  let existing: Figure[] = [];
  if (existsSync(path)) {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as { figures?: Figure[] };
    existing = Array.isArray(parsed.figures) ? parsed.figures : [];
  }
  const byName = new Map(existing.map((figure) => [figure.name, figure]));
  for (const figure of figures) byName.set(figure.name, figure);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ figures: [...byName.values()] }, null, 2)}\n`);
}
