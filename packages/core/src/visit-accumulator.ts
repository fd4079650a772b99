import {
  AGE_KEYS,
  type AggregateParseError,
  addKeyAt,
  addTo,
  GENDER_KEYS,
  parseStoredPartial,
  sortedRecord,
} from "./aggregate-canonical.js";
import { addCellKeys, visitorCellKey } from "./cell-key.js";
import type { Result } from "./result.js";
import { type ServicePeople, ServicePeopleAccumulator } from "./service-people.js";
import { ServiceUseSource } from "./service-use.js";
import { type ServiceTally, type UseCounts, VisitAggregate, visitorCodePrefix } from "./visit-aggregate.js";
import {
  decodeVisitorGroup,
  emptyVisitorGroup,
  encodeVisitorGroup,
  uniteVisitorGroups,
  type VisitorGroup,
  VisitorGroupCounter,
} from "./visitor-groups.js";

// Indices shared with the columnar path (visit-columns.ts): age × gender cell a·G + g, sources in schema order.
export const SOURCE_KEYS: readonly string[] = ServiceUseSource.options;
export const AGE_INDEX = new Map(AGE_KEYS.map((key, index) => [key, index]));
export const GENDER_INDEX = new Map(GENDER_KEYS.map((key, index) => [key, index]));
export const SOURCE_INDEX = new Map(SOURCE_KEYS.map((key, index) => [key, index]));
export const GENDER_COUNT = GENDER_KEYS.length;

export class ServiceAccumulator {
  uses = 0;
  quantity = 0;
  key = 0;
  readonly people = new ServicePeopleAccumulator();
  readonly sourceUses: number[] = SOURCE_KEYS.map(() => 0);
  readonly sourceQuantity: number[] = SOURCE_KEYS.map(() => 0);

  finish(): ServiceTally {
    return serviceTally(this, this.sourceUses, this.sourceQuantity, this.people.finish());
  }
}

/** A service's tally in canonical form: sources in schema order, those without uses left out. */
export function serviceTally(
  totals: { readonly uses: number; readonly quantity: number; readonly key: number },
  sourceUses: ArrayLike<number>,
  sourceQuantity: ArrayLike<number>,
  people: ServicePeople | undefined,
): ServiceTally {
  const bySource: Record<string, UseCounts> = {};
  for (let s = 0; s < SOURCE_KEYS.length; s++) {
    const uses = sourceUses[s] as number;
    if (uses > 0) bySource[SOURCE_KEYS[s] as string] = { uses, quantity: sourceQuantity[s] as number };
  }
  return {
    uses: totals.uses,
    quantity: totals.quantity,
    bySource,
    key: totals.key,
    ...(people ? { people } : {}),
  };
}

/** The mutable builder behind every partial: filled from rows or from other partials, then frozen. */
export class VisitAccumulator {
  visits = 0;
  firstVisits = 0;
  visitsWithCode = 0;
  anonymisedVisitors = 0;
  // Full hashes while building: the string's hash is cached by the engine, a prefix would be a new string.
  readonly codes = new Set<string>();
  readonly ageGender: number[] = new Array(AGE_KEYS.length * GENDER_COUNT).fill(0);
  readonly languages = new Map<string, number>();
  readonly hours: number[] = new Array(24).fill(0);
  readonly services = new Map<string, ServiceAccumulator>();
  visitsKey = 0;
  firstVisitsKey = 0;
  anonymisedVisitorsKey = 0;
  readonly ageGenderKeys: number[] = new Array(AGE_KEYS.length * GENDER_COUNT).fill(0);
  readonly languageKeys = new Map<string, number>();
  readonly hourKeys: number[] = new Array(24).fill(0);
  // The groups of each visitor code (keyed like `codes`), and of the anonymised visitors.
  readonly groups = new Map<string, VisitorGroup>();
  readonly anonymisedGroups = new VisitorGroupCounter();
  private sortedVisitors: { visitorCodes: string[]; visitorGroups: string[] } | undefined;
  private finishedServices: ReadonlyMap<string, ServiceTally> | undefined;

  private groupOf(code: string): VisitorGroup {
    let group = this.groups.get(code);
    if (group === undefined) {
      group = emptyVisitorGroup();
      this.groups.set(code, group);
    }
    return group;
  }

  addLanguage(language: string, count: number, key: number): void {
    addTo(this.languages, language, count);
    this.languageKeys.set(language, addCellKeys(this.languageKeys.get(language) ?? 0, key));
  }

  service(serviceId: string): ServiceAccumulator {
    let service = this.services.get(serviceId);
    if (service === undefined) {
      service = new ServiceAccumulator();
      this.services.set(serviceId, service);
    }
    return service;
  }

  /**
   * Hands over the partial's visitors already numbered, cut to prefixes, united by prefix and sorted (the
   * columnar path, `visits-columnar.ts`): `finish()` takes them as they are instead of sorting `codes`.
   */
  setSortedVisitors(prefixes: string[], signatures: string[]): void {
    if (this.codes.size > 0) throw new RangeError("setSortedVisitors needs an accumulator without codes");
    this.sortedVisitors = { visitorCodes: prefixes, visitorGroups: signatures };
  }

  /**
   * Hands over the partial's services already tallied (the columnar path counts them in typed arrays):
   * `finish()` takes them instead of finishing `services`.
   */
  setServiceTallies(tallies: ReadonlyMap<string, ServiceTally>): void {
    if (this.services.size > 0)
      throw new RangeError("setServiceTallies needs an accumulator without services");
    this.finishedServices = tallies;
  }

  private visitorsByPrefix(): { visitorCodes: string[]; visitorGroups: string[] } {
    // Sorting the full hashes and cutting them afterwards gives the same order (a prefix of a sorted list
    // stays sorted) and is three times faster than sorting sliced strings. The default sort compares UTF-16
    // code units, which is the canonical order.
    const codes = [...this.codes].sort();
    const visitorCodes: string[] = [];
    const groups: VisitorGroup[] = [];
    let previous = "";
    for (const code of codes) {
      const prefix = visitorCodePrefix(code);
      // Two codes of one prefix are one visitor: their groups unite.
      if (prefix !== previous) {
        visitorCodes.push(prefix);
        groups.push(emptyVisitorGroup());
      }
      uniteVisitorGroups(groups[groups.length - 1] as VisitorGroup, this.groupOf(code));
      previous = prefix;
    }
    return { visitorCodes, visitorGroups: groups.map(encodeVisitorGroup) };
  }

  absorb(partial: VisitAggregate): this {
    this.visits += partial.visits;
    this.firstVisits += partial.firstVisits;
    this.visitsWithCode += partial.visitsWithCode;
    this.anonymisedVisitors += partial.anonymisedVisitors ?? 0;
    partial.visitorCodes.forEach((code, i) => {
      this.codes.add(code);
      uniteVisitorGroups(this.groupOf(code), decodeVisitorGroup(partial.visitorGroups?.[i]));
    });
    this.anonymisedGroups.absorb(partial.anonymisedGroups);
    const keys = partial.keys;
    if (keys !== undefined) {
      this.visitsKey = addCellKeys(this.visitsKey, keys.visits);
      this.firstVisitsKey = addCellKeys(this.firstVisitsKey, keys.firstVisits);
      this.anonymisedVisitorsKey = addCellKeys(this.anonymisedVisitorsKey, keys.anonymisedVisitors);
      for (const [ageKey, genders] of Object.entries(keys.byAgeBandGender)) {
        const age = AGE_INDEX.get(ageKey);
        if (age === undefined || genders === undefined) throw new RangeError(`Unknown age band ${ageKey}`);
        for (const [genderKey, key] of Object.entries(genders)) {
          const gender = GENDER_INDEX.get(genderKey);
          if (gender === undefined) throw new RangeError(`Unknown gender ${genderKey}`);
          addKeyAt(this.ageGenderKeys, age * GENDER_COUNT + gender, key ?? 0);
        }
      }
      for (const [language, key] of Object.entries(keys.byLanguage)) {
        this.languageKeys.set(language, addCellKeys(this.languageKeys.get(language) ?? 0, key));
      }
      for (let h = 0; h < 24; h++) addKeyAt(this.hourKeys, h, keys.byHour[h] ?? 0);
    }
    for (const [ageKey, genders] of Object.entries(partial.byAgeBandGender)) {
      const age = AGE_INDEX.get(ageKey);
      if (age === undefined || genders === undefined) throw new RangeError(`Unknown age band ${ageKey}`);
      for (const [genderKey, count] of Object.entries(genders)) {
        const gender = GENDER_INDEX.get(genderKey);
        if (gender === undefined) throw new RangeError(`Unknown gender ${genderKey}`);
        (this.ageGender[age * GENDER_COUNT + gender] as number) += count ?? 0;
      }
    }
    for (const [language, count] of Object.entries(partial.byLanguage))
      addTo(this.languages, language, count);
    for (let h = 0; h < 24; h++) (this.hours[h] as number) += partial.byHour[h] ?? 0;
    for (const [serviceId, tally] of Object.entries(partial.services)) {
      const service = this.service(serviceId);
      service.uses += tally.uses;
      service.quantity += tally.quantity;
      service.key = addCellKeys(service.key, tally.key ?? 0);
      service.people.absorb(tally.people);
      for (const [sourceKey, counts] of Object.entries(tally.bySource)) {
        const source = SOURCE_INDEX.get(sourceKey);
        if (source === undefined || counts === undefined) throw new RangeError(`Unknown source ${sourceKey}`);
        (service.sourceUses[source] as number) += counts.uses;
        (service.sourceQuantity[source] as number) += counts.quantity;
      }
    }
    return this;
  }

  /**
   * Absorbs a canonical partial (one `finish` gave) with its visitor-code prefixes counted and dropped:
   * what absorbing `anonymiseVisitorCodes(canonical)` does, without building that partial first.
   */
  absorbAnonymised(canonical: VisitAggregate): this {
    this.absorb({ ...canonical, visitorCodes: [], visitorGroups: [] });
    this.anonymisedVisitors += canonical.visitorCodes.length;
    canonical.visitorCodes.forEach((prefix, i) => {
      const key = visitorCellKey(prefix);
      this.anonymisedVisitorsKey = addCellKeys(this.anonymisedVisitorsKey, key);
      this.anonymisedGroups.addVisitor(decodeVisitorGroup(canonical.visitorGroups?.[i]), key);
    });
    return this;
  }

  finish(): VisitAggregate {
    const byAgeBand: Record<string, number> = {};
    const byGender: Record<string, number> = {};
    const byAgeBandGender: Record<string, Record<string, number>> = {};
    const ageGenderKeys: Record<string, Record<string, number>> = {};
    const genderTotals: number[] = new Array(GENDER_COUNT).fill(0);
    for (let a = 0; a < AGE_KEYS.length; a++) {
      let rowTotal = 0;
      const row: Record<string, number> = {};
      const keyRow: Record<string, number> = {};
      for (let g = 0; g < GENDER_COUNT; g++) {
        const count = this.ageGender[a * GENDER_COUNT + g] as number;
        if (count > 0) {
          row[GENDER_KEYS[g] as string] = count;
          keyRow[GENDER_KEYS[g] as string] = this.ageGenderKeys[a * GENDER_COUNT + g] as number;
          rowTotal += count;
          (genderTotals[g] as number) += count;
        }
      }
      if (rowTotal > 0) {
        byAgeBand[AGE_KEYS[a] as string] = rowTotal;
        byAgeBandGender[AGE_KEYS[a] as string] = row;
        ageGenderKeys[AGE_KEYS[a] as string] = keyRow;
      }
    }
    for (let g = 0; g < GENDER_COUNT; g++) {
      const count = genderTotals[g] as number;
      if (count > 0) byGender[GENDER_KEYS[g] as string] = count;
    }
    const { visitorCodes, visitorGroups } = this.sortedVisitors ?? this.visitorsByPrefix();
    const anonymisedGroups = this.anonymisedGroups.finish();
    let services = this.finishedServices;
    if (services === undefined) {
      const finished = new Map<string, ServiceTally>();
      for (const [serviceId, service] of this.services) finished.set(serviceId, service.finish());
      services = finished;
    }
    return {
      visits: this.visits,
      firstVisits: this.firstVisits,
      visitsWithCode: this.visitsWithCode,
      uniqueVisitors: visitorCodes.length + this.anonymisedVisitors,
      ...(this.anonymisedVisitors > 0 ? { anonymisedVisitors: this.anonymisedVisitors } : {}),
      byAgeBand,
      byGender,
      byAgeBandGender,
      byLanguage: sortedRecord(this.languages, (count) => count > 0),
      byHour: this.hours.slice(),
      services: sortedRecord(services, (tally) => tally.uses > 0),
      visitorCodes,
      ...(visitorCodes.length > 0 ? { visitorGroups } : {}),
      ...(anonymisedGroups === undefined ? {} : { anonymisedGroups }),
      keys: {
        visits: this.visitsKey,
        firstVisits: this.firstVisits > 0 ? this.firstVisitsKey : 0,
        anonymisedVisitors: this.anonymisedVisitorsKey,
        byAgeBandGender: ageGenderKeys,
        byLanguage: sortedRecord(this.languageKeys, () => true),
        byHour: this.hourKeys.map((key, h) => ((this.hours[h] as number) > 0 ? key : 0)),
      },
    };
  }
}

/**
 * The partial of nothing: no visit, no use. It is the identity of {@link mergeVisitAggregates}.
 *
 * @example
 * emptyVisitAggregate().visits; // 0
 */
export function emptyVisitAggregate(): VisitAggregate {
  return new VisitAccumulator().finish();
}

/**
 * Adds two partials of disjoint sets of rows (two days, or a day and a late batch of the same day), giving
 * the partial those rows would produce together: counts add up, unique visitors are the union of the code
 * sets. Associative and commutative with {@link emptyVisitAggregate} as identity; the inputs are left as
 * they were, and the result is canonical, so the same rows always give the same bytes.
 *
 * @example
 * const twoDays = mergeVisitAggregates(monday, tuesday);
 * twoDays.visits === monday.visits + tuesday.visits; // true
 */
export function mergeVisitAggregates(a: VisitAggregate, b: VisitAggregate): VisitAggregate {
  return new VisitAccumulator().absorb(a).absorb(b).finish();
}

/**
 * The same partial without its visitor-code prefixes, for a day past the centre's retention: every figure
 * stays as it was (`uniqueVisitors` included), the prefixes are counted into `anonymisedVisitors` and
 * dropped. Merging anonymised days adds their visitors up, since nothing says any more who came twice.
 * Applying it twice changes nothing more.
 *
 * @example
 * const old = anonymiseVisitorCodes(dayPartial);
 * old.visitorCodes; // []
 * old.uniqueVisitors === dayPartial.uniqueVisitors; // true
 */
export function anonymiseVisitorCodes(aggregate: VisitAggregate): VisitAggregate {
  const canonical = new VisitAccumulator().absorb(aggregate).finish();
  return new VisitAccumulator().absorbAnonymised(canonical).finish();
}

/**
 * Serialises a partial to JSON in canonical form, so equal partials give byte-identical strings.
 *
 * @example
 * serializeVisitAggregate(emptyVisitAggregate()).startsWith('{"visits":0'); // true
 */
export function serializeVisitAggregate(aggregate: VisitAggregate): string {
  return JSON.stringify(new VisitAccumulator().absorb(aggregate).finish());
}

/**
 * Reads a partial stored as JSON (by {@link serializeVisitAggregate}) and puts it back in canonical form;
 * anything that is not a partial is refused with the code `invalid_aggregate`.
 *
 * @example
 * const stored = parseVisitAggregate(row.json);
 * if (stored.ok) merged = mergeVisitAggregates(stored.value, today);
 */
export function parseVisitAggregate(json: string): Result<VisitAggregate, AggregateParseError> {
  return parseStoredPartial(json, VisitAggregate, (partial) =>
    new VisitAccumulator().absorb(partial).finish(),
  );
}
