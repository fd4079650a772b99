import { AGE_KEYS, GENDER_KEYS } from "./aggregate-canonical.js";
import {
  AGE_GENDER_CELLS,
  countVisitors,
  type DayVisitors,
  type LanguageOrder,
  languageOrder,
} from "./columnar-visitors.js";
import type { ServicePeople, UseGroup } from "./service-people.js";
import { GENDER_COUNT, SOURCE_KEYS, serviceTally, VisitAccumulator } from "./visit-accumulator.js";
import type { ServiceTally, VisitAggregate } from "./visit-aggregate.js";
import { type DayIndex, dayIndex, UseColumns, type VisitColumns } from "./visit-columns.js";

// The columnar path behind every day partial built from rows (the records of `aggregateVisitsByDay`, the
// integer columns the Worker reads from D1): rows numbered once into typed columns (visit-columns.ts) are
// counted into day × category Int32Array counters, and each day goes through VisitAccumulator's canonical
// `finish()`, so the bytes are those of every other partial.

/** Unknown age band (last) × unknown gender (last): where a use recorded without a visit is filed. */
const UNKNOWN_AGE_GENDER = AGE_GENDER_CELLS - 1;
const SOURCE_COUNT = SOURCE_KEYS.length;

// Hot loops below index typed arrays directly (no helper, no closure): a helper shared by Int32Array,
// Uint32Array and Float64Array counters made every element access polymorphic. A Uint32Array of cell keys
// wraps modulo 2³² on store, as `addCellKeys` does.

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

function countVisits(visits: VisitColumns, index: DayIndex, order: LanguageOrder): VisitCounters {
  const days = index.days.length;
  const { visitDay: dayOf, base } = index;
  const languages = order.names.length;
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
  const { visits: count, visitsKey, first, firstKey, withCode, ageGender, ageGenderKey } = c;
  const { language, languageKey, hour, hourKey } = c;
  const { key: keys, first: firsts, code: codes, ageGender: cells, languageSet, hour: hours } = visits;
  const { offsets, ids } = order;
  for (let i = 0; i < visits.length; i++) {
    const d = (dayOf[i] as number) - base;
    const key = keys[i] as number;
    (count[d] as number) += 1;
    (visitsKey[d] as number) += key;
    if (firsts[i] === 1) {
      (first[d] as number) += 1;
      (firstKey[d] as number) += key;
    }
    if ((codes[i] as number) >= 0) (withCode[d] as number) += 1;
    const cell = d * AGE_GENDER_CELLS + (cells[i] as number);
    (ageGender[cell] as number) += 1;
    (ageGenderKey[cell] as number) += key;
    const set = languageSet[i] as number;
    for (let j = offsets[set] as number, end = offsets[set + 1] as number; j < end; j++) {
      const slot = d * languages + (ids[j] as number);
      (language[slot] as number) += 1;
      (languageKey[slot] as number) += key;
    }
    const h = d * 24 + (hours[i] as number);
    (hour[h] as number) += 1;
    (hourKey[h] as number) += key;
  }
  return c;
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
  index: DayIndex,
  order: LanguageOrder,
): UseCounters {
  const days = index.days.length;
  const { useDay: dayOf, base } = index;
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
  const { uses: count, quantity: total, key: keys, sourceUses, sourceQuantity } = c;
  const { peopleAgeGender, peopleAgeGenderKey, peopleLanguage, peopleLanguageKey } = c;
  const { service: serviceOf, uses: n, quantity: q, key: k, source: sourceOf, visit: visitOf } = uses;
  const { ageGender: visitCell, languageSet: visitSet } = visits;
  const { offsets, ids } = order;
  const unknownSet = offsets.length - 2;
  for (let i = 0; i < uses.length; i++) {
    const cell = ((dayOf[i] as number) - base) * services + (serviceOf[i] as number);
    const used = n[i] as number;
    const quantity = q[i] as number;
    const key = k[i] as number;
    (count[cell] as number) += used;
    (total[cell] as number) += quantity;
    (keys[cell] as number) += key;
    const source = cell * SOURCE_COUNT + (sourceOf[i] as number);
    (sourceUses[source] as number) += used;
    (sourceQuantity[source] as number) += quantity;
    // A use counts under the age band, gender and languages of the visit it was recorded with.
    const visit = visitOf[i] as number;
    const known = visit >= 0 && visit < visits.length;
    const ageGender = cell * AGE_GENDER_CELLS + (known ? (visitCell[visit] as number) : UNKNOWN_AGE_GENDER);
    (peopleAgeGender[ageGender] as number) += used;
    (peopleAgeGenderKey[ageGender] as number) += key;
    const set = known ? (visitSet[visit] as number) : unknownSet;
    for (let j = offsets[set] as number, end = offsets[set + 1] as number; j < end; j++) {
      const slot = cell * languages + (ids[j] as number);
      (peopleLanguage[slot] as number) += used;
      (peopleLanguageKey[slot] as number) += key;
    }
  }
  return c;
}

/**
 * Who used one service on one day, straight from the counters, in the canonical form of
 * `ServicePeopleAccumulator.finish()` (age bands and genders in schema order, languages by code unit, empty
 * groups left out): no map or string key per group.
 */
function servicePeople(c: UseCounters, cell: number, order: LanguageOrder): ServicePeople | undefined {
  const byAgeBandGender: Record<string, Record<string, UseGroup>> = {};
  let groups = 0;
  for (let a = 0; a < AGE_KEYS.length; a++) {
    let row: Record<string, UseGroup> | undefined;
    for (let g = 0; g < GENDER_COUNT; g++) {
      const slot = cell * AGE_GENDER_CELLS + a * GENDER_COUNT + g;
      const uses = c.peopleAgeGender[slot] as number;
      if (uses <= 0) continue;
      row ??= {};
      row[GENDER_KEYS[g] as string] = { uses, key: c.peopleAgeGenderKey[slot] as number };
    }
    if (row !== undefined) {
      byAgeBandGender[AGE_KEYS[a] as string] = row;
      groups++;
    }
  }
  const byLanguage: Record<string, UseGroup> = {};
  const languages = order.names.length;
  for (let r = 0; r < languages; r++) {
    const slot = cell * languages + (order.idByRank[r] as number);
    const uses = c.peopleLanguage[slot] as number;
    if (uses <= 0) continue;
    byLanguage[order.byRank[r] as string] = { uses, key: c.peopleLanguageKey[slot] as number };
    groups++;
  }
  return groups === 0 ? undefined : { byAgeBandGender, byLanguage };
}

function serviceTallies(d: number, c: UseCounters, order: LanguageOrder, serviceIds: readonly string[]) {
  const tallies = new Map<string, ServiceTally>();
  for (let s = 0; s < c.services; s++) {
    const cell = d * c.services + s;
    const uses = c.uses[cell] as number;
    if (uses === 0) continue;
    tallies.set(
      serviceIds[s] as string,
      serviceTally(
        { uses, quantity: c.quantity[cell] as number, key: c.key[cell] as number },
        c.sourceUses.subarray(cell * SOURCE_COUNT, (cell + 1) * SOURCE_COUNT),
        c.sourceQuantity.subarray(cell * SOURCE_COUNT, (cell + 1) * SOURCE_COUNT),
        servicePeople(c, cell, order),
      ),
    );
  }
  return tallies;
}

function hasUses(c: UseCounters, d: number): boolean {
  for (let s = 0; s < c.services; s++) if ((c.uses[d * c.services + s] as number) > 0) return true;
  return false;
}

function finishDay(
  d: number,
  v: VisitCounters,
  visitors: DayVisitors,
  u: UseCounters,
  order: LanguageOrder,
  serviceIds: readonly string[],
): VisitAggregate {
  const names = order.names;
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
  day.setServiceTallies(serviceTallies(d, u, order, serviceIds));
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
  const index = dayIndex(visits, useColumns);
  const order = languageOrder(visits);
  const v = countVisits(visits, index, order);
  const visitors = countVisitors(visits, index, order);
  const u = countUses(useColumns, visits, index, order);
  const result = new Map<number, VisitAggregate>();
  for (let d = 0; d < index.days.length; d++) {
    // A day of the span without a row has no partial.
    if (v.visits[d] === 0 && !hasUses(u, d)) continue;
    result.set(index.days[d] as number, finishDay(d, v, visitors, u, order, useColumns.services));
  }
  return result;
}
