import { z } from "zod";
import {
  AGE_KEYS,
  AgeKey,
  type AggregateParseError,
  addTo,
  Count,
  CountsOf,
  GENDER_KEYS,
  GenderKey,
  type KeyedRecord,
  LanguageKey,
  parseStoredPartial,
  sortedRecord,
  UNKNOWN,
} from "./aggregate-canonical.js";
import { addCellKeys, CellKey } from "./cell-key.js";
import { Id } from "./common.js";
import type { Referral, ReferralHistoryEntry } from "./referral.js";
import { ReferralNeed, ReferralStatus } from "./referral.js";
import type { Result } from "./result.js";
import { epochSecondsOf } from "./zone-clock.js";

const OUTCOME_STATUSES = ["completed", "failed", "rejected"] as const;

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
  return parseStoredPartial(json, ReferralAggregate, (partial) =>
    new ReferralAccumulator().absorb(partial).finish(),
  );
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
