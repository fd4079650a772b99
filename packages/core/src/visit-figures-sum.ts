import type { AggregateParseError } from "./aggregate-canonical.js";
import { err, type Result } from "./result.js";
import { anonymiseVisitorCodes, parseVisitAggregate, serializeVisitAggregate } from "./visit-accumulator.js";
import type { VisitAggregate } from "./visit-aggregate.js";

// A cross-centre report over 50 centres × 36 months reads 1,800 stored partials. Validating each one with
// its schema and merging it through the accumulator costs ~1.9 ms a partial (3.5 s in all); a partial
// without visitor codes is a tree of numbers whose merge is addition, so this sums the JSON trees and
// validates only the sums (one per period).

type Tree = { [key: string]: Tree | number } | (Tree | number)[];

const MAX_KEY = 2 ** 32;

function invalid(reason: string): Result<never, AggregateParseError> {
  return err({ code: "invalid_aggregate", message: `Not a partial without visitor codes: ${reason}` });
}

/**
 * Adds `from` into `into` (same shape or absent there); cell keys (`key`, anything under `keys`) modulo 2³².
 * `into`'s objects have no prototype, so a name such as "constructor" or "__proto__" is just a name.
 * Returns why `from` is not a partial without codes, or null.
 */
function addTree(into: Tree, from: Tree, inKeys: boolean): string | null {
  const target = into as Record<string, Tree | number | undefined>;
  const source = from as Record<string, unknown>;
  for (const name in source) {
    const value = source[name];
    const isKey = inKeys || name === "key" || name === "keys";
    const known = target[name];
    if (typeof value === "number") {
      if (!Number.isSafeInteger(value) || value < 0 || (isKey && value >= MAX_KEY))
        return `${name}: ${value}`;
      if (known === undefined) target[name] = value;
      else if (typeof known !== "number") return `${name} differs in shape`;
      else target[name] = isKey ? (known + value) % MAX_KEY : known + value;
    } else if (typeof value === "object" && value !== null) {
      const isArray = Array.isArray(value);
      if (isArray && typeof value[0] === "string") return `${name} holds codes`;
      if (known === undefined) target[name] = isArray ? [] : Object.create(null);
      const next = target[name];
      if (typeof next !== "object" || Array.isArray(next) !== isArray) return `${name} differs in shape`;
      const reason = addTree(next, value as Tree, isKey);
      if (reason !== null) return `${name}.${reason}`;
    } else return `${name} is neither a number nor a tree`;
  }
  return null;
}

/**
 * The sum of partials that hold no visitor codes — partials of different centres anonymised with
 * `anonymiseVisitorCodes`, as the figures database stores them (docs/scale.md) — read from their stored
 * JSON. Merging such partials is addition of every count, and of every cell key modulo 2³², so this adds
 * the parsed JSON trees and validates only the result: `finish()` gives what merging every partial with
 * `mergeVisitAggregates` gives, to the byte, at a fraction of the cost. A partial that still holds visitor
 * codes is refused, since adding its visitors would count people twice.
 *
 * @example
 * const sum = new CompactVisitSum();
 * for (const row of monthRows) sum.add(row.aggregate);
 * const merged = sum.finish(); // { ok: true, value: VisitAggregate }
 */
export class CompactVisitSum {
  #tree: Tree = Object.create(null);
  #error: string | null = null;
  #count = 0;

  /** Adds one stored partial (JSON); a malformed one, or one with visitor codes, makes `finish` fail. */
  add(json: string): this {
    if (this.#error !== null) return this;
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      this.#error = "not JSON";
      return this;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) this.#error = "not an object";
    else this.#error = addTree(this.#tree, parsed as Tree, false);
    this.#count++;
    return this;
  }

  /** How many partials were added. */
  get size(): number {
    return this.#count;
  }

  /** The merged partial, validated and in canonical form; the empty partial when nothing was added. */
  finish(): Result<VisitAggregate, AggregateParseError> {
    if (this.#error !== null) return invalid(this.#error);
    return parseVisitAggregate(
      JSON.stringify({
        visitorCodes: [],
        byHour: Array(24).fill(0),
        byAgeBand: {},
        byGender: {},
        byAgeBandGender: {},
        byLanguage: {},
        services: {},
        visits: 0,
        firstVisits: 0,
        visitsWithCode: 0,
        uniqueVisitors: 0,
        ...this.#tree,
      }),
    );
  }
}

/**
 * A centre's partial for one period as the figures database stores it for reports across centres: its
 * visitor-code prefixes folded into counts (`anonymiseVisitorCodes`), then cut in two JSON trees whose sum
 * (`CompactVisitSum`) is that partial — `aggregate`, everything but the services' `people` (what a
 * protected report reads; about a quarter of the bytes), and `servicePeople`, `{"services":{<id>:{"people":…}}}`
 * (read only for callers who see raw figures).
 *
 * @example
 * const { aggregate, servicePeople } = periodFiguresOf(monthPartial);
 * new CompactVisitSum().add(aggregate).add(servicePeople).finish(); // the month, without visitor codes
 */
export function periodFiguresOf(partial: VisitAggregate): { aggregate: string; servicePeople: string } {
  const compact = JSON.parse(serializeVisitAggregate(anonymiseVisitorCodes(partial))) as VisitAggregate;
  const people: Record<string, { people: unknown }> = {};
  for (const [id, tally] of Object.entries(compact.services)) {
    if (tally.people === undefined) continue;
    people[id] = { people: tally.people };
    delete tally.people;
  }
  return { aggregate: JSON.stringify(compact), servicePeople: JSON.stringify({ services: people }) };
}
