import { z } from "zod";
import { AgeKey, Count, CountsOf, GenderKey, LanguageKey } from "./aggregate-canonical.js";
import { addCellKeys, CellKey, visitorCellKey } from "./cell-key.js";
import { Id } from "./common.js";
import { ServicePeople } from "./service-people.js";
import { ServiceUseSource } from "./service-use.js";
import { VisitorGroupCounts, VisitorGroupSignature } from "./visitor-groups.js";

// The visit partial's schema; the accumulator that builds, merges and reads partials is
// visit-accumulator.ts.

/**
 * How many hex characters of a visitor-code hash a partial keeps. 64 bits: among n distinct visitors the
 * chance that two share a prefix (and are counted once) is about n² / 2⁶⁵, i.e. 3·10⁻¹⁰ for 100,000
 * visitors. It cuts the stored set to a quarter: about 19 bytes of JSON per distinct visitor and per day.
 */
export const VISITOR_CODE_PREFIX_LENGTH = 16;

/**
 * The part of a visitor-code hash a partial keeps: its first {@link VISITOR_CODE_PREFIX_LENGTH} characters.
 *
 * @example
 * visitorCodePrefix("0123456789abcdef0123"); // "0123456789abcdef"
 */
export function visitorCodePrefix(code: string): string {
  return code.length > VISITOR_CODE_PREFIX_LENGTH ? code.slice(0, VISITOR_CODE_PREFIX_LENGTH) : code;
}

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
