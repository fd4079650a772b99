import { UNKNOWN } from "./aggregate-canonical.js";
import { AGE_INDEX, GENDER_COUNT, GENDER_INDEX, SOURCE_INDEX } from "./visit-accumulator.js";

// The columns of the columnar path (visits-columnar.ts): each row numbered once into typed columns — local
// day and hour as integers, visitor codes, language lists and services as dictionary ids.

type Column = Int32Array | Uint32Array | Uint8Array | Float64Array;

function grown<T extends Column>(column: T, size: number): T {
  const next = new (column.constructor as new (size: number) => T)(size);
  next.set(column);
  return next;
}

function checkDay(day: number): void {
  if (!Number.isSafeInteger(day) || Math.abs(day) > 3_000_000)
    throw new RangeError(`Not a day number: ${day}`);
}

/** One visit as the columnar path reads it: local day and hour already known (stored with the row). */
export interface VisitColumnRow {
  /** The centre-local day of arrival, in days since 1970-01-01. */
  readonly day: number;
  /** The centre-local hour of arrival, 0–23. */
  readonly hour: number;
  readonly ageBand: string | null;
  readonly gender: string | null;
  readonly firstVisit: boolean | null;
  readonly visitorCodeHash: string | null;
  /** The languages spoken, as a list or as the stored JSON array text. */
  readonly languages: readonly string[] | string;
  /** The row's record key (0 when missing, see `KeyedRecord`). */
  readonly recordKey?: number | null;
}

/** Visits as typed columns, with the dictionaries their ids point into; filled row by row with `add`. */
export class VisitColumns {
  length = 0;
  day = new Int32Array(256);
  hour = new Uint8Array(256);
  /** Age × gender cell: age index × genders + gender index, schema order, `unknown` last. */
  ageGender = new Uint8Array(256);
  first = new Uint8Array(256);
  /** Index in `codes`, −1 without a visitor code. */
  code = new Int32Array(256);
  /** Index in `languageSets`. */
  languageSet = new Int32Array(256);
  key = new Uint32Array(256);
  /** The distinct visitor-code hashes, numbered in order of first appearance. */
  readonly codes: string[] = [];
  readonly languages: string[] = [];
  /** Each distinct language list, as ids in `languages`: duplicates dropped, `unknown` when none. */
  readonly languageSets: Int32Array[] = [];
  private readonly codeIds = new Map<string, number>();
  private readonly languageIds = new Map<string, number>();
  private readonly languageSetIds = new Map<string, number>();

  /** Appends one visit and returns its index; an unknown age band or gender, or a bad hour, throws. */
  add(row: VisitColumnRow): number {
    checkDay(row.day);
    if (!Number.isInteger(row.hour) || row.hour < 0 || row.hour > 23) {
      throw new RangeError(`Not a local hour: ${row.hour}`);
    }
    const age = AGE_INDEX.get(row.ageBand ?? UNKNOWN);
    const gender = GENDER_INDEX.get(row.gender ?? UNKNOWN);
    if (age === undefined || gender === undefined) {
      throw new RangeError(`Unknown age band or gender: ${row.ageBand}, ${row.gender}`);
    }
    if (this.length === this.day.length) this.grow(this.length * 2);
    const i = this.length++;
    this.day[i] = row.day;
    this.hour[i] = row.hour;
    this.ageGender[i] = age * GENDER_COUNT + gender;
    this.first[i] = row.firstVisit === true ? 1 : 0;
    this.key[i] = row.recordKey ?? 0;
    const hash = row.visitorCodeHash;
    if (hash === null) this.code[i] = -1;
    else {
      let id = this.codeIds.get(hash);
      if (id === undefined) {
        id = this.codes.push(hash) - 1;
        this.codeIds.set(hash, id);
      }
      this.code[i] = id;
    }
    this.languageSet[i] = this.languageSetOf(row.languages);
    return i;
  }

  private grow(size: number): void {
    this.day = grown(this.day, size);
    this.hour = grown(this.hour, size);
    this.ageGender = grown(this.ageGender, size);
    this.first = grown(this.first, size);
    this.code = grown(this.code, size);
    this.languageSet = grown(this.languageSet, size);
    this.key = grown(this.key, size);
  }

  private languageId(language: string): number {
    let id = this.languageIds.get(language);
    if (id === undefined) {
      id = this.languages.push(language) - 1;
      this.languageIds.set(language, id);
    }
    return id;
  }

  private languageSetOf(languages: readonly string[] | string): number {
    // Stored JSON text is its own key; a list gets a prefix no JSON text starts with.
    const text = typeof languages === "string" ? languages : `\u0001${languages.join("\u0000")}`;
    let id = this.languageSetIds.get(text);
    if (id !== undefined) return id;
    const list: unknown = typeof languages === "string" ? JSON.parse(languages) : languages;
    if (!Array.isArray(list) || list.some((language) => typeof language !== "string")) {
      throw new RangeError(`Not a list of languages: ${text}`);
    }
    // A visit that lists a language twice still speaks it once.
    const spoken = (list as string[]).filter((language, i) => list.indexOf(language) === i);
    id =
      this.languageSets.push(
        Int32Array.from(spoken.length === 0 ? [UNKNOWN] : spoken, (l) => this.languageId(l)),
      ) - 1;
    this.languageSetIds.set(text, id);
    return id;
  }
}

/** Service uses of one day, service and source (and visit, or none), as the columnar path reads them. */
export interface UseColumnRow {
  /** The centre-local day of the use(s), in days since 1970-01-01. */
  readonly day: number;
  readonly serviceId: string;
  readonly source: string;
  /** The index in the {@link VisitColumns} of the visit the uses were recorded with, or −1. */
  readonly visit: number;
  /** How many use records the row stands for (1 for one record, more for a count made by the database). */
  readonly uses: number;
  /** Their quantities added up. */
  readonly quantity: number;
  /** The sum of their record keys modulo 2³². */
  readonly key: number;
}

/** Service uses as typed columns; filled row by row with `add`. */
export class UseColumns {
  length = 0;
  day = new Int32Array(256);
  service = new Int32Array(256);
  source = new Uint8Array(256);
  visit = new Int32Array(256);
  uses = new Int32Array(256);
  quantity = new Float64Array(256);
  key = new Uint32Array(256);
  readonly services: string[] = [];
  private readonly serviceIds = new Map<string, number>();

  /** Appends one row of uses; an unknown source or a count below 1 throws. */
  add(row: UseColumnRow): void {
    checkDay(row.day);
    const source = SOURCE_INDEX.get(row.source);
    if (source === undefined) throw new RangeError(`Unknown service use source ${row.source}`);
    if (!Number.isInteger(row.uses) || row.uses < 1)
      throw new RangeError(`A row counts ≥ 1 use, got ${row.uses}`);
    if (this.length === this.day.length) {
      const size = this.length * 2;
      this.day = grown(this.day, size);
      this.service = grown(this.service, size);
      this.source = grown(this.source, size);
      this.visit = grown(this.visit, size);
      this.uses = grown(this.uses, size);
      this.quantity = grown(this.quantity, size);
      this.key = grown(this.key, size);
    }
    const i = this.length++;
    let service = this.serviceIds.get(row.serviceId);
    if (service === undefined) {
      service = this.services.push(row.serviceId) - 1;
      this.serviceIds.set(row.serviceId, service);
    }
    this.day[i] = row.day;
    this.service[i] = service;
    this.source[i] = source;
    this.visit[i] = row.visit;
    this.uses[i] = row.uses;
    this.quantity[i] = row.quantity;
    this.key[i] = row.key;
  }
}

/**
 * How the counters are indexed by day: row i of the visits counts under slot `visitDay[i] − base`, which
 * holds day `days[slot]`. Over a span of at most {@link MAX_DAY_SPAN} days the day columns are used as they
 * are (no per-row copy) and every day of the span has a slot, rows or not; rows further apart get a slot
 * per distinct day instead.
 */
export interface DayIndex {
  readonly days: number[];
  readonly base: number;
  readonly visitDay: Int32Array;
  readonly useDay: Int32Array;
}

/** Nearly three years: every day of the span gets its counters, so the span is bounded. */
export const MAX_DAY_SPAN = 1096;

/** Indexes the counters by day: the span of the rows' days, or their distinct days when they are far apart. */
export function dayIndex(visits: VisitColumns, uses: UseColumns): DayIndex {
  const vd = visits.day.subarray(0, visits.length);
  const ud = uses.day.subarray(0, uses.length);
  if (vd.length + ud.length === 0) return { days: [], base: 0, visitDay: vd, useDay: ud };
  // Bounds from a real day (no ±Infinity): these loops run over every row.
  let min = vd.length > 0 ? (vd[0] as number) : (ud[0] as number);
  let max = min;
  for (let i = 0; i < vd.length; i++) {
    const day = vd[i] as number;
    if (day < min) min = day;
    else if (day > max) max = day;
  }
  for (let i = 0; i < ud.length; i++) {
    const day = ud[i] as number;
    if (day < min) min = day;
    else if (day > max) max = day;
  }
  if (max - min < MAX_DAY_SPAN) {
    return {
      days: Array.from({ length: max - min + 1 }, (_, d) => min + d),
      base: min,
      visitDay: vd,
      useDay: ud,
    };
  }
  const days = [...new Set([...vd, ...ud])].sort((a, b) => a - b);
  const slot = new Map(days.map((day, i) => [day, i]));
  return {
    days,
    base: 0,
    visitDay: Int32Array.from(vd, (day) => slot.get(day) as number),
    useDay: Int32Array.from(ud, (day) => slot.get(day) as number),
  };
}

/** Service uses counted by the database per (day, service, source, visit), the visit named by its row id. */
export interface UseGroupRow extends Omit<UseColumnRow, "visit"> {
  readonly visitId: string | null;
}

/**
 * Appends a group of uses recorded with a visit known by its row id (`visitIndex`: row id → index in
 * `visits`). The uses count under that visit's age band, gender and languages only when the visit is filed
 * under the same local day as the uses; otherwise, and without a visit or with one not read, under none.
 * The one home of that rule, for the Worker's roll-up and the benchmarks.
 */
export function addUseGroup(
  uses: UseColumns,
  visits: VisitColumns,
  visitIndex: ReadonlyMap<string, number>,
  group: UseGroupRow,
): void {
  const visit = group.visitId === null ? undefined : visitIndex.get(group.visitId);
  uses.add({
    day: group.day,
    serviceId: group.serviceId,
    source: group.source,
    visit: visit !== undefined && visits.day[visit] === group.day ? visit : -1,
    uses: group.uses,
    quantity: group.quantity,
    key: group.key,
  });
}
