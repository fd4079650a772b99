import type { ReferralAggregate, ReferralCell } from "./aggregate.js";
import { referralCellId, timeToOutcomeStats, UNKNOWN } from "./aggregate.js";
import { addCellKeys, type KeyGrid, type PerturbationTable, perturbCount, perturbTable } from "./cell-key.js";
import { publishTable } from "./closed-lines.js";
import { AgeBand, Gender } from "./common.js";
import { type CountTable, type DisclosedCell, type DisclosedTable, openTable } from "./disclosure.js";
import { ReferralNeed, ReferralStatus } from "./referral.js";

// The referral funnel and time to outcome (see reports.ts).

/** The outcomes time to outcome is measured for, `all` being the three together. */
export const OUTCOMES = ["all", "completed", "failed", "rejected"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Time from request to outcome for one outcome: count, median and 90th percentile in seconds, or hidden. */
export type DisclosedTimeToOutcome =
  | {
      readonly outcome: Outcome;
      readonly suppressed: false;
      readonly count: number;
      readonly medianSeconds: number | null;
      readonly p90Seconds: number | null;
    }
  | { readonly outcome: Outcome; readonly suppressed: true; readonly reason: "primary" | "secondary" };

/** The referral report's figures: one shape for suppressed and open callers. */
export interface ReferralFigures {
  /** Rows: needs; columns: statuses in the lifecycle's order. Column totals are the funnel, row totals the needs. */
  readonly needStatus: DisclosedTable;
  /**
   * Rows: partner ids. Columns: the statuses (same order as `needStatus`) when `partnerStatus` was given —
   * its column totals are then the funnel again — else one column, `referrals`.
   */
  readonly byPartner: DisclosedTable;
  readonly timeToOutcome: DisclosedTimeToOutcome[];
  /** Outcomes whose request or closing instant is missing (only in open figures; null when suppressed). */
  readonly untimedOutcomes: number | null;
  /** The people referred, by age band (unknown last): one column, `referrals`; its total is all referrals. */
  readonly byAgeBand: DisclosedTable;
  /** The people referred, by gender (unknown last): one column; its total is all referrals. */
  readonly byGender: DisclosedTable;
  /**
   * The people referred, by language spoken (sorted codes, `unknown` when none was given): one column. A
   * person may speak several, so its total counts mentions, not referrals.
   */
  readonly byLanguage: DisclosedTable;
}

/**
 * The referral report from a referral partial: the need × status table (its column totals are the funnel,
 * in the lifecycle's order `draft → requested → …`), referrals by partner (rows in the order of
 * `partnerIds`, then any other partner of the partial; by status too when `partnerStatus` gives the
 * partner × status counts of the same referrals), time to outcome (count, median, p90 in seconds; core's
 * nearest-rank quantiles) overall and per outcome, and the people referred by age band, gender and language.
 *
 * With a `perturbation` table (every caller without raw access), every published count goes through
 * consistent perturbation with the key of the referrals it counts (the partial's `keys`): a total shared by
 * several tables — all referrals in need × status, partners, age bands and genders; a status in the funnel
 * and in partner × status — counts the same referrals, so it has the same key and the same published value
 * in each, and no table can be solved out of another. The age band and gender tables publish no closed
 * line (`publishTable`, closed-lines.ts: a group moves, never the shared total); the need × status and
 * partner tables share their cells with the filtered answers and are published as perturbed. A median and
 * p90 are published only for at least k timed outcomes. Without one (`null`), the admin views' open figures.
 *
 * @example
 * const figures = referralFigures(aggregate, { k: 5, perturbation: table, partnerIds: ["samu"] });
 * figures.needStatus.columnTotals; // the funnel, one cell per status
 */
export function referralFigures(
  aggregate: ReferralAggregate,
  options: {
    k: number;
    perturbation: PerturbationTable | null;
    partnerIds?: readonly string[];
    partnerStatus?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  },
): ReferralFigures {
  const { k, perturbation } = options;
  const keys = aggregate.keys ?? {};
  const keyOf = (cell: ReferralCell) => keys[referralCellId(cell)] ?? 0;
  const needStatus: CountTable = {
    rowLabels: [...ReferralNeed.options],
    columnLabels: [...ReferralStatus.options],
    cells: ReferralNeed.options.map((need) =>
      ReferralStatus.options.map((status) => aggregate.byNeedStatus[need]?.[status] ?? 0),
    ),
  };
  const needStatusKeys = ReferralNeed.options.map((need) =>
    ReferralStatus.options.map((status) => keyOf(["need-status", need, status])),
  );
  const partnerIds = [...(options.partnerIds ?? [])];
  for (const id of Object.keys(aggregate.byPartner)) if (!partnerIds.includes(id)) partnerIds.push(id);
  const partnerStatus = options.partnerStatus;
  const statusKeysOf = (id: string) =>
    ReferralStatus.options.map((status) => keyOf(["partner-status", id, status]));
  const byPartner: CountTable =
    partnerStatus === undefined
      ? {
          rowLabels: partnerIds,
          columnLabels: ["referrals"],
          cells: partnerIds.map((id) => [aggregate.byPartner[id] ?? 0]),
        }
      : {
          rowLabels: partnerIds,
          columnLabels: [...ReferralStatus.options],
          cells: partnerIds.map((id) =>
            ReferralStatus.options.map((status) =>
              Object.hasOwn(partnerStatus, id) ? (partnerStatus[id]?.[status] ?? 0) : 0,
            ),
          ),
        };
  const partnerKeys =
    partnerStatus === undefined
      ? partnerIds.map((id) => [statusKeysOf(id).reduce(addCellKeys, 0)])
      : partnerIds.map(statusKeysOf);
  const stats = OUTCOMES.map((outcome) =>
    timeToOutcomeStats(aggregate, outcome === "all" ? undefined : outcome),
  );
  const people = (
    kind: "age-band" | "gender" | "language",
    counts: Readonly<Record<string, number | undefined>>,
    groups: readonly string[],
  ): [CountTable, KeyGrid] => [
    {
      rowLabels: [...groups],
      columnLabels: ["referrals"],
      cells: groups.map((group) => [Object.hasOwn(counts, group) ? (counts[group] ?? 0) : 0]),
    },
    groups.map((group) => [keyOf([kind, group])]),
  ];
  const languages = Object.keys(aggregate.byLanguage).sort();
  const outcomeKeys = TIMED_OUTCOMES.map((outcome) => keyOf(["timed", outcome]));
  const timedKeys = [outcomeKeys.reduce(addCellKeys, 0), ...outcomeKeys];

  const publish = ([counts, cellKeys]: [CountTable, KeyGrid]) =>
    perturbation === null ? openTable(counts, k) : perturbTable(counts, cellKeys, perturbation);
  // A group's referrals (an age band, a gender) are published by this answer only; their total is all
  // referrals, shared with the other tables: closed lines are opened by moving a group (closed-lines.ts).
  // The need × status and partner tables share their cells and totals with the filtered answers, so
  // nothing of theirs may move (docs/disclosure.md, limits).
  const publishGroups = ([counts, cellKeys]: [CountTable, KeyGrid]) =>
    perturbation === null ? openTable(counts, k) : publishTable(counts, cellKeys, perturbation);
  // Rows that exist because the data has them (partners, languages) are kept only when something in them
  // is published as non-zero, so a row's presence never says more than its published figures.
  const listed = new Set(options.partnerIds ?? []);
  const published = (table: DisclosedTable) =>
    perturbation === null ? table : withoutEmptyRows(table, listed);
  return {
    needStatus: publish([needStatus, needStatusKeys]),
    byPartner: published(publish([byPartner, partnerKeys])),
    timeToOutcome: OUTCOMES.map((outcome, i): DisclosedTimeToOutcome => {
      const s = stats[i] as { count: number; median: number | null; p90: number | null };
      const count =
        perturbation === null ? s.count : perturbCount(s.count, timedKeys[i] as number, perturbation);
      // Quantiles only where the published count itself says there are at least k outcomes (a published
      // count above k comes from a count of at least k): their presence tells nothing the count does not.
      const quantiles = perturbation === null || (count > perturbation.k && s.count >= perturbation.k);
      return {
        outcome,
        suppressed: false,
        count,
        medianSeconds: quantiles ? s.median : null,
        p90Seconds: quantiles ? s.p90 : null,
      };
    }),
    untimedOutcomes: perturbation === null ? aggregate.untimedOutcomes : null,
    byAgeBand: publishGroups(people("age-band", aggregate.byAgeBand, [...AgeBand.options, UNKNOWN])),
    byGender: publishGroups(people("gender", aggregate.byGender, [...Gender.options, UNKNOWN])),
    byLanguage: published(
      publish(people("language", aggregate.byLanguage, languages.length > 0 ? languages : [UNKNOWN])),
    ),
  };
}

/** The table without the rows (other than `keep`) whose cells and total are all published as 0. */
function withoutEmptyRows(table: DisclosedTable, keep: ReadonlySet<string>): DisclosedTable {
  const zero = (cell: DisclosedCell | undefined) =>
    cell !== undefined && !cell.suppressed && cell.value === 0;
  const kept = table.rowLabels
    .map((_, i) => i)
    .filter(
      (i) =>
        keep.has(table.rowLabels[i] as string) ||
        !(zero(table.rowTotals[i]) && (table.cells[i] ?? []).every(zero)),
    );
  return {
    ...table,
    rowLabels: kept.map((i) => table.rowLabels[i] as string),
    cells: kept.map((i) => table.cells[i] as DisclosedCell[]),
    rowTotals: kept.map((i) => table.rowTotals[i] as DisclosedCell),
  };
}

const TIMED_OUTCOMES = ["completed", "failed", "rejected"] as const;
