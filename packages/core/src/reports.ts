import type { ReferralAggregate, ReferralCell, SaturatedDay, VisitAggregate } from "./aggregate.js";
import {
  capacityUtilisation,
  referralCellId,
  timeToOutcomeStats,
  UNKNOWN,
  uniqueVisitorsCellKey,
} from "./aggregate.js";
import {
  addCellKeys,
  type KeyGrid,
  magnitudeCellKey,
  type PerturbationTable,
  perturbCount,
  perturbTable,
} from "./cell-key.js";
import { AgeBand, Gender } from "./common.js";
import { type CountTable, type DisclosedCell, type DisclosedTable, openTable } from "./disclosure.js";
import type { DisclosedVisitFigures } from "./figures.js";
import { type PeriodType, periodOfDate } from "./period.js";
import { ReferralNeed, ReferralStatus } from "./referral.js";
import { capacityOn, type Schedule } from "./schedule.js";
import {
  type PublishedServicePeople,
  publishServicePeople,
  type ServicePeople,
  ServicePeopleAccumulator,
} from "./service-people.js";
import { publishVisitorGroups } from "./visitor-groups.js";
import { addDays, daysBetween, isoWeekday, type LocalDate } from "./zoned-time.js";

/**
 * The figures behind the reports API, as pure functions of stored partials: arrivals by weekday × hour,
 * service use against capacity per period, and the referral funnel with time to outcome. Each report is a
 * table (or a few) of counts that goes through the same disclosure step: consistent perturbation
 * (`cell-key.ts`) for callers without raw-record access, {@link openTable} for the admin views that may see
 * every count. Both give the same shape, so a dashboard reads one format whatever the caller.
 */

/** ISO weekdays, Monday first: the rows of {@link arrivalsByWeekdayHour}. */
export const WEEKDAYS = [
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
] as const;

/** Local hours of the day, `00` … `23`: the columns of {@link arrivalsByWeekdayHour}. */
export const HOURS: readonly string[] = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, "0"));

/**
 * Folds day partials into a 7 × 24 table of arrivals: row = ISO weekday of the local day (Monday first),
 * column = local hour (the partial's `byHour`, already in the centre's wall time, so a DST night files
 * its arrivals under the hours the clock showed). Keys of `days` are local days `YYYY-MM-DD`.
 *
 * @example
 * const table = arrivalsByWeekdayHour({ "2026-11-30": mondayPartial });
 * table.cells[0][9]; // arrivals on Mondays between 09:00 and 09:59
 */
export function arrivalsByWeekdayHour(
  days: Readonly<Record<string, Pick<VisitAggregate, "byHour">>>,
): CountTable {
  const cells = WEEKDAYS.map(() => new Array<number>(24).fill(0));
  for (const [day, partial] of Object.entries(days)) {
    const row = cells[isoWeekday(day) - 1] as number[];
    for (let h = 0; h < 24; h++) row[h] = (row[h] as number) + (partial.byHour[h] ?? 0);
  }
  return { rowLabels: [...WEEKDAYS], columnLabels: [...HOURS], cells };
}

/**
 * The cell keys of {@link arrivalsByWeekdayHour}'s table: the keys of each local hour of each day (the
 * partials' `keys.byHour`), added up per weekday and hour exactly as the counts are.
 *
 * @example
 * const published = perturbTable(arrivalsByWeekdayHour(days), arrivalsCellKeys(days), table);
 */
export function arrivalsCellKeys(days: Readonly<Record<string, Pick<VisitAggregate, "keys">>>): KeyGrid {
  const keys = WEEKDAYS.map(() => new Array<number>(24).fill(0));
  for (const [day, partial] of Object.entries(days)) {
    const row = keys[isoWeekday(day) - 1] as number[];
    for (let h = 0; h < 24; h++) row[h] = addCellKeys(row[h] as number, partial.keys?.byHour[h] ?? 0);
  }
  return keys;
}

const AGE_ROWS = [...AgeBand.options, UNKNOWN];
const GENDER_COLUMNS = [...Gender.options, UNKNOWN];

/**
 * One period's visit figures as they may be published to a caller without raw access, through consistent
 * perturbation (`cell-key.ts`): the age band × gender table of visits with its margins, visits by language
 * spoken (one column; a person may speak several, so it has no total of its own), first visits and unique
 * visitors — each cell perturbed with the key of the records it counts. The same records give the same
 * figure in every period, table and query, so nothing is hidden and nothing can be subtracted out.
 *
 * @example
 * const table = perturbationTable({ k: 5, maxNoise: 2 });
 * if (table.ok) publishVisitPeriod("202611", monthAggregate, table.value).visits.grandTotal; // { value: 4211, suppressed: false }
 */
export function publishVisitPeriod(
  period: string,
  aggregate: VisitAggregate,
  table: PerturbationTable,
): DisclosedVisitFigures {
  const byAgeGender = aggregate.byAgeBandGender as Record<string, Record<string, number>>;
  const keysByAgeGender = (aggregate.keys?.byAgeBandGender ?? {}) as Record<string, Record<string, number>>;
  const visits = perturbTable(
    {
      rowLabels: AGE_ROWS,
      columnLabels: GENDER_COLUMNS,
      cells: AGE_ROWS.map((age) => GENDER_COLUMNS.map((gender) => byAgeGender[age]?.[gender] ?? 0)),
    },
    AGE_ROWS.map((age) => GENDER_COLUMNS.map((gender) => keysByAgeGender[age]?.[gender] ?? 0)),
    table,
  );
  const languages = Object.keys(aggregate.byLanguage).sort();
  const languageKeys = aggregate.keys?.byLanguage ?? {};
  const shown = (n: number, key: number): DisclosedCell => ({
    value: perturbCount(n, key, table),
    suppressed: false,
  });
  return {
    period,
    visits,
    // Only languages whose published count is not 0: listing one because its true count is not 0 would
    // say so of a count published as 0.
    byLanguage: languages
      .map((language) => ({
        language,
        count: shown(aggregate.byLanguage[language] ?? 0, languageKeys[language] ?? 0),
      }))
      .filter(({ count }) => !count.suppressed && count.value > 0),
    firstVisits: shown(aggregate.firstVisits, aggregate.keys?.firstVisits ?? 0),
    uniqueVisitors: shown(aggregate.uniqueVisitors, uniqueVisitorsCellKey(aggregate)),
    uniqueVisitorsBy: publishVisitorGroups(aggregate, table),
  };
}

// ---------------------------------------------------------------------------------------------------
// Services against capacity.

/** What the services report needs of a service: its id, its name and its schedule (for capacity). */
export interface ReportedService {
  readonly id: string;
  readonly name: string;
  readonly schedule: Schedule;
}

/** One service over one period, unsuppressed. */
export interface ServicePeriodFigures {
  readonly period: string;
  readonly serviceId: string;
  readonly serviceName: string | null;
  /** Use records. */
  readonly uses: number;
  /** People served (the sum of quantities): a partner's bulk report of 14 is 14. */
  readonly quantity: number;
  /** Sum of the daily capacities of the days with a positive capacity; 0 when none has one. */
  readonly capacity: number;
  /** People served on the days that count towards `capacity`. */
  readonly used: number;
  /** `used / capacity`, or null when the period has no day with a capacity. */
  readonly utilisation: number | null;
  /** Days on which use reached capacity (`used ≥ capacity`), in day order. */
  readonly saturatedDays: SaturatedDay[];
  /**
   * Cell keys of `uses`/`quantity` (the period's use records) and of `used` (those on days with a
   * capacity), for perturbation. Never sent to a client.
   */
  readonly keys: { readonly uses: number; readonly used: number };
  /** Who used it in the period (see `service-people.ts`); absent when it had no use. */
  readonly people?: ServicePeople;
}

/** Range and period of a report: local days `from` … `to` (inclusive) cut into periods of `period`. */
export interface ReportRange {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly period: PeriodType;
}

/**
 * Service use against capacity, one row per period and service (periods in order, then services in the
 * order given; services that have uses in the partials but are not in `services` come last, nameless).
 * Capacity of a day is the schedule's (`capacityOn(schedule, day).daily`); days without a positive
 * capacity (closed, or no capacity known) count for neither `capacity` nor `used`, as in
 * `capacityUtilisation`. Only days in `from … to` count, so a partial week at either end is partial.
 *
 * @example
 * serviceReportRows(days, [{ id: "showers", name: "Douches", schedule }], { from: "2026-11-01", to: "2026-11-30", period: "month" });
 * // [{ period: "202611", serviceId: "showers", uses: 310, quantity: 310, capacity: 360, used: 310, utilisation: 0.86, saturatedDays: [...] }]
 */
export function serviceReportRows(
  days: Readonly<Record<string, Pick<VisitAggregate, "services" | "keys">>>,
  services: readonly ReportedService[],
  range: ReportRange,
): ServicePeriodFigures[] {
  const span = daysBetween(range.from, range.to);
  const rangeDays: string[] = [];
  const periodIndexOf = new Map<string, number>();
  const periods: string[] = [];
  for (let i = 0; i <= span; i++) {
    const day = addDays(range.from, i);
    const code = periodOfDate(range.period, day).code;
    if (periods.at(-1) !== code) periods.push(code);
    rangeDays.push(day);
    periodIndexOf.set(day, periods.length - 1);
  }

  // One pass over the partials: per service, the use and quantity of each period, and quantity per day.
  const names = new Map(services.map((service) => [service.id, service.name]));
  const ids = services.map((service) => service.id);
  type Sums = Record<"uses" | "quantity" | "capacity" | "used" | "usesKey" | "usedKey", number[]>;
  const sums = new Map<string, Sums>();
  const keyPerDay: Record<string, Record<string, number>> = {};
  const sumsOf = (id: string) => {
    let found = sums.get(id);
    if (found === undefined) {
      const zeros = () => new Array<number>(periods.length).fill(0);
      found = {
        uses: zeros(),
        quantity: zeros(),
        capacity: zeros(),
        used: zeros(),
        usesKey: zeros(),
        usedKey: zeros(),
      };
      sums.set(id, found);
      if (!names.has(id)) ids.push(id);
    }
    return found;
  };
  for (const id of ids) sumsOf(id);
  const quantityPerDay: Record<string, Record<string, number>> = {};
  const peopleOf = new Map<string, ServicePeopleAccumulator>();
  for (const day of rangeDays) {
    const partial = Object.hasOwn(days, day) ? days[day] : undefined;
    if (partial === undefined) continue;
    const p = periodIndexOf.get(day) as number;
    for (const [id, tally] of Object.entries(partial.services)) {
      const sum = sumsOf(id);
      sum.uses[p] = (sum.uses[p] as number) + tally.uses;
      sum.quantity[p] = (sum.quantity[p] as number) + tally.quantity;
      sum.usesKey[p] = addCellKeys(sum.usesKey[p] as number, tally.key ?? 0);
      if (tally.people !== undefined) {
        const people = peopleOf.get(`${id}\u0000${p}`) ?? new ServicePeopleAccumulator();
        people.absorb(tally.people);
        peopleOf.set(`${id}\u0000${p}`, people);
      }
      const perDay = quantityPerDay[id] ?? {};
      perDay[day] = tally.quantity;
      quantityPerDay[id] = perDay;
      const keys = keyPerDay[id] ?? {};
      keys[day] = tally.key ?? 0;
      keyPerDay[id] = keys;
    }
  }

  const capacityPerDay: Record<string, Record<string, number>> = {};
  for (const service of services) {
    const sum = sumsOf(service.id);
    const perDay: Record<string, number> = {};
    for (const day of rangeDays) {
      const daily = capacityOn(service.schedule, day).daily;
      if (daily === undefined || !(daily > 0)) continue;
      const p = periodIndexOf.get(day) as number;
      perDay[day] = daily;
      sum.capacity[p] = (sum.capacity[p] as number) + daily;
      sum.used[p] = (sum.used[p] as number) + (quantityPerDay[service.id]?.[day] ?? 0);
      sum.usedKey[p] = addCellKeys(sum.usedKey[p] as number, keyPerDay[service.id]?.[day] ?? 0);
    }
    capacityPerDay[service.id] = perDay;
  }
  const saturatedOf = new Map<string, SaturatedDay[]>();
  for (const day of capacityUtilisation(quantityPerDay, capacityPerDay).saturated) {
    const key = `${day.serviceId}\u0000${periodIndexOf.get(day.day)}`;
    const list = saturatedOf.get(key) ?? [];
    list.push(day);
    saturatedOf.set(key, list);
  }

  const rows: ServicePeriodFigures[] = [];
  periods.forEach((period, p) => {
    for (const id of ids) {
      const sum = sumsOf(id);
      const capacity = sum.capacity[p] as number;
      const used = sum.used[p] as number;
      rows.push({
        period,
        serviceId: id,
        serviceName: names.get(id) ?? null,
        uses: sum.uses[p] as number,
        quantity: sum.quantity[p] as number,
        capacity,
        used,
        utilisation: capacity > 0 ? used / capacity : null,
        saturatedDays: saturatedOf.get(`${id}\u0000${p}`) ?? [],
        keys: { uses: sum.usesKey[p] as number, used: sum.usedKey[p] as number },
        ...peopleField(peopleOf.get(`${id}\u0000${p}`)?.finish()),
      });
    }
  });
  return rows;
}

/** The counted measures of a service row, the columns of each period's disclosure table. */
export const SERVICE_MEASURES = ["uses", "quantity", "used"] as const;

/** A service row as it may be published: counts as cells, the ratio only when `used` is shown. */
export interface DisclosedServiceRow {
  readonly period: string;
  readonly serviceId: string;
  readonly serviceName: string | null;
  readonly uses: DisclosedCell;
  readonly quantity: DisclosedCell;
  readonly used: DisclosedCell;
  readonly capacity: number;
  /** Null when there is no capacity, or when `used` is hidden (the ratio would give it away). */
  readonly utilisation: number | null;
  readonly saturatedDayCount: number;
  /** Uses by age band × gender and by language of the visits they were recorded with. */
  readonly usesBy: PublishedServicePeople;
}

/**
 * Publishes service rows through consistent perturbation: each row's `uses`, `quantity` and `used` are
 * perturbed with the key of the use records they count (`quantity` and `used`, second measures of those
 * records, with its mixed form, `magnitudeCellKey`, so their difference with `uses` carries noise), and each
 * period's `totals` over services with the sum of those keys. Capacity comes from the schedule and is
 * public; the utilisation ratio is the published `used` over capacity; saturated days are published as a
 * count (the days themselves are for the admin views).
 *
 * @example
 * const published = publishServiceRows(serviceReportRows(days, services, range), table);
 * published.rows[0].used; // { value: 309, suppressed: false }
 */
export function publishServiceRows(
  rows: readonly ServicePeriodFigures[],
  table: PerturbationTable,
): {
  rows: DisclosedServiceRow[];
  totals: { period: string; uses: DisclosedCell; quantity: DisclosedCell; used: DisclosedCell }[];
} {
  const shown = (n: number, key: number): DisclosedCell => ({
    value: perturbCount(n, key, table),
    suppressed: false,
  });
  const published: DisclosedServiceRow[] = [];
  const totals = new Map<
    string,
    { uses: number; quantity: number; used: number; usesKey: number; usedKey: number }
  >();
  for (const row of rows) {
    // People served are a second measure of the use records: their own noise (see magnitudeCellKey).
    const used = perturbCount(row.used, magnitudeCellKey(row.keys.used), table);
    published.push({
      period: row.period,
      serviceId: row.serviceId,
      serviceName: row.serviceName,
      uses: shown(row.uses, row.keys.uses),
      quantity: shown(row.quantity, magnitudeCellKey(row.keys.uses)),
      used: { value: used, suppressed: false },
      capacity: row.capacity,
      utilisation: row.capacity > 0 ? used / row.capacity : null,
      saturatedDayCount: row.saturatedDays.length,
      usesBy: publishServicePeople(row.people, table),
    });
    const total = totals.get(row.period) ?? { uses: 0, quantity: 0, used: 0, usesKey: 0, usedKey: 0 };
    total.uses += row.uses;
    total.quantity += row.quantity;
    total.used += row.used;
    total.usesKey = addCellKeys(total.usesKey, row.keys.uses);
    total.usedKey = addCellKeys(total.usedKey, row.keys.used);
    totals.set(row.period, total);
  }
  return {
    rows: published,
    totals: [...totals].map(([period, total]) => ({
      period,
      uses: shown(total.uses, total.usesKey),
      quantity: shown(total.quantity, magnitudeCellKey(total.usesKey)),
      used: shown(total.used, magnitudeCellKey(total.usedKey)),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------
// Referrals.

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
 * in each, and no table can be solved out of another. A median and p90 are published only for at least k
 * timed outcomes. Without one (`null`), the admin views' open figures.
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
    byAgeBand: publish(people("age-band", aggregate.byAgeBand, [...AgeBand.options, UNKNOWN])),
    byGender: publish(people("gender", aggregate.byGender, [...Gender.options, UNKNOWN])),
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

function peopleField(people: ServicePeople | undefined): { people?: ServicePeople } {
  return people === undefined ? {} : { people };
}
