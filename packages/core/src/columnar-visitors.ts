import { AGE_KEYS, UNKNOWN } from "./aggregate-canonical.js";
import { GENDER_COUNT } from "./visit-accumulator.js";
import { visitorCodePrefix } from "./visit-aggregate.js";
import type { DayIndex, VisitColumns } from "./visit-columns.js";
import { visitorGroupSignature } from "./visitor-groups.js";

// The columnar path's dictionaries in canonical order (languages by code unit, visitor-code prefixes sorted)
// and each day's visitors: the part of visits-columnar.ts that works per visitor rather than per count.

export const AGE_GENDER_CELLS = AGE_KEYS.length * GENDER_COUNT;

/** Language ids of the visits' dictionary, plus `unknown` for uses without a visit, in sorted order. */
export interface LanguageOrder {
  readonly names: readonly string[];
  /** The rank of each id in code-unit order: visitor groups list their languages sorted. */
  readonly rank: Int32Array;
  readonly byRank: readonly string[];
  /** The id of each rank. */
  readonly idByRank: Int32Array;
  /** The visits' language sets flattened: set s is ids[offsets[s] … offsets[s + 1]); the last is `unknown`. */
  readonly offsets: Int32Array;
  readonly ids: Int32Array;
  /** Each set's languages as rank bits, when there are at most 32 languages (0 otherwise). */
  readonly rankBits: Int32Array;
}

export function languageOrder(visits: VisitColumns): LanguageOrder {
  const names = visits.languages.includes(UNKNOWN) ? [...visits.languages] : [...visits.languages, UNKNOWN];
  const byRank = [...names].sort();
  const rankOf = new Map(byRank.map((name, i) => [name, i]));
  const rank = Int32Array.from(names, (name) => rankOf.get(name) as number);
  const idByRank = Int32Array.from(byRank, (name) => names.indexOf(name));
  const sets = [...visits.languageSets, Int32Array.of(names.indexOf(UNKNOWN))];
  const offsets = new Int32Array(sets.length + 1);
  sets.forEach((set, s) => {
    offsets[s + 1] = (offsets[s] as number) + set.length;
  });
  const ids = new Int32Array(offsets[sets.length] as number);
  const rankBits = new Int32Array(sets.length);
  sets.forEach((set, s) => {
    ids.set(set, offsets[s] as number);
    if (names.length <= 32)
      for (const id of set) rankBits[s] = (rankBits[s] as number) | (1 << (rank[id] as number));
  });
  return { names, rank, byRank, idByRank, offsets, ids, rankBits };
}

/** Each day's visitors: prefixes sorted by code unit, and their group signatures in the same order. */
export interface DayVisitors {
  readonly prefixes: string[][];
  readonly signatures: string[][];
}

/** Numbers the distinct prefixes once, in sorted order, so a day's visitors come out sorted by number. */
function numberPrefixes(codes: readonly string[]): { prefixOf: Int32Array; prefixes: string[] } {
  // Sorting the full hashes and cutting them afterwards gives the same order (a prefix of a sorted list stays
  // sorted) and is faster than sorting sliced strings; equal prefixes are then neighbours.
  const prefixes: string[] = [];
  for (const code of [...codes].sort()) {
    const prefix = visitorCodePrefix(code);
    if (prefix !== prefixes[prefixes.length - 1]) prefixes.push(prefix);
  }
  const id = new Map(prefixes.map((prefix, i) => [prefix, i]));
  return { prefixOf: Int32Array.from(codes, (code) => id.get(visitorCodePrefix(code)) as number), prefixes };
}

/** Visits with a code, grouped by day (a counting sort: the rows may come in any order). */
function visitsWithCodeByDay(
  visits: VisitColumns,
  index: DayIndex,
): { start: Int32Array; byDay: Int32Array } {
  const days = index.days.length;
  const { visitDay: dayOf, base } = index;
  const codes = visits.code;
  const start = new Int32Array(days + 1);
  for (let i = 0; i < visits.length; i++) {
    if ((codes[i] as number) >= 0) (start[(dayOf[i] as number) - base + 1] as number) += 1;
  }
  for (let d = 0; d < days; d++) (start[d + 1] as number) += start[d] as number;
  const byDay = new Int32Array(start[days] as number);
  const next = start.slice(0, days);
  for (let i = 0; i < visits.length; i++) {
    if ((codes[i] as number) >= 0) {
      const d = (dayOf[i] as number) - base;
      byDay[next[d] as number] = i;
      (next[d] as number) += 1;
    }
  }
  return { start, byDay };
}

/** A visitor's age and gender bits side by side: the signature cache's key below the language bits. */
const GROUP_BITS = AGE_KEYS.length + GENDER_COUNT;
const AGE_BIT = Int32Array.from({ length: AGE_GENDER_CELLS }, (_, x) => 1 << Math.floor(x / GENDER_COUNT));
const GENDER_BIT = Int32Array.from({ length: AGE_GENDER_CELLS }, (_, x) => 1 << (x % GENDER_COUNT));

/**
 * One day's visitors at a time, state indexed by prefix number: each visitor's age, gender and language bits
 * (codes of one prefix unite), and which prefixes came that day — a bitmap read in order, so the day's
 * visitors come out sorted without a sort.
 */
class VisitorDay {
  readonly words: number;
  readonly seenOn: Int32Array;
  readonly present: Int32Array;
  readonly ages: Int32Array;
  readonly genders: Int32Array;
  readonly spoken: Int32Array;
  readonly list: Int32Array;
  count = 0;
  /** The groups repeat: their signatures are cached when their bits fit a small integer. */
  readonly signatures = new Map<number, string>();
  readonly cached: boolean;
  /** The row of each visitor's only visit of the day, −1 when it came more than once. */
  readonly only: Int32Array;
  readonly sets: number;
  readonly oneVisit: (string | undefined)[];

  constructor(
    readonly visits: VisitColumns,
    readonly order: LanguageOrder,
    readonly prefixOf: Int32Array,
    readonly prefixes: readonly string[],
  ) {
    const n = prefixes.length;
    this.words = Math.ceil(order.names.length / 32);
    this.cached = order.names.length + GROUP_BITS <= 30;
    this.seenOn = new Int32Array(n).fill(-1);
    this.present = new Int32Array(Math.ceil(n / 32));
    this.ages = new Int32Array(n);
    this.genders = new Int32Array(n);
    this.spoken = new Int32Array(n * this.words);
    this.list = new Int32Array(n);
    this.only = new Int32Array(n);
    this.sets = visits.languageSets.length;
    this.oneVisit = new Array(AGE_GENDER_CELLS * this.sets).fill(undefined);
  }

  gather(d: number, rows: Int32Array): void {
    const { seenOn, present, ages, genders, spoken, list, words, prefixOf, only } = this;
    const { code: codes, ageGender: cells, languageSet } = this.visits;
    const { offsets, ids, rankBits, rank } = this.order;
    let count = 0;
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r] as number;
      const p = prefixOf[codes[i] as number] as number;
      if (seenOn[p] !== d) {
        seenOn[p] = d;
        (present[p >> 5] as number) |= 1 << (p & 31);
        list[count++] = p;
        ages[p] = 0;
        genders[p] = 0;
        only[p] = i;
        if (words === 1) spoken[p] = 0;
        else spoken.fill(0, p * words, (p + 1) * words);
      } else only[p] = -1;
      // Two codes of one prefix are one visitor: their groups unite.
      const cell = cells[i] as number;
      (ages[p] as number) |= AGE_BIT[cell] as number;
      (genders[p] as number) |= GENDER_BIT[cell] as number;
      const set = languageSet[i] as number;
      if (words === 1) (spoken[p] as number) |= rankBits[set] as number;
      else {
        for (let j = offsets[set] as number; j < (offsets[set + 1] as number); j++) {
          const bit = rank[ids[j] as number] as number;
          (spoken[p * words + (bit >> 5)] as number) |= 1 << (bit & 31);
        }
      }
    }
    this.count = count;
  }

  /** The day's prefixes in sorted order; clears the bitmap for the next day. */
  sorted(): Int32Array {
    const { present, list, count } = this;
    if (count * 32 < present.length) {
      // Few visitors among many codes: sorting them beats reading the whole bitmap.
      for (let n = 0; n < count; n++) present[(list[n] as number) >> 5] = 0;
      return list.subarray(0, count).sort();
    }
    let n = 0;
    for (let w = 0; w < present.length; w++) {
      let bits = present[w] as number;
      if (bits === 0) continue;
      present[w] = 0;
      while (bits !== 0) {
        const low = bits & -bits;
        list[n++] = (w << 5) + 31 - Math.clz32(low);
        bits ^= low;
      }
    }
    return list.subarray(0, n);
  }

  signature(p: number): string {
    // Most visitors come once a day: their groups are those of one visit, cached by age × gender and languages.
    const i = this.only[p] as number;
    if (i >= 0) {
      const slot = (this.visits.ageGender[i] as number) * this.sets + (this.visits.languageSet[i] as number);
      let signature = this.oneVisit[slot];
      if (signature === undefined) {
        signature = this.groupSignature(p);
        this.oneVisit[slot] = signature;
      }
      return signature;
    }
    return this.groupSignature(p);
  }

  private groupSignature(p: number): string {
    const a = this.ages[p] as number;
    const g = this.genders[p] as number;
    const words = this.words;
    // An integer key (a small integer for up to 20 languages): a fractional or large key would be boxed.
    const key = this.cached ? ((this.spoken[p] as number) << GROUP_BITS) | (a << GENDER_COUNT) | g : -1;
    let signature = key >= 0 ? this.signatures.get(key) : undefined;
    if (signature === undefined) {
      const byRank = this.order.byRank;
      const languages: string[] = [];
      for (let b = 0; b < byRank.length; b++) {
        if (((this.spoken[p * words + (b >> 5)] as number) >>> (b & 31)) & 1)
          languages.push(byRank[b] as string);
      }
      signature = visitorGroupSignature(a, g, languages);
      if (key >= 0) this.signatures.set(key, signature);
    }
    return signature;
  }
}

export function countVisitors(visits: VisitColumns, index: DayIndex, order: LanguageOrder): DayVisitors {
  const result: DayVisitors = { prefixes: [], signatures: [] };
  const { prefixOf, prefixes } = numberPrefixes(visits.codes);
  const { start, byDay } = visitsWithCodeByDay(visits, index);
  const day = new VisitorDay(visits, order, prefixOf, prefixes);
  for (let d = 0; d < index.days.length; d++) {
    day.gather(d, byDay.subarray(start[d] as number, start[d + 1] as number));
    const sorted = day.sorted();
    const dayCodes: string[] = new Array(sorted.length);
    const daySignatures: string[] = new Array(sorted.length);
    for (let n = 0; n < sorted.length; n++) {
      const p = sorted[n] as number;
      dayCodes[n] = prefixes[p] as string;
      daySignatures[n] = day.signature(p);
    }
    result.prefixes.push(dayCodes);
    result.signatures.push(daySignatures);
  }
  return result;
}
