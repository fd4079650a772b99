import { AGE_KEYS, GENDER_KEYS, UNKNOWN } from "./aggregate-canonical.js";
import { GENDER_COUNT, SOURCE_KEYS, VisitAccumulator } from "./visit-accumulator.js";
import { type VisitAggregate, visitorCodePrefix } from "./visit-aggregate.js";
import { denseDays, UseColumns, type VisitColumns } from "./visit-columns.js";
import { visitorGroupSignature } from "./visitor-groups.js";

// The columnar path behind every day partial built from rows (the records of `aggregateVisitsByDay`, the
// integer columns the Worker reads from D1): rows numbered once into typed columns (visit-columns.ts) are
// counted into day × category Int32Array counters, and each day goes through VisitAccumulator's canonical
// `finish()`, so the bytes are those of every other partial.

const AGE_GENDER_CELLS = AGE_KEYS.length * GENDER_COUNT;
/** Unknown age band (last) × unknown gender (last): where a use recorded without a visit is filed. */
const UNKNOWN_AGE_GENDER = AGE_GENDER_CELLS - 1;
const SOURCE_COUNT = SOURCE_KEYS.length;

/** Adds to one counter; a Uint32Array of cell keys wraps modulo 2³² on store, as `addCellKeys` does. */
function add(column: Int32Array | Uint32Array | Float64Array, index: number, amount: number): void {
  column[index] = (column[index] as number) + amount;
}

/** Language ids of the visits' dictionary, plus `unknown` for uses without a visit, in sorted order. */
interface LanguageOrder {
  readonly names: readonly string[];
  readonly unknown: Int32Array;
  /** The rank of each id in code-unit order: visitor groups list their languages sorted. */
  readonly rank: Int32Array;
  readonly byRank: readonly string[];
}

function languageOrder(visits: VisitColumns): LanguageOrder {
  const names = visits.languages.includes(UNKNOWN) ? [...visits.languages] : [...visits.languages, UNKNOWN];
  const byRank = [...names].sort();
  const rankOf = new Map(byRank.map((name, i) => [name, i]));
  return {
    names,
    unknown: Int32Array.of(names.indexOf(UNKNOWN)),
    rank: Int32Array.from(names, (name) => rankOf.get(name) as number),
    byRank,
  };
}

/** Visit counters, day × category; keys are sums modulo 2³² (a Uint32Array wraps on store). */
interface VisitCounters {
  readonly visits: Int32Array;
  readonly visitsKey: Uint32Array;
  readonly first: Int32Array;
  readonly firstKey: Uint32Array;
  readonly withCode: Int32Array;
  readonly ageGender: Int32Array;
  readonly ageGenderKey: Uint32Array;
  readonly language: Int32Array;
  readonly languageKey: Uint32Array;
  readonly hour: Int32Array;
  readonly hourKey: Uint32Array;
}

function countVisits(
  visits: VisitColumns,
  dayOf: Int32Array,
  days: number,
  languages: number,
): VisitCounters {
  const c: VisitCounters = {
    visits: new Int32Array(days),
    visitsKey: new Uint32Array(days),
    first: new Int32Array(days),
    firstKey: new Uint32Array(days),
    withCode: new Int32Array(days),
    ageGender: new Int32Array(days * AGE_GENDER_CELLS),
    ageGenderKey: new Uint32Array(days * AGE_GENDER_CELLS),
    language: new Int32Array(days * languages),
    languageKey: new Uint32Array(days * languages),
    hour: new Int32Array(days * 24),
    hourKey: new Uint32Array(days * 24),
  };
  const sets = visits.languageSets;
  for (let i = 0; i < visits.length; i++) {
    const d = dayOf[i] as number;
    const key = visits.key[i] as number;
    add(c.visits, d, 1);
    add(c.visitsKey, d, key);
    if (visits.first[i] === 1) {
      add(c.first, d, 1);
      add(c.firstKey, d, key);
    }
    if ((visits.code[i] as number) >= 0) add(c.withCode, d, 1);
    const cell = d * AGE_GENDER_CELLS + (visits.ageGender[i] as number);
    add(c.ageGender, cell, 1);
    add(c.ageGenderKey, cell, key);
    const set = sets[visits.languageSet[i] as number] as Int32Array;
    for (let j = 0; j < set.length; j++) {
      const slot = d * languages + (set[j] as number);
      add(c.language, slot, 1);
      add(c.languageKey, slot, key);
    }
    const hour = d * 24 + (visits.hour[i] as number);
    add(c.hour, hour, 1);
    add(c.hourKey, hour, key);
  }
  return c;
}

/** Each day's visitors: prefixes sorted by code unit, and their group signatures in the same order. */
interface DayVisitors {
  readonly prefixes: string[][];
  readonly signatures: string[][];
}

/** Numbers the distinct prefixes once, in sorted order, so sorting a day's visitors sorts integers. */
function numberPrefixes(codes: readonly string[]): { prefixOf: Int32Array; prefixes: string[] } {
  const cut = codes.map(visitorCodePrefix);
  const prefixes = [...new Set(cut)].sort();
  const id = new Map(prefixes.map((prefix, i) => [prefix, i]));
  return { prefixOf: Int32Array.from(cut, (prefix) => id.get(prefix) as number), prefixes };
}

function countVisitors(
  visits: VisitColumns,
  dayOf: Int32Array,
  days: number,
  order: LanguageOrder,
): DayVisitors {
  const result: DayVisitors = { prefixes: [], signatures: [] };
  const { prefixOf, prefixes } = numberPrefixes(visits.codes);
  // Visits with a code, grouped by day (a counting sort: the rows may come in any order).
  const start = new Int32Array(days + 1);
  for (let i = 0; i < visits.length; i++)
    if ((visits.code[i] as number) >= 0) add(start, (dayOf[i] as number) + 1, 1);
  for (let d = 0; d < days; d++) start[d + 1] = (start[d + 1] as number) + (start[d] as number);
  const byDay = new Int32Array(start[days] as number);
  const next = start.slice(0, days);
  for (let i = 0; i < visits.length; i++) {
    if ((visits.code[i] as number) >= 0) {
      const d = dayOf[i] as number;
      byDay[next[d] as number] = i;
      add(next, d, 1);
    }
  }
  const words = Math.ceil(order.names.length / 32);
  const seenOn = new Int32Array(prefixes.length).fill(-1);
  const slotOf = new Int32Array(prefixes.length);
  const dayPrefixes = new Int32Array(prefixes.length);
  const ages = new Int32Array(prefixes.length);
  const genders = new Int32Array(prefixes.length);
  const spoken = new Int32Array(prefixes.length * words);
  const signatures = new Map<number, string>();
  for (let d = 0; d < days; d++) {
    let slots = 0;
    for (let r = start[d] as number; r < (start[d + 1] as number); r++) {
      const i = byDay[r] as number;
      const prefix = prefixOf[visits.code[i] as number] as number;
      if (seenOn[prefix] !== d) {
        seenOn[prefix] = d;
        slotOf[prefix] = slots;
        dayPrefixes[slots] = prefix;
        ages[slots] = 0;
        genders[slots] = 0;
        spoken.fill(0, slots * words, (slots + 1) * words);
        slots++;
      }
      // Two codes of one prefix are one visitor: their groups unite.
      const slot = slotOf[prefix] as number;
      const cell = visits.ageGender[i] as number;
      ages[slot] = (ages[slot] as number) | (1 << Math.floor(cell / GENDER_COUNT));
      genders[slot] = (genders[slot] as number) | (1 << (cell % GENDER_COUNT));
      const set = visits.languageSets[visits.languageSet[i] as number] as Int32Array;
      for (let j = 0; j < set.length; j++) {
        const rank = order.rank[set[j] as number] as number;
        const word = slot * words + (rank >> 5);
        spoken[word] = (spoken[word] as number) | (1 << (rank & 31));
      }
    }
    const sorted = dayPrefixes.subarray(0, slots).sort();
    const dayCodes: string[] = [];
    const daySignatures: string[] = [];
    for (const prefix of sorted) {
      const slot = slotOf[prefix] as number;
      dayCodes.push(prefixes[prefix] as string);
      const a = ages[slot] as number;
      const g = genders[slot] as number;
      // One word of languages (up to 32 distinct): the groups repeat, so their signatures are cached.
      const cacheKey = words === 1 ? ((a << 4) | g) * 2 ** 32 + ((spoken[slot] as number) >>> 0) : -1;
      let signature = cacheKey >= 0 ? signatures.get(cacheKey) : undefined;
      if (signature === undefined) {
        const languages: string[] = [];
        for (let rank = 0; rank < order.byRank.length; rank++) {
          if (((spoken[slot * words + (rank >> 5)] as number) >>> (rank & 31)) & 1)
            languages.push(order.byRank[rank] as string);
        }
        signature = visitorGroupSignature(a, g, languages);
        if (cacheKey >= 0) signatures.set(cacheKey, signature);
      }
      daySignatures.push(signature);
    }
    result.prefixes.push(dayCodes);
    result.signatures.push(daySignatures);
  }
  return result;
}

/** Use counters, (day, service) × category. */
interface UseCounters {
  readonly services: number;
  readonly uses: Int32Array;
  readonly quantity: Float64Array;
  readonly key: Uint32Array;
  readonly sourceUses: Int32Array;
  readonly sourceQuantity: Float64Array;
  readonly peopleAgeGender: Int32Array;
  readonly peopleAgeGenderKey: Uint32Array;
  readonly peopleLanguage: Int32Array;
  readonly peopleLanguageKey: Uint32Array;
}

function countUses(
  uses: UseColumns,
  visits: VisitColumns,
  dayOf: Int32Array,
  days: number,
  order: LanguageOrder,
): UseCounters {
  const services = uses.services.length;
  const languages = order.names.length;
  const cells = days * services;
  const c: UseCounters = {
    services,
    uses: new Int32Array(cells),
    quantity: new Float64Array(cells),
    key: new Uint32Array(cells),
    sourceUses: new Int32Array(cells * SOURCE_COUNT),
    sourceQuantity: new Float64Array(cells * SOURCE_COUNT),
    peopleAgeGender: new Int32Array(cells * AGE_GENDER_CELLS),
    peopleAgeGenderKey: new Uint32Array(cells * AGE_GENDER_CELLS),
    peopleLanguage: new Int32Array(cells * languages),
    peopleLanguageKey: new Uint32Array(cells * languages),
  };
  for (let i = 0; i < uses.length; i++) {
    const cell = (dayOf[i] as number) * services + (uses.service[i] as number);
    const n = uses.uses[i] as number;
    const quantity = uses.quantity[i] as number;
    const key = uses.key[i] as number;
    add(c.uses, cell, n);
    add(c.quantity, cell, quantity);
    add(c.key, cell, key);
    const source = cell * SOURCE_COUNT + (uses.source[i] as number);
    add(c.sourceUses, source, n);
    add(c.sourceQuantity, source, quantity);
    // A use counts under the age band, gender and languages of the visit it was recorded with.
    const visit = uses.visit[i] as number;
    const known = visit >= 0 && visit < visits.length;
    const ageGender =
      cell * AGE_GENDER_CELLS + (known ? (visits.ageGender[visit] as number) : UNKNOWN_AGE_GENDER);
    add(c.peopleAgeGender, ageGender, n);
    add(c.peopleAgeGenderKey, ageGender, key);
    const set = known
      ? (visits.languageSets[visits.languageSet[visit] as number] as Int32Array)
      : order.unknown;
    for (let j = 0; j < set.length; j++) {
      const slot = cell * languages + (set[j] as number);
      add(c.peopleLanguage, slot, n);
      add(c.peopleLanguageKey, slot, key);
    }
  }
  return c;
}

function fillServices(
  into: VisitAccumulator,
  d: number,
  c: UseCounters,
  names: readonly string[],
  serviceIds: readonly string[],
): void {
  const languages = names.length;
  for (let s = 0; s < c.services; s++) {
    const cell = d * c.services + s;
    if ((c.uses[cell] as number) === 0) continue;
    const service = into.service(serviceIds[s] as string);
    service.uses = c.uses[cell] as number;
    service.quantity = c.quantity[cell] as number;
    service.key = c.key[cell] as number;
    for (let r = 0; r < SOURCE_COUNT; r++) {
      service.sourceUses[r] = c.sourceUses[cell * SOURCE_COUNT + r] as number;
      service.sourceQuantity[r] = c.sourceQuantity[cell * SOURCE_COUNT + r] as number;
    }
    for (let x = 0; x < AGE_GENDER_CELLS; x++) {
      const slot = cell * AGE_GENDER_CELLS + x;
      const age = AGE_KEYS[Math.floor(x / GENDER_COUNT)] as string;
      const gender = GENDER_KEYS[x % GENDER_COUNT] as string;
      service.people.addAgeGender(
        age,
        gender,
        c.peopleAgeGender[slot] as number,
        c.peopleAgeGenderKey[slot] as number,
      );
    }
    for (let l = 0; l < languages; l++) {
      const slot = cell * languages + l;
      service.people.addLanguage(
        names[l] as string,
        c.peopleLanguage[slot] as number,
        c.peopleLanguageKey[slot] as number,
      );
    }
  }
}

function finishDay(
  d: number,
  v: VisitCounters,
  visitors: DayVisitors,
  u: UseCounters,
  names: readonly string[],
  serviceIds: readonly string[],
): VisitAggregate {
  const day = new VisitAccumulator();
  day.visits = v.visits[d] as number;
  day.visitsKey = v.visitsKey[d] as number;
  day.firstVisits = v.first[d] as number;
  day.firstVisitsKey = v.firstKey[d] as number;
  day.visitsWithCode = v.withCode[d] as number;
  for (let x = 0; x < AGE_GENDER_CELLS; x++) {
    day.ageGender[x] = v.ageGender[d * AGE_GENDER_CELLS + x] as number;
    day.ageGenderKeys[x] = v.ageGenderKey[d * AGE_GENDER_CELLS + x] as number;
  }
  for (let l = 0; l < names.length; l++) {
    const count = v.language[d * names.length + l] as number;
    if (count > 0) day.addLanguage(names[l] as string, count, v.languageKey[d * names.length + l] as number);
  }
  for (let h = 0; h < 24; h++) {
    day.hours[h] = v.hour[d * 24 + h] as number;
    day.hourKeys[h] = v.hourKey[d * 24 + h] as number;
  }
  fillServices(day, d, u, names, serviceIds);
  day.setSortedVisitors(visitors.prefixes[d] as string[], visitors.signatures[d] as string[]);
  return day.finish();
}

/**
 * The day partials of one centre's rows held as columns: local day number → partial, in day order, only
 * for days with at least one visit or use. A use row counts under its visit's age band, gender and
 * languages when `visit` names one of these visits, under `unknown` otherwise. The partials are byte for
 * byte those of the row-by-row accumulator (same canonical `finish()`), at a fraction of its cost: no date
 * is parsed, and per row only integers are touched.
 *
 * @example
 * const visits = new VisitColumns();
 * visits.add({ day: 20_420, hour: 9, ageBand: null, gender: null, firstVisit: null, visitorCodeHash: null, languages: [] });
 * aggregateVisitColumns(visits).get(20_420)?.byHour[9]; // 1
 */
export function aggregateVisitColumns(visits: VisitColumns, uses?: UseColumns): Map<number, VisitAggregate> {
  const useColumns = uses ?? new UseColumns();
  const { days, visitDay, useDay } = denseDays(visits, useColumns);
  const order = languageOrder(visits);
  const v = countVisits(visits, visitDay, days.length, order.names.length);
  const visitors = countVisitors(visits, visitDay, days.length, order);
  const u = countUses(useColumns, visits, useDay, days.length, order);
  const result = new Map<number, VisitAggregate>();
  days.forEach((day, d) => {
    result.set(day, finishDay(d, v, visitors, u, order.names, useColumns.services));
  });
  return result;
}
