import { AGE_KEYS, GENDER_KEYS, LanguageKey } from "./aggregate-canonical.js";
import { KEY_SPACE } from "./cell-key.js";
import { Id } from "./common.js";
import type { DayFigures } from "./day-figures.js";
import type { ServicePeople, UseGroup } from "./service-people.js";

// The stored form of day-level figures (`serializeDayFigures`): flat arrays of numbers, read back by a
// hand-written check. A three-year report across 50 centres reads 1,800 stored months; as objects checked
// through the zod schema (`DayFigures`) that was 34 MB of JSON and seconds of parsing and validating, most of
// it spent on tuples and on the `{"uses":…,"key":…}` groups of who used each service. The arrays hold the
// same numbers in fixed places, take about half the bytes, and `JSON.parse` reads arrays of numbers fast.
//
// {"v":2,
//  "days":[offset, …],
//  "arrivals":[[168 counts, weekday-major], [168 keys]],
//  "services":{"<id>":{"days":[offset, uses, quantity, key, …],
//                      "people":{"ageGender":[uses, key for each age band × gender, in schema order],
//                                "languages":["ar", …], "languageUses":[uses, key, …]}}}}
//
// A group with no use is stored as `0, 0` (a stored group has at least one use). Figures stored in the
// earlier object form (version 1, no `v`) are still read, through the schema.

export const STORED_DAY_FIGURES_VERSION = 2;

const WEEK_HOURS = 7 * 24;
const MAX_OFFSET = 365;
const MAX_KEY = KEY_SPACE - 1;

interface StoredPeople {
  ageGender: number[];
  languages: string[];
  languageUses: number[];
}

/** Day-level figures (already in canonical form) as their stored JSON text. */
export function encodeDayFigures(figures: DayFigures): string {
  const services: Record<string, { days: number[]; people?: StoredPeople }> = {};
  for (const [id, service] of Object.entries(figures.services)) {
    const days: number[] = [];
    for (const [offset, uses, quantity, key] of service.days) days.push(offset, uses, quantity, key);
    services[id] = service.people === undefined ? { days } : { days, people: encodePeople(service.people) };
  }
  return JSON.stringify({
    v: STORED_DAY_FIGURES_VERSION,
    days: figures.days,
    arrivals: [figures.arrivals.counts.flat(), figures.arrivals.keys.flat()],
    services,
  });
}

function encodePeople(people: ServicePeople): StoredPeople {
  const groups = people.byAgeBandGender as Record<string, Record<string, UseGroup> | undefined>;
  const ageGender: number[] = [];
  for (const age of AGE_KEYS)
    for (const gender of GENDER_KEYS) {
      const group = groups[age]?.[gender];
      ageGender.push(group?.uses ?? 0, group?.key ?? 0);
    }
  const languages = Object.keys(people.byLanguage);
  const languageUses: number[] = [];
  for (const language of languages) {
    const group = people.byLanguage[language] as UseGroup;
    languageUses.push(group.uses, group.key);
  }
  return { ageGender, languages, languageUses };
}

/** Why a stored value was refused: where, and what it should have been. */
class Refused extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function arrayAt(value: unknown, where: string, length?: (n: number) => boolean): unknown[] {
  if (!Array.isArray(value)) throw new Refused(`${where}: expected an array`);
  if (length !== undefined && !length(value.length)) throw new Refused(`${where}: wrong length`);
  return value;
}

/** Checks that `values` are integers in `[min, max]` (or in the range `range(i)` gives for index `i`). */
function checkIntegers(values: unknown[], where: string, range: (i: number) => number): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > range(i))
      throw new Refused(`${where}[${i}]: expected an integer from 0 to ${range(i)}`);
  }
}

const countMax = () => Number.MAX_SAFE_INTEGER;

function decodePeople(value: unknown, where: string, valid: Set<unknown>): ServicePeople {
  if (!isObject(value)) throw new Refused(`${where}: expected an object`);
  const ageGender = arrayAt(
    value.ageGender,
    `${where}.ageGender`,
    (n) => n === AGE_KEYS.length * GENDER_KEYS.length * 2,
  );
  checkIntegers(ageGender, `${where}.ageGender`, (i) => (i % 2 === 0 ? Number.MAX_SAFE_INTEGER : MAX_KEY));
  const byAgeBandGender: Record<string, Record<string, UseGroup>> = {};
  let i = 0;
  for (const age of AGE_KEYS) {
    const row: Record<string, UseGroup> = {};
    for (const gender of GENDER_KEYS) {
      const uses = ageGender[i] as number;
      const key = ageGender[i + 1] as number;
      i += 2;
      if (uses > 0) row[gender] = { uses, key };
      else if (key !== 0) throw new Refused(`${where}.ageGender[${i - 1}]: a key without a use`);
    }
    if (Object.keys(row).length > 0) byAgeBandGender[age] = row;
  }
  const languages = arrayAt(value.languages, `${where}.languages`);
  const languageUses = arrayAt(
    value.languageUses,
    `${where}.languageUses`,
    (n) => n === languages.length * 2,
  );
  checkIntegers(languageUses, `${where}.languageUses`, (j) =>
    j % 2 === 0 ? Number.MAX_SAFE_INTEGER : MAX_KEY,
  );
  const byLanguage: Record<string, UseGroup> = {};
  languages.forEach((language, j) => {
    // A row names the same few languages for each of its services: each checked once (`valid`).
    if (!valid.has(language) && LanguageKey.safeParse(language).success) valid.add(language);
    if (!valid.has(language) || Object.hasOwn(byLanguage, language as string))
      throw new Refused(`${where}.languages[${j}]: expected a distinct language code or "unknown"`);
    const uses = languageUses[2 * j] as number;
    if (uses < 1) throw new Refused(`${where}.languageUses[${2 * j}]: a stored group has at least one use`);
    byLanguage[language as string] = { uses, key: languageUses[2 * j + 1] as number };
  });
  return { byAgeBandGender, byLanguage } as ServicePeople;
}

function decodeService(value: unknown, where: string, valid: Set<unknown>): DayFigures["services"][string] {
  if (!isObject(value)) throw new Refused(`${where}: expected an object`);
  const flat = arrayAt(value.days, `${where}.days`, (n) => n % 4 === 0);
  checkIntegers(
    flat,
    `${where}.days`,
    (i) => [MAX_OFFSET, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, MAX_KEY][i % 4] as number,
  );
  const days: [number, number, number, number][] = [];
  for (let i = 0; i < flat.length; i += 4)
    days.push([flat[i] as number, flat[i + 1] as number, flat[i + 2] as number, flat[i + 3] as number]);
  return value.people === undefined
    ? { days }
    : { days, people: decodePeople(value.people, `${where}.people`, valid) };
}

/**
 * Reads the stored form (version 2) of day-level figures from parsed JSON: every number checked to be an
 * integer in its range, every id and language code against core's schema. Throws a `Refused` naming the
 * first place that is wrong.
 */
function decode(raw: Record<string, unknown>): DayFigures {
  const days = arrayAt(raw.days, "days");
  checkIntegers(days, "days", () => MAX_OFFSET);
  const arrivals = arrayAt(raw.arrivals, "arrivals", (n) => n === 2);
  const [counts, keys] = arrivals.map((grid, g) => arrayAt(grid, `arrivals[${g}]`, (n) => n === WEEK_HOURS));
  checkIntegers(counts as unknown[], "arrivals[0]", countMax);
  checkIntegers(keys as unknown[], "arrivals[1]", () => MAX_KEY);
  const grid = (cells: unknown[]) =>
    Array.from({ length: 7 }, (_, w) => cells.slice(w * 24, w * 24 + 24) as number[]);
  if (!isObject(raw.services)) throw new Refused("services: expected an object");
  const services: DayFigures["services"] = {};
  const languages = new Set<unknown>();
  for (const [id, service] of Object.entries(raw.services)) {
    if (!Id.safeParse(id).success) throw new Refused(`services: ${JSON.stringify(id)} is not an id`);
    services[id] = decodeService(service, `services.${id}`, languages);
  }
  return {
    days: days as number[],
    arrivals: { counts: grid(counts as unknown[]), keys: grid(keys as unknown[]) },
    services,
  };
}

/**
 * Parsed JSON in the stored form of `version`: the day-level figures, or the reason they were refused.
 * Returns null when `raw` is not in the stored form at all (no `v`: the earlier object form).
 */
export function decodeDayFigures(
  raw: unknown,
): { ok: true; value: DayFigures } | { ok: false; message: string } | null {
  if (!isObject(raw) || raw.v === undefined) return null;
  if (raw.v !== STORED_DAY_FIGURES_VERSION) return { ok: false, message: `unknown version ${String(raw.v)}` };
  try {
    return { ok: true, value: decode(raw) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, message: error.message };
    throw error;
  }
}
