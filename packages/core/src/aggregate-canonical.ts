import { z } from "zod";
import { addCellKeys } from "./cell-key.js";
import { AgeBand, Gender, LanguageCode } from "./common.js";
import { err, ok, type Result } from "./result.js";

// The canonical form shared by every partial (see aggregate.ts): closed sets in schema order, open sets
// sorted by UTF-16 code unit, zero counts left out.

/** The key used for a visit that did not state an age band, a gender or a language. */
export const UNKNOWN = "unknown";

export const AGE_KEYS: readonly string[] = [...AgeBand.options, UNKNOWN];
export const GENDER_KEYS: readonly string[] = [...Gender.options, UNKNOWN];

export const Count = z.int().min(0);
export const CountsOf = <K extends z.ZodType<string>>(key: K) => z.record(key, Count);
export const AgeKey = z.enum([...AgeBand.options, UNKNOWN]);
export const GenderKey = z.enum([...Gender.options, UNKNOWN]);
export const LanguageKey = z.union([LanguageCode, z.literal(UNKNOWN)]);

/** Why a stored partial was refused. */
export interface AggregateParseError {
  readonly code: "invalid_aggregate";
  readonly message: string;
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedRecord<V>(map: ReadonlyMap<string, V>, keep: (value: V) => boolean): Record<string, V> {
  const keys = [...map.keys()].sort(compareCodeUnits);
  const entries: [string, V][] = [];
  for (const key of keys) {
    const value = map.get(key) as V;
    if (keep(value)) entries.push([key, value]);
  }
  // fromEntries defines own properties, so even an odd key can never reach a prototype.
  return Object.fromEntries(entries);
}

export function addTo(map: Map<string, number>, key: string, amount: number): void {
  map.set(key, (map.get(key) ?? 0) + amount);
}

export function addKeyAt(keys: number[], index: number, key: number): void {
  keys[index] = addCellKeys(keys[index] as number, key);
}

/**
 * A stored record with its random record key (see `cell-key.ts`): the database draws one for every visit,
 * service use and referral. A record without one counts with key 0: a cell made only of such records always
 * takes the lowest outcome of its row (counts of at least k + D published exactly D low), so the Worker
 * always supplies keys, and partials rolled before keys existed must be rebuilt.
 */
export type KeyedRecord<T> = T & { readonly recordKey?: number };

/** The value of a stored partial's JSON, or `invalid_aggregate` saying why it is not JSON. */
export function storedJsonValue(json: string): Result<unknown, AggregateParseError> {
  try {
    return ok(JSON.parse(json) as unknown);
  } catch (error) {
    return err({
      code: "invalid_aggregate",
      message: error instanceof Error ? error.message : "Invalid JSON",
    });
  }
}

/** A stored partial's JSON value checked against its schema, then put back in canonical form. */
export function checkedPartial<T>(
  raw: unknown,
  schema: z.ZodType<T>,
  canonical: (value: T) => T,
): Result<T, AggregateParseError> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return err({ code: "invalid_aggregate", message: z.prettifyError(parsed.error) });
  return ok(canonical(parsed.data));
}

/**
 * Reads a stored partial: JSON, checked against its schema, then put back in canonical form; anything else
 * is refused with `invalid_aggregate`. Every kind of partial is read this one way.
 */
export function parseStoredPartial<T>(
  json: string,
  schema: z.ZodType<T>,
  canonical: (value: T) => T,
): Result<T, AggregateParseError> {
  const raw = storedJsonValue(json);
  return raw.ok ? checkedPartial(raw.value, schema, canonical) : raw;
}
