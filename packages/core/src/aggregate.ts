/**
 * Mergeable partial aggregates (DOMAIN.md "Aggregation"). A partial is plain JSON in canonical form: keys
 * of closed sets (age bands, genders, sources, statuses) follow the order of their schema, keys of open
 * sets (languages, services, partners) are sorted by UTF-16 code unit, counts of zero are left out and sets
 * are sorted arrays. Two equal partials therefore serialise to the same bytes whatever the order in which
 * they were merged, which lets the nightly jobs store them and compare them byte for byte.
 *
 * One file per subject: `visit-aggregate.ts` (the visit partial's schema), `visit-accumulator.ts` (the builder
 * behind every visit partial: merge, anonymise, serialise), `visit-columns.ts`, `visits-columnar.ts` and
 * `columnar-visitors.ts` (rows numbered into typed columns and counted into day partials),
 * `visit-figures-sum.ts` (the fast sum of partials without visitor codes, across centres), `visits-by-day.ts` (records to local
 * days, roll-ups), `capacity.ts`, `referral-aggregate.ts`; `aggregate-canonical.ts` holds
 * the canonical form they share. This barrel names the public API; report assembly is in `reports.ts`.
 */

export { type AggregateParseError, type KeyedRecord, UNKNOWN } from "./aggregate-canonical.js";
export {
  type CapacityUtilisation,
  capacityUtilisation,
  type SaturatedDay,
  type ServiceDayCounts,
  serviceUsePerDay,
} from "./capacity.js";
export {
  aggregateReferrals,
  emptyReferralAggregate,
  mergeReferralAggregates,
  parseReferralAggregate,
  ReferralAggregate,
  type ReferralCell,
  referralCellId,
  serializeReferralAggregate,
  type TimeToOutcomeStats,
  timeToOutcomeStats,
} from "./referral-aggregate.js";
export { type StreamedPeriods, StreamedRollUp } from "./streamed-roll-up.js";
export {
  anonymiseVisitorCodes,
  emptyVisitAggregate,
  mergeVisitAggregates,
  parseVisitAggregate,
  serializeVisitAggregate,
} from "./visit-accumulator.js";
export {
  ServiceTally,
  UseCounts,
  uniqueVisitorsCellKey,
  VISITOR_CODE_PREFIX_LENGTH,
  VisitAggregate,
  type VisitAggregatesByCentre,
  VisitCellKeys,
  visitorCodePrefix,
} from "./visit-aggregate.js";
export {
  addUseGroup,
  type UseColumnRow,
  UseColumns,
  type UseGroupRow,
  type VisitColumnRow,
  VisitColumns,
} from "./visit-columns.js";
export { CompactVisitSum, periodFiguresOf } from "./visit-figures-sum.js";
export { type AggregateOptions, aggregateVisitsByDay, type RollUpPeriod, rollUp } from "./visits-by-day.js";
export { aggregateVisitColumns } from "./visits-columnar.js";
