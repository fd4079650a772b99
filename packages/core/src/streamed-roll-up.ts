import { periodOfDate } from "./period.js";
import { VisitAccumulator } from "./visit-accumulator.js";
import type { VisitAggregate } from "./visit-aggregate.js";
import type { RollUpPeriod } from "./visits-by-day.js";
import type { LocalDate } from "./zoned-time.js";

/** What a {@link StreamedRollUp} gives: each period's partial, and each day's figures that lines read. */
export interface StreamedPeriods {
  /**
   * Each period's partial by period code (`rollUp`'s codes; a day's own date for `day`), every centre's part
   * of it with its visitor codes counted and dropped (`anonymiseVisitorCodes`): the same figures, unique
   * visitors and their groups included, as merging the period's days with their codes.
   */
  byPeriod: Record<string, VisitAggregate>;
  /**
   * Each day's partial, of every centre together, with only the figures that add up over days (no visitor
   * codes or groups, no services): what the lines of a period over its days compare (`publishVisitPeriods`).
   * Empty when rolling up by day: a day has no sub-periods, and `byPeriod` holds the days whole.
   */
  days: Record<string, VisitAggregate>;
}

/**
 * Rolls day partials up into periods as they are read, so a report over a long range or many centres never
 * holds every day's visitor codes at once: a busy centre's day partial holds ~800 code prefixes and their
 * groups, and 1,100 of them parsed take ~130 MB, past a Worker's 128 MB (docs/scale.md). Only the period
 * being rolled keeps its codes; a period ends when a day of the next one (or of the next centre) arrives,
 * and its codes are then counted into its figures (`anonymiseVisitorCodes`). Two centres never share a
 * visitor (their codes are hashed with different keys), so their parts of a period add up exactly.
 *
 * Feed each centre's days in ascending order, one centre after the other, calling `endCentre` between them.
 *
 * @example
 * const roll = new StreamedRollUp("month");
 * for (const centre of centres) {
 *   for (const row of rowsOf(centre)) roll.addDay(row.localDay, parsed(row));
 *   roll.endCentre();
 * }
 * const { byPeriod, days } = roll.finish();
 * byPeriod["202611"]?.uniqueVisitors; // as rollUp of the same days gives it
 */
export class StreamedRollUp {
  readonly #type: RollUpPeriod;
  #open: { code: string; sum: VisitAccumulator; last: LocalDate } | null = null;
  readonly #periods = new Map<string, VisitAccumulator>();
  readonly #days = new Map<string, VisitAccumulator>();

  constructor(type: RollUpPeriod) {
    this.#type = type;
  }

  /** Adds one day of the current centre; its days must come in ascending order (else it throws: a bug). */
  addDay(day: LocalDate, partial: VisitAggregate): this {
    if (this.#open !== null && day <= this.#open.last) {
      throw new Error(`days out of order: ${day} after ${this.#open.last}`);
    }
    const code = periodOfDate(this.#type, day).code;
    if (this.#open?.code !== code) {
      this.#close();
      this.#open = { code, sum: new VisitAccumulator(), last: day };
    }
    this.#open.sum.absorb(partial);
    this.#open.last = day;
    if (this.#type === "day") return this;
    const lines = this.#days.get(day) ?? new VisitAccumulator();
    lines.absorb({ ...partial, visitorCodes: [], visitorGroups: [], services: {} });
    this.#days.set(day, lines);
    return this;
  }

  /** Ends the current centre: the period it was in is closed. */
  endCentre(): this {
    this.#close();
    return this;
  }

  /** The periods and days rolled so far, in order (the current centre's open period closed first). */
  finish(): StreamedPeriods {
    this.#close();
    const finished = (map: Map<string, VisitAccumulator>) =>
      Object.fromEntries(
        [...map.keys()].sort().map((key) => [key, (map.get(key) as VisitAccumulator).finish()]),
      );
    return { byPeriod: finished(this.#periods), days: finished(this.#days) };
  }

  #close(): void {
    if (this.#open === null) return;
    const { code, sum } = this.#open;
    this.#open = null;
    const period = this.#periods.get(code) ?? new VisitAccumulator();
    this.#periods.set(code, period.absorbAnonymised(sum.finish()));
  }
}
