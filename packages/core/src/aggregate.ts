import { z } from "zod";
import { addCellKeys, CellKey, visitorCellKey } from "./cell-key.js";
import { AgeBand, Gender, Id, LanguageCode } from "./common.js";
import type { Referral, ReferralHistoryEntry } from "./referral.js";
import { ReferralNeed, ReferralStatus } from "./referral.js";
import type { Result } from "./result.js";
import { err, ok } from "./result.js";
import { ServicePeople, ServicePeopleAccumulator, type UseAttributes } from "./service-people.js";
import type { ServiceUse } from "./service-use.js";
import { ServiceUseSource } from "./service-use.js";
import type { Visit } from "./visit.js";
import {
  addToVisitorGroup,
  decodeVisitorGroup,
  emptyVisitorGroup,
  encodeVisitorGroup,
  uniteVisitorGroups,
  type VisitorGroup,
  VisitorGroupCounter,
  VisitorGroupCounts,
  VisitorGroupSignature,
} from "./visitor-groups.js";

/**
 * Mergeable partial aggregates (DOMAIN.md "Aggregation"). A partial is plain JSON in canonical form: keys
 * of closed sets (age bands, genders, sources, statuses) follow the order of their schema, keys of open
 * sets (languages, services, partners) are sorted by UTF-16 code unit, counts of zero are left out and sets
 * are sorted arrays. Two equal partials therefore serialise to the same bytes whatever the order in which
 * they were merged, which lets the nightly jobs store them and compare them byte for byte.
 */

/** The key used for a visit that did not state an age band, a gender or a language. */
export const UNKNOWN = "unknown";

/**
 * How many hex characters of a visitor-code hash a partial keeps. 64 bits: among n distinct visitors the
 * chance that two share a prefix (and are counted once) is about n² / 2⁶⁵, i.e. 3·10⁻¹⁰ for 100,000
 * visitors. It cuts the stored set to a quarter: about 19 bytes of JSON per distinct visitor and per day.
 */
export const VISITOR_CODE_PREFIX_LENGTH = 16;

const AGE_KEYS: readonly string[] = [...AgeBand.options, UNKNOWN];
const GENDER_KEYS: readonly string[] = [...Gender.options, UNKNOWN];
const SOURCE_KEYS: readonly string[] = ServiceUseSource.options;
const OUTCOME_STATUSES = ["completed", "failed", "rejected"] as const;
const AGE_INDEX = new Map(AGE_KEYS.map((key, index) => [key, index]));
const GENDER_INDEX = new Map(GENDER_KEYS.map((key, index) => [key, index]));
const SOURCE_INDEX = new Map(SOURCE_KEYS.map((key, index) => [key, index]));
const UNKNOWN_AGE = AGE_KEYS.length - 1;
const UNKNOWN_GENDER = GENDER_KEYS.length - 1;
const GENDER_COUNT = GENDER_KEYS.length;
const SECONDS_PER_DAY = 86_400;

const Count = z.int().min(0);
const CountsOf = <K extends z.ZodType<string>>(key: K) => z.record(key, Count);

/** Uses of one service: a record counts once in `uses`, its `quantity` adds up in `quantity`. */
export const UseCounts = z.object({ uses: Count, quantity: Count });
export type UseCounts = z.infer<typeof UseCounts>;

/** The uses of one service in a partial, in total and split by where the count came from. */
export const ServiceTally = z.object({
  uses: Count,
  quantity: Count,
  bySource: z.partialRecord(ServiceUseSource, UseCounts),
  /** The cell key of the service's use records (the sum of their record keys, modulo 2³²). */
  key: CellKey.optional(),
  /** Who used it: by age band × gender and language of the visit each use was recorded with. */
  people: ServicePeople.optional(),
});
export type ServiceTally = z.infer<typeof ServiceTally>;

const AgeKey = z.enum([...AgeBand.options, UNKNOWN]);
const GenderKey = z.enum([...Gender.options, UNKNOWN]);
const LanguageKey = z.union([LanguageCode, z.literal(UNKNOWN)]);

/**
 * The cell keys of a partial's counts (see `cell-key.ts`): each is the sum, modulo 2³², of the record keys
 * of the visits it counts, so keys merge like counts. `anonymisedVisitors` holds the visitor keys of the
 * prefixes dropped at retention, so unique visitors keep their key. Keys of zero counts are left out.
 */
export const VisitCellKeys = z.object({
  visits: CellKey,
  firstVisits: CellKey,
  anonymisedVisitors: CellKey,
  byAgeBandGender: z.partialRecord(AgeKey, z.partialRecord(GenderKey, CellKey)),
  byLanguage: z.record(LanguageKey, CellKey),
  byHour: z.array(CellKey).length(24),
});
export type VisitCellKeys = z.infer<typeof VisitCellKeys>;

/**
 * Counts of one centre over one period (a local day, or any union of days). `byAgeBand` and `byGender`
 * are the margins of `byAgeBandGender` and are recomputed from it whenever a partial is built, merged or
 * parsed. `visitorCodes` holds the first {@link VISITOR_CODE_PREFIX_LENGTH} hex characters of each
 * distinct visitor-code hash, sorted: it is what makes unique visitors exact under merge, and it is
 * pseudonymous personal data, so it falls under the retention rule like the hashes themselves: once a day
 * is past retention, {@link anonymiseVisitorCodes} drops its prefixes and keeps only their number in
 * `anonymisedVisitors` (left out when zero). `uniqueVisitors` is the number of distinct prefixes plus the
 * sum of `anonymisedVisitors`: exact within an anonymised day, and across several anonymised days an upper
 * bound — with the codes gone, nothing links one person's visits any more, which is the point.
 */
export const VisitAggregate = z.object({
  visits: Count,
  firstVisits: Count,
  visitsWithCode: Count,
  uniqueVisitors: Count,
  /** Distinct visitors of anonymised days, whose code prefixes were dropped at retention. */
  anonymisedVisitors: Count.optional(),
  byAgeBand: z.partialRecord(AgeKey, Count),
  byGender: z.partialRecord(GenderKey, Count),
  byAgeBandGender: z.partialRecord(AgeKey, z.partialRecord(GenderKey, Count)),
  byLanguage: CountsOf(LanguageKey),
  /** Arrivals per local hour of day, index 0 is 00:00–00:59. */
  byHour: z.array(Count).length(24),
  services: z.record(Id, ServiceTally),
  visitorCodes: z.array(z.string().regex(/^[0-9a-f]{1,64}$/)),
  /** The groups each visitor was counted in, same order as `visitorCodes` (see `visitor-groups.ts`). */
  visitorGroups: z.array(VisitorGroupSignature).optional(),
  /** Anonymised visitors by group, once their prefixes went at retention. */
  anonymisedGroups: VisitorGroupCounts.optional(),
  /** Cell keys for consistent perturbation; a partial stored before they existed reads as all zero. */
  keys: VisitCellKeys.optional(),
});
export type VisitAggregate = z.infer<typeof VisitAggregate>;

/** Partials of several centres and periods: centre id → period code (or local day) → partial. */
export type VisitAggregatesByCentre = Record<string, Record<string, VisitAggregate>>;

/** The period a roll-up produces, coded `2026-11-28`, `2026W48`, `202611`, `2026Q4` or `2026`. */
export type RollUpPeriod = "day" | "week" | "month" | "quarter" | "year";

/** The time zone of each centre, one for all or looked up by centre id. */
export interface AggregateOptions {
  readonly timeZone: string | ((centreId: string) => string);
}

/** Why a stored partial was refused. */
export interface AggregateParseError {
  readonly code: "invalid_aggregate";
  readonly message: string;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedRecord<V>(map: ReadonlyMap<string, V>, keep: (value: V) => boolean): Record<string, V> {
  const keys = [...map.keys()].sort(compareCodeUnits);
  const entries: [string, V][] = [];
  for (const key of keys) {
    const value = map.get(key) as V;
    if (keep(value)) entries.push([key, value]);
  }
  // fromEntries defines own properties, so even an odd key can never reach a prototype.
  return Object.fromEntries(entries);
}

function addTo(map: Map<string, number>, key: string, amount: number): void {
  map.set(key, (map.get(key) ?? 0) + amount);
}

function addKeyAt(keys: number[], index: number, key: number): void {
  keys[index] = addCellKeys(keys[index] as number, key);
}

/**
 * A stored record with its random record key (see `cell-key.ts`): the database draws one for every visit,
 * service use and referral. A record without one counts with key 0: a cell made only of such records always
 * takes the lowest outcome of its row (counts of at least k + D published exactly D low), so the Worker
 * always supplies keys, and partials rolled before keys existed must be rebuilt.
 */
export type KeyedRecord<T> = T & { readonly recordKey?: number };

/**
 * The cell key of the unique visitors of a partial: the visitor keys of its distinct code prefixes plus
 * those of visitors anonymised at retention. The same people give the same key over any union of days
 * whose codes are still held.
 *
 * @example
 * uniqueVisitorsCellKey(monthPartial); // a whole number in [0, 2³²)
 */
export function uniqueVisitorsCellKey(aggregate: VisitAggregate): number {
  let key = aggregate.keys?.anonymisedVisitors ?? 0;
  for (const prefix of aggregate.visitorCodes) key = addCellKeys(key, visitorCellKey(prefix));
  return key;
}

class ServiceAccumulator {
  uses = 0;
  quantity = 0;
  key = 0;
  readonly people = new ServicePeopleAccumulator();
  readonly sourceUses: number[] = SOURCE_KEYS.map(() => 0);
  readonly sourceQuantity: number[] = SOURCE_KEYS.map(() => 0);

  finish(): ServiceTally {
    const bySource: Record<string, UseCounts> = {};
    for (let s = 0; s < SOURCE_KEYS.length; s++) {
      const uses = this.sourceUses[s] as number;
      if (uses > 0) bySource[SOURCE_KEYS[s] as string] = { uses, quantity: this.sourceQuantity[s] as number };
    }
    const people = this.people.finish();
    return {
      uses: this.uses,
      quantity: this.quantity,
      bySource,
      key: this.key,
      ...(people ? { people } : {}),
    };
  }
}

/** The mutable builder behind every partial: filled from rows or from other partials, then frozen. */
class VisitAccumulator {
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

  private groupOf(code: string): VisitorGroup {
    let group = this.groups.get(code);
    if (group === undefined) {
      group = emptyVisitorGroup();
      this.groups.set(code, group);
    }
    return group;
  }

  addVisit(visit: KeyedRecord<Visit>, hour: number): void {
    const key = visit.recordKey ?? 0;
    this.visits++;
    this.visitsKey = addCellKeys(this.visitsKey, key);
    if (visit.firstVisit === true) {
      this.firstVisits++;
      this.firstVisitsKey = addCellKeys(this.firstVisitsKey, key);
    }
    if (visit.visitorCodeHash !== null) {
      this.visitsWithCode++;
      this.codes.add(visit.visitorCodeHash);
      addToVisitorGroup(this.groupOf(visit.visitorCodeHash), visit.ageBand, visit.gender, visit.languages);
    }
    const age = visit.ageBand === null ? UNKNOWN_AGE : AGE_INDEX.get(visit.ageBand);
    const gender = visit.gender === null ? UNKNOWN_GENDER : GENDER_INDEX.get(visit.gender);
    if (age === undefined || gender === undefined) {
      throw new RangeError(`Unknown age band or gender on visit ${visit.id}`);
    }
    (this.ageGender[age * GENDER_COUNT + gender] as number)++;
    addKeyAt(this.ageGenderKeys, age * GENDER_COUNT + gender, key);
    const languages = visit.languages;
    if (languages.length === 0) this.addLanguage(UNKNOWN, 1, key);
    else {
      // A visit that lists a language twice still speaks it once.
      for (let i = 0; i < languages.length; i++) {
        const language = languages[i] as string;
        if (languages.indexOf(language) === i) this.addLanguage(language, 1, key);
      }
    }
    (this.hours[hour] as number)++;
    addKeyAt(this.hourKeys, hour, key);
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

  addUse(use: KeyedRecord<ServiceUse>, visit?: UseAttributes): void {
    const source = SOURCE_INDEX.get(use.source);
    if (source === undefined) throw new RangeError(`Unknown service use source ${use.source}`);
    const service = this.service(use.serviceId);
    service.uses++;
    service.key = addCellKeys(service.key, use.recordKey ?? 0);
    service.people.add(visit, 1, use.recordKey ?? 0);
    service.quantity += use.quantity;
    (service.sourceUses[source] as number)++;
    (service.sourceQuantity[source] as number) += use.quantity;
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
    // Sorting the full hashes and cutting them afterwards gives the same order (a prefix of a sorted list
    // stays sorted) and is three times faster than sorting sliced strings. The default sort compares UTF-16
    // code units, which is the canonical order.
    const codes = [...this.codes].sort();
    const visitorCodes: string[] = [];
    const groups: VisitorGroup[] = [];
    let previous = "";
    for (const code of codes) {
      const prefix =
        code.length > VISITOR_CODE_PREFIX_LENGTH ? code.slice(0, VISITOR_CODE_PREFIX_LENGTH) : code;
      // Two codes of one prefix are one visitor: their groups unite.
      if (prefix !== previous) {
        visitorCodes.push(prefix);
        groups.push(emptyVisitorGroup());
      }
      uniteVisitorGroups(groups[groups.length - 1] as VisitorGroup, this.groupOf(code));
      previous = prefix;
    }
    const anonymisedGroups = this.anonymisedGroups.finish();
    const services = new Map<string, ServiceTally>();
    for (const [serviceId, service] of this.services) services.set(serviceId, service.finish());
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
      ...(visitorCodes.length > 0 ? { visitorGroups: groups.map(encodeVisitorGroup) } : {}),
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
  const anonymised = new VisitAccumulator().absorb({ ...canonical, visitorCodes: [], visitorGroups: [] });
  anonymised.anonymisedVisitors += canonical.visitorCodes.length;
  canonical.visitorCodes.forEach((prefix, i) => {
    anonymised.anonymisedVisitorsKey = addCellKeys(anonymised.anonymisedVisitorsKey, visitorCellKey(prefix));
    anonymised.anonymisedGroups.addVisitor(
      decodeVisitorGroup(canonical.visitorGroups?.[i]),
      visitorCellKey(prefix),
    );
  });
  return anonymised.finish();
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
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    return err({
      code: "invalid_aggregate",
      message: error instanceof Error ? error.message : "Invalid JSON",
    });
  }
  const parsed = VisitAggregate.safeParse(raw);
  if (!parsed.success) return err({ code: "invalid_aggregate", message: z.prettifyError(parsed.error) });
  return ok(new VisitAccumulator().absorb(parsed.data).finish());
}

// ---------------------------------------------------------------------------------------------------
// Calendar arithmetic on day numbers (days since 1970-01-01), proleptic Gregorian (H. Hinnant's method).

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z0 = days + 719_468;
  const era = Math.floor(z0 / 146_097);
  const doe = z0 - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}

function formatDay(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

const DAY_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDay(key: string): number {
  const match = DAY_KEY.exec(key);
  if (match === null) throw new RangeError(`Expected a local day YYYY-MM-DD, got ${key}`);
  const days = daysFromCivil(Number(match[1]), Number(match[2]), Number(match[3]));
  if (formatDay(days) !== key) throw new RangeError(`No such day ${key}`);
  return days;
}

function periodCodeOfDay(days: number, period: RollUpPeriod): string {
  const { year, month } = civilFromDays(days);
  switch (period) {
    case "day":
      return formatDay(days);
    case "month":
      return `${pad(year, 4)}${pad(month, 2)}`;
    case "quarter":
      return `${pad(year, 4)}Q${Math.ceil(month / 3)}`;
    case "year":
      return pad(year, 4);
    case "week": {
      // ISO 8601: a week belongs to the year of its Thursday; 1970-01-01 was a Thursday.
      const weekday = (((days + 3) % 7) + 7) % 7;
      const thursday = days - weekday + 3;
      const weekYear = civilFromDays(thursday).year;
      const week = Math.floor((thursday - daysFromCivil(weekYear, 1, 1)) / 7) + 1;
      return `${pad(weekYear, 4)}W${pad(week, 2)}`;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Instants to local wall-clock seconds.

const OFFSET_SUFFIX = /(?:Z|[+-]\d{2}:?\d{2})$/i;

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** Two decimal digits at `i`, or a large negative number that fails every range check after it. */
function twoDigits(text: string, i: number): number {
  const high = text.charCodeAt(i) - 48;
  const low = text.charCodeAt(i + 1) - 48;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -10_000;
}

function isDigits(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
  }
  return true;
}

/**
 * Seconds since the epoch of an ISO 8601 instant. Stored instants all look alike (`…T08:15:00Z`), so they
 * are read digit by digit; anything else goes through `Date.parse`. Fractions of a second are dropped:
 * they never move an instant across a local hour.
 */
function epochSecondsOf(instant: string): number {
  const n = instant.length;
  if (
    n >= 20 &&
    instant.charCodeAt(4) === 45 &&
    instant.charCodeAt(7) === 45 &&
    (instant.charCodeAt(10) === 84 || instant.charCodeAt(10) === 116) &&
    instant.charCodeAt(13) === 58 &&
    instant.charCodeAt(16) === 58
  ) {
    let offsetSeconds = Number.NaN;
    let end = n;
    const last = instant.charCodeAt(n - 1);
    if (last === 90 || last === 122) {
      offsetSeconds = 0;
      end = n - 1;
    } else if (instant.charCodeAt(n - 3) === 58) {
      const sign = instant.charCodeAt(n - 6);
      const magnitude = twoDigits(instant, n - 5) * 3600 + twoDigits(instant, n - 2) * 60;
      if (sign === 43) offsetSeconds = magnitude;
      else if (sign === 45) offsetSeconds = -magnitude;
      end = n - 6;
    }
    const fractionOk =
      end === 19 || (end > 20 && instant.charCodeAt(19) === 46 && isDigits(instant, 20, end));
    const year = twoDigits(instant, 0) * 100 + twoDigits(instant, 2);
    const month = twoDigits(instant, 5);
    const day = twoDigits(instant, 8);
    const hour = twoDigits(instant, 11);
    const minute = twoDigits(instant, 14);
    const second = twoDigits(instant, 17);
    if (
      fractionOk &&
      offsetSeconds >= -86_400 &&
      offsetSeconds <= 86_400 &&
      year >= 0 &&
      hour >= 0 &&
      minute >= 0 &&
      second >= 0 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= daysInMonth(year, month) &&
      hour <= 23 &&
      minute <= 59 &&
      second <= 59
    ) {
      return (
        daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offsetSeconds
      );
    }
  }
  // Without an offset Date.parse would read the host's zone, making the result depend on the machine.
  if (!OFFSET_SUFFIX.test(instant)) throw new RangeError(`An instant needs Z or an offset: ${instant}`);
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO 8601 instant: ${instant}`);
  return Math.floor(ms / 1000);
}

/**
 * Local wall-clock time in one zone, as seconds since the local epoch. Asking Intl costs microseconds, so
 * the offset is asked once per UTC day: if it is the same at both ends of the day it holds for the whole day
 * (no zone changes its offset and back within 24 hours). A day with a change is split into hours the same
 * way, and an hour with a change inside it (Lord Howe's half-hour DST) is resolved instant by instant.
 */
class ZoneClock {
  private readonly formatter: Intl.DateTimeFormat;
  private readonly spans = new Map<number, number>();
  // The span of the last lookup: rows usually come in time order, so most lookups end here.
  private spanStart = 0;
  private spanEnd = 0;
  private spanOffset = 0;

  constructor(timeZone: string) {
    this.formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  }

  private offsetAt(epochSeconds: number): number {
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let beforeCommonEra = false;
    for (const part of this.formatter.formatToParts(epochSeconds * 1000)) {
      switch (part.type) {
        case "era":
          beforeCommonEra = part.value === "BC" || part.value === "B";
          break;
        case "year":
          year = Number(part.value);
          break;
        case "month":
          month = Number(part.value);
          break;
        case "day":
          day = Number(part.value);
          break;
        case "hour":
          hour = Number(part.value) % 24;
          break;
        case "minute":
          minute = Number(part.value);
          break;
        case "second":
          second = Number(part.value);
          break;
      }
    }
    if (beforeCommonEra) year = 1 - year;
    const local = daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
    return local - epochSeconds;
  }

  /** The offset over [start, start + length), or NaN if it changes inside; keyed by start (days and hours never share one). */
  private spanOffsetOf(start: number, length: number): number {
    const key = length === SECONDS_PER_DAY ? start : -start - 1;
    let offset = this.spans.get(key);
    if (offset === undefined) {
      const atStart = this.offsetAt(start);
      offset = atStart === this.offsetAt(start + length - 1) ? atStart : Number.NaN;
      this.spans.set(key, offset);
    }
    if (!Number.isNaN(offset)) {
      this.spanStart = start;
      this.spanEnd = start + length;
      this.spanOffset = offset;
    }
    return offset;
  }

  localSeconds(epochSeconds: number): number {
    if (epochSeconds >= this.spanStart && epochSeconds < this.spanEnd) return epochSeconds + this.spanOffset;
    const dayStart = Math.floor(epochSeconds / SECONDS_PER_DAY) * SECONDS_PER_DAY;
    let offset = this.spanOffsetOf(dayStart, SECONDS_PER_DAY);
    if (Number.isNaN(offset)) offset = this.spanOffsetOf(Math.floor(epochSeconds / 3600) * 3600, 3600);
    if (Number.isNaN(offset)) offset = this.offsetAt(epochSeconds);
    return epochSeconds + offset;
  }
}

interface CentreDays {
  readonly clock: ZoneClock;
  readonly days: Map<number, VisitAccumulator>;
}

function finishByCentre<K>(
  centres: ReadonlyMap<string, ReadonlyMap<K, VisitAccumulator>>,
  keyOf: (key: K) => string,
): VisitAggregatesByCentre {
  const result = new Map<string, Record<string, VisitAggregate>>();
  for (const [centreId, periods] of centres) {
    const keyed = new Map<string, VisitAggregate>();
    for (const [key, accumulator] of periods) keyed.set(keyOf(key), accumulator.finish());
    result.set(
      centreId,
      sortedRecord(keyed, () => true),
    );
  }
  return sortedRecord(result, () => true);
}

/**
 * Counts visits and service uses per centre and per local day of the centre (DST-safe): the result maps
 * centre id → `YYYY-MM-DD` → partial. A visit counts on the day and hour it arrived, a service use on the
 * day it was used, both read in the centre's time zone. Invalid instants or time zones are bugs and throw.
 *
 * @example
 * const days = aggregateVisitsByDay(visits, uses, { timeZone: "Europe/Paris" });
 * days["halte"]?.["2026-03-29"]?.visits; // arrivals from 00:00 to 23:59 Paris time
 */
export function aggregateVisitsByDay(
  visits: Iterable<KeyedRecord<Visit>>,
  uses: Iterable<KeyedRecord<ServiceUse>>,
  options: AggregateOptions,
): VisitAggregatesByCentre {
  const centres = new Map<string, CentreDays>();
  const clocks = new Map<string, ZoneClock>();
  let lastCentreId: string | undefined;
  let lastCentre: CentreDays | undefined;

  const centreOf = (centreId: string): CentreDays => {
    if (centreId === lastCentreId && lastCentre !== undefined) return lastCentre;
    let centre = centres.get(centreId);
    if (centre === undefined) {
      const timeZone = typeof options.timeZone === "string" ? options.timeZone : options.timeZone(centreId);
      let clock = clocks.get(timeZone);
      if (clock === undefined) {
        clock = new ZoneClock(timeZone);
        clocks.set(timeZone, clock);
      }
      centre = { clock, days: new Map() };
      centres.set(centreId, centre);
    }
    lastCentreId = centreId;
    lastCentre = centre;
    return centre;
  };

  const dayOf = (centre: CentreDays, day: number): VisitAccumulator => {
    let accumulator = centre.days.get(day);
    if (accumulator === undefined) {
      accumulator = new VisitAccumulator();
      centre.days.set(day, accumulator);
    }
    return accumulator;
  };

  // A use recorded with a visit is counted under that visit's age band, gender and languages.
  const visitsById = new Map<string, UseAttributes>();
  for (const visit of visits) {
    visitsById.set(visit.id, visit);
    const centre = centreOf(visit.centreId);
    const local = centre.clock.localSeconds(epochSecondsOf(visit.arrivedAt));
    const day = Math.floor(local / SECONDS_PER_DAY);
    const hour = Math.floor((local - day * SECONDS_PER_DAY) / 3600);
    dayOf(centre, day).addVisit(visit, hour);
  }
  for (const use of uses) {
    const centre = centreOf(use.centreId);
    const local = centre.clock.localSeconds(epochSecondsOf(use.usedAt));
    const visit = use.visitId === null ? undefined : visitsById.get(use.visitId);
    dayOf(centre, Math.floor(local / SECONDS_PER_DAY)).addUse(use, visit);
  }

  const byCentre = new Map<string, Map<number, VisitAccumulator>>();
  for (const [centreId, centre] of centres) byCentre.set(centreId, centre.days);
  return finishByCentre(byCentre, formatDay);
}

/**
 * Rolls daily partials up into weeks (ISO 8601: week 1 holds the year's first Thursday), months, quarters
 * or years, by merging the days — never by going back to the rows — so a roll-up of stored days gives what
 * aggregating the whole period at once would. Keys are period codes: `2026W53`, `202612`, `2026Q4`, `2026`.
 *
 * @example
 * const months = rollUp(aggregateVisitsByDay(visits, uses, { timeZone: "Europe/Paris" }), "month");
 * months["halte"]?.["202611"]?.visits; // every arrival of November 2026, Paris time
 */
export function rollUp(days: VisitAggregatesByCentre, period: RollUpPeriod): VisitAggregatesByCentre {
  const codeOfDay = new Map<string, string>();
  const centres = new Map<string, Map<string, VisitAccumulator>>();
  for (const [centreId, byDay] of Object.entries(days)) {
    const periods = new Map<string, VisitAccumulator>();
    for (const [dayKey, partial] of Object.entries(byDay)) {
      let code = codeOfDay.get(dayKey);
      if (code === undefined) {
        code = periodCodeOfDay(parseDay(dayKey), period);
        codeOfDay.set(dayKey, code);
      }
      let accumulator = periods.get(code);
      if (accumulator === undefined) {
        accumulator = new VisitAccumulator();
        periods.set(code, accumulator);
      }
      accumulator.absorb(partial);
    }
    centres.set(centreId, periods);
  }
  return finishByCentre(centres, (code) => code);
}

// ---------------------------------------------------------------------------------------------------
// Capacity.

/** A service that reached its capacity on a day. */
export interface SaturatedDay {
  readonly serviceId: string;
  readonly day: string;
  readonly used: number;
  readonly capacity: number;
}

/** Utilisation per service and day (`used / capacity`), and the days when use reached capacity. */
export interface CapacityUtilisation {
  readonly ratios: Record<string, Record<string, number>>;
  readonly saturated: SaturatedDay[];
}

/** Service id → local day → a number (uses, or capacity). */
export type ServiceDayCounts = Readonly<Record<string, Readonly<Record<string, number>>>>;

/**
 * Reads the use of each service per day out of daily partials of one centre, as input to
 * {@link capacityUtilisation}. `quantity` (the default) counts people served — a partner's bulk report of
 * 14 consultations is 14 — while `uses` counts records.
 *
 * @example
 * serviceUsePerDay(days["halte"] ?? {}); // { showers: { "2026-11-28": 12 }, … }
 */
export function serviceUsePerDay(
  days: Readonly<Record<string, VisitAggregate>>,
  measure: "quantity" | "uses" = "quantity",
): Record<string, Record<string, number>> {
  const byService = new Map<string, Map<string, number>>();
  for (const [day, partial] of Object.entries(days)) {
    for (const [serviceId, tally] of Object.entries(partial.services)) {
      let perDay = byService.get(serviceId);
      if (perDay === undefined) {
        perDay = new Map();
        byService.set(serviceId, perDay);
      }
      perDay.set(day, tally[measure]);
    }
  }
  const entries = new Map<string, Record<string, number>>();
  for (const [serviceId, perDay] of byService)
    entries.set(
      serviceId,
      sortedRecord(perDay, () => true),
    );
  return sortedRecord(entries, () => true);
}

function countOf(counts: ServiceDayCounts, serviceId: string, day: string): number {
  const perDay = Object.hasOwn(counts, serviceId) ? counts[serviceId] : undefined;
  return perDay !== undefined && Object.hasOwn(perDay, day) ? (perDay[day] ?? 0) : 0;
}

/**
 * Compares use with capacity for every service and day that has a capacity: the ratio `used / capacity`
 * (above 1 when a service served more than planned) and the days when use reached capacity (`used ≥
 * capacity`), sorted by service then day. A day without a positive capacity (closed, or capacity unknown)
 * has no ratio: utilisation is undefined there rather than zero or infinite.
 *
 * @example
 * capacityUtilisation({ showers: { "2026-11-28": 12 } }, { showers: { "2026-11-28": 12 } });
 * // { ratios: { showers: { "2026-11-28": 1 } }, saturated: [{ serviceId: "showers", day: "2026-11-28", used: 12, capacity: 12 }] }
 */
export function capacityUtilisation(
  usedPerServicePerDay: ServiceDayCounts,
  capacityPerServicePerDay: ServiceDayCounts,
): CapacityUtilisation {
  const ratios = new Map<string, Record<string, number>>();
  const saturated: SaturatedDay[] = [];
  for (const serviceId of Object.keys(capacityPerServicePerDay).sort(compareCodeUnits)) {
    const capacities = capacityPerServicePerDay[serviceId] ?? {};
    const perDay = new Map<string, number>();
    for (const day of Object.keys(capacities).sort(compareCodeUnits)) {
      const capacity = capacities[day] ?? 0;
      if (!(capacity > 0) || !Number.isFinite(capacity)) continue;
      const used = countOf(usedPerServicePerDay, serviceId, day);
      perDay.set(day, used / capacity);
      if (used >= capacity) saturated.push({ serviceId, day, used, capacity });
    }
    ratios.set(
      serviceId,
      sortedRecord(perDay, () => true),
    );
  }
  return { ratios: sortedRecord(ratios, () => true), saturated };
}

// ---------------------------------------------------------------------------------------------------
// Referrals.

const OutcomeStatus = z.enum(OUTCOME_STATUSES);
const SortedDurations = z.array(z.int().min(0));

/**
 * Counts of a set of referrals: by need, partner, current status, need × status, and the people's age
 * band, gender and languages; plus, for each outcome (`completed`, `failed`, `rejected`), the sorted list
 * of times from request to outcome in seconds. Keeping every duration (8 bytes each) is what keeps medians
 * exact under merge. `untimedOutcomes` counts outcomes whose request or closing instant is missing or out
 * of order, so they are visible rather than silently dropped.
 */
export const ReferralAggregate = z.object({
  referrals: Count,
  byNeed: z.partialRecord(ReferralNeed, Count),
  byPartner: z.record(Id, Count),
  byStatus: z.partialRecord(ReferralStatus, Count),
  byNeedStatus: z.partialRecord(ReferralNeed, z.partialRecord(ReferralStatus, Count)),
  byAgeBand: z.partialRecord(AgeKey, Count),
  byGender: z.partialRecord(GenderKey, Count),
  byLanguage: CountsOf(LanguageKey),
  timeToOutcomeSeconds: z.partialRecord(OutcomeStatus, SortedDurations),
  untimedOutcomes: Count,
  /**
   * Cell keys of the finest disjoint cells, for consistent perturbation (see `cell-key.ts` and
   * {@link referralCellId}): need × status, partner × status, age band, gender, language, and the timed
   * outcomes. Coarser cells (a need, a status, a partner, all referrals) add their parts' keys.
   */
  keys: z.record(z.string().max(200), CellKey).optional(),
});
export type ReferralAggregate = z.infer<typeof ReferralAggregate>;

/** The finest cells of a referral partial that carry a key: see {@link referralCellId}. */
export type ReferralCell =
  | readonly ["need-status", need: string, status: string]
  | readonly ["partner-status", partnerId: string, status: string]
  | readonly ["age-band" | "gender" | "language" | "timed", group: string];

/**
 * The name under which a referral partial keeps the cell key of one of its finest cells.
 *
 * @example
 * referralCellId(["need-status", "health", "completed"]); // "need-status|health|completed"
 */
export function referralCellId(cell: ReferralCell): string {
  return cell.join("|");
}

class ReferralAccumulator {
  referrals = 0;
  untimedOutcomes = 0;
  readonly keys = new Map<string, number>();

  addKey(cell: ReferralCell, key: number): void {
    const id = referralCellId(cell);
    this.keys.set(id, addCellKeys(this.keys.get(id) ?? 0, key));
  }
  readonly byNeed = new Map<string, number>();
  readonly byPartner = new Map<string, number>();
  readonly byStatus = new Map<string, number>();
  readonly byNeedStatus = new Map<string, Map<string, number>>();
  readonly byAgeBand = new Map<string, number>();
  readonly byGender = new Map<string, number>();
  readonly byLanguage = new Map<string, number>();
  readonly durations = new Map<string, number[]>();

  addNeedStatus(need: string, status: string, count: number): void {
    let statuses = this.byNeedStatus.get(need);
    if (statuses === undefined) {
      statuses = new Map();
      this.byNeedStatus.set(need, statuses);
    }
    addTo(statuses, status, count);
  }

  addDurations(outcome: string, seconds: readonly number[]): void {
    let list = this.durations.get(outcome);
    if (list === undefined) {
      list = [];
      this.durations.set(outcome, list);
    }
    for (const value of seconds) list.push(value);
  }

  absorb(partial: ReferralAggregate): this {
    this.referrals += partial.referrals;
    this.untimedOutcomes += partial.untimedOutcomes;
    const pairs: [Map<string, number>, Record<string, number | undefined>][] = [
      [this.byNeed, partial.byNeed],
      [this.byPartner, partial.byPartner],
      [this.byStatus, partial.byStatus],
      [this.byAgeBand, partial.byAgeBand],
      [this.byGender, partial.byGender],
      [this.byLanguage, partial.byLanguage],
    ];
    for (const [map, record] of pairs) {
      for (const [key, count] of Object.entries(record)) addTo(map, key, count ?? 0);
    }
    for (const [need, statuses] of Object.entries(partial.byNeedStatus)) {
      for (const [status, count] of Object.entries(statuses ?? {}))
        this.addNeedStatus(need, status, count ?? 0);
    }
    for (const [outcome, seconds] of Object.entries(partial.timeToOutcomeSeconds)) {
      this.addDurations(outcome, seconds ?? []);
    }
    for (const [id, key] of Object.entries(partial.keys ?? {})) {
      this.keys.set(id, addCellKeys(this.keys.get(id) ?? 0, key));
    }
    return this;
  }

  finish(): ReferralAggregate {
    const positive = (count: number) => count > 0;
    const inOrder = (keys: readonly string[], map: ReadonlyMap<string, number>) => {
      const record: Record<string, number> = {};
      for (const key of keys) {
        const count = map.get(key) ?? 0;
        if (count > 0) record[key] = count;
      }
      return record;
    };
    const byNeedStatus: Record<string, Record<string, number>> = {};
    for (const need of ReferralNeed.options) {
      const statuses = this.byNeedStatus.get(need);
      if (statuses === undefined) continue;
      const row = inOrder(ReferralStatus.options, statuses);
      if (Object.keys(row).length > 0) byNeedStatus[need] = row;
    }
    const timeToOutcomeSeconds: Record<string, number[]> = {};
    for (const outcome of OUTCOME_STATUSES) {
      const list = this.durations.get(outcome);
      if (list !== undefined && list.length > 0)
        timeToOutcomeSeconds[outcome] = list.slice().sort((a, b) => a - b);
    }
    return {
      referrals: this.referrals,
      byNeed: inOrder(ReferralNeed.options, this.byNeed),
      byPartner: sortedRecord(this.byPartner, positive),
      byStatus: inOrder(ReferralStatus.options, this.byStatus),
      byNeedStatus,
      byAgeBand: inOrder(AGE_KEYS, this.byAgeBand),
      byGender: inOrder(GENDER_KEYS, this.byGender),
      byLanguage: sortedRecord(this.byLanguage, positive),
      timeToOutcomeSeconds,
      untimedOutcomes: this.untimedOutcomes,
      keys: sortedRecord(this.keys, () => true),
    };
  }
}

function isOutcome(status: string): status is (typeof OUTCOME_STATUSES)[number] {
  return (OUTCOME_STATUSES as readonly string[]).includes(status);
}

/**
 * Counts referrals by need, partner, current status, need × status, age band, gender and language, and
 * measures the time from request (`requestedAt`) to outcome (`closedAt`) of those that ended `completed`,
 * `failed` or `rejected`, in whole seconds. When `history` is given it fills in a missing `requestedAt`
 * (first move to `requested`) or `closedAt` (last move to the final status). Each referral must sit in
 * exactly one partial (e.g. by the day it was requested) for merged partials to stay exact.
 *
 * @example
 * const agg = aggregateReferrals(referrals, history);
 * agg.byNeedStatus.accommodation?.rejected; // accommodation referrals the partners turned down
 */
export function aggregateReferrals(
  referrals: Iterable<KeyedRecord<Referral>>,
  history: Iterable<ReferralHistoryEntry> = [],
): ReferralAggregate {
  const requestedFromHistory = new Map<string, number>();
  const closedFromHistory = new Map<string, { status: string; at: number }[]>();
  for (const entry of history) {
    if (entry.event !== undefined && entry.event !== "status_changed") continue;
    const at = epochSecondsOf(entry.at);
    if (entry.to === "requested") {
      const known = requestedFromHistory.get(entry.referralId);
      if (known === undefined || at < known) requestedFromHistory.set(entry.referralId, at);
    }
    if (isOutcome(entry.to)) {
      const list = closedFromHistory.get(entry.referralId) ?? [];
      list.push({ status: entry.to, at });
      closedFromHistory.set(entry.referralId, list);
    }
  }

  const acc = new ReferralAccumulator();
  for (const referral of referrals) {
    acc.referrals++;
    addTo(acc.byNeed, referral.need, 1);
    addTo(acc.byPartner, referral.partnerId, 1);
    addTo(acc.byStatus, referral.status, 1);
    acc.addNeedStatus(referral.need, referral.status, 1);
    addTo(acc.byAgeBand, referral.ageBand ?? UNKNOWN, 1);
    addTo(acc.byGender, referral.gender ?? UNKNOWN, 1);
    const languages = new Set(referral.languages);
    if (languages.size === 0) addTo(acc.byLanguage, UNKNOWN, 1);
    for (const language of languages) addTo(acc.byLanguage, language, 1);
    const key = referral.recordKey ?? 0;
    acc.addKey(["need-status", referral.need, referral.status], key);
    acc.addKey(["partner-status", referral.partnerId, referral.status], key);
    acc.addKey(["age-band", referral.ageBand ?? UNKNOWN], key);
    acc.addKey(["gender", referral.gender ?? UNKNOWN], key);
    for (const language of languages.size === 0 ? [UNKNOWN] : languages)
      acc.addKey(["language", language], key);

    if (!isOutcome(referral.status)) continue;
    const start =
      referral.requestedAt !== null
        ? epochSecondsOf(referral.requestedAt)
        : requestedFromHistory.get(referral.id);
    let end = referral.closedAt !== null ? epochSecondsOf(referral.closedAt) : undefined;
    if (end === undefined) {
      for (const move of closedFromHistory.get(referral.id) ?? []) {
        if (move.status === referral.status && (end === undefined || move.at > end)) end = move.at;
      }
    }
    if (start === undefined || end === undefined || end < start) acc.untimedOutcomes++;
    else {
      acc.addDurations(referral.status, [end - start]);
      acc.addKey(["timed", referral.status], key);
    }
  }
  return acc.finish();
}

/**
 * The partial of no referral, identity of {@link mergeReferralAggregates}.
 *
 * @example
 * emptyReferralAggregate().referrals; // 0
 */
export function emptyReferralAggregate(): ReferralAggregate {
  return new ReferralAccumulator().finish();
}

/**
 * Adds two referral partials over disjoint sets of referrals: counts add up and the duration lists are
 * merged as multisets, so medians of the merge are exact. Associative, commutative, canonical; the inputs
 * are left unchanged.
 *
 * @example
 * const quarter = [january, february, march].reduce(mergeReferralAggregates, emptyReferralAggregate());
 */
export function mergeReferralAggregates(a: ReferralAggregate, b: ReferralAggregate): ReferralAggregate {
  return new ReferralAccumulator().absorb(a).absorb(b).finish();
}

/**
 * Serialises a referral partial to canonical JSON (equal partials give equal bytes).
 *
 * @example
 * serializeReferralAggregate(emptyReferralAggregate()).startsWith('{"referrals":0'); // true
 */
export function serializeReferralAggregate(aggregate: ReferralAggregate): string {
  return JSON.stringify(new ReferralAccumulator().absorb(aggregate).finish());
}

/**
 * Reads a stored referral partial back, in canonical form, or refuses it with `invalid_aggregate`.
 *
 * @example
 * const stored = parseReferralAggregate(row.json);
 */
export function parseReferralAggregate(json: string): Result<ReferralAggregate, AggregateParseError> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    return err({
      code: "invalid_aggregate",
      message: error instanceof Error ? error.message : "Invalid JSON",
    });
  }
  const parsed = ReferralAggregate.safeParse(raw);
  if (!parsed.success) return err({ code: "invalid_aggregate", message: z.prettifyError(parsed.error) });
  return ok(new ReferralAccumulator().absorb(parsed.data).finish());
}

/** Count, median and 90th percentile of times to outcome, in seconds; `null` when there is none. */
export interface TimeToOutcomeStats {
  readonly count: number;
  readonly median: number | null;
  readonly p90: number | null;
}

/**
 * Summarises the time from request to outcome, over all outcomes or one (`completed`, `failed`,
 * `rejected`). Quantiles use the nearest-rank method: the q-quantile of n sorted values is the value at
 * rank ⌈q·n⌉ (1-based), always a duration that really occurred; the median of 2 values is the smaller.
 *
 * @example
 * timeToOutcomeStats(agg, "completed"); // { count: 4, median: 86400, p90: 259200 }
 */
export function timeToOutcomeStats(
  aggregate: ReferralAggregate,
  outcome?: "completed" | "failed" | "rejected",
): TimeToOutcomeStats {
  const lists = Object.entries(aggregate.timeToOutcomeSeconds)
    .filter(([status]) => outcome === undefined || status === outcome)
    .map(([, seconds]) => seconds ?? []);
  const sorted = lists.flat().sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] ?? null;
  return { count: sorted.length, median: rank(0.5), p90: rank(0.9) };
}
