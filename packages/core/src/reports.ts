import type { ReferralAggregate, SaturatedDay, VisitAggregate } from "./aggregate.js";
import { capacityUtilisation, timeToOutcomeStats, UNKNOWN } from "./aggregate.js";
import { AgeBand, Gender } from "./common.js";
import {
  type CountTable,
  type DisclosedCell,
  type DisclosedTable,
  type DisclosureError,
  suppressCount,
  suppressSmallCells,
} from "./disclosure.js";
import { type DisclosedVisitFigures, discloseVisitFigures } from "./figures.js";
import { type PeriodType, periodOfDate } from "./period.js";
import { ReferralNeed, ReferralStatus } from "./referral.js";
import { err, ok, type Result } from "./result.js";
import { capacityOn, type Schedule } from "./schedule.js";
import { addDays, daysBetween, isoWeekday, type LocalDate } from "./zoned-time.js";

/**
 * The figures behind the reports API, as pure functions of stored partials: arrivals by weekday × hour,
 * service use against capacity per period, and the referral funnel with time to outcome. Each report is a
 * table (or a few) of counts that goes through the same disclosure step: {@link discloseTable} for callers
 * without raw-record access, {@link openTable} for the admin views that may see every count. Both give the
 * same shape, so a dashboard reads one format whatever the caller.
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
 * A table with every count visible, in the shape of a disclosed one: for the admin views of callers who
 * may read unsuppressed figures (the response says `suppressed: false`). Never use it for an export.
 *
 * @example
 * openTable({ rowLabels: ["a"], columnLabels: ["x"], cells: [[2]] }, 5).grandTotal; // { value: 2, suppressed: false }
 */
export function openTable(table: CountTable, k: number): DisclosedTable {
  const shown = (value: number): DisclosedCell => ({ value, suppressed: false });
  const columnTotals = table.columnLabels.map((_, j) =>
    table.cells.reduce((sum, row) => sum + (row[j] ?? 0), 0),
  );
  const rowTotals = table.cells.map((row) => row.reduce((sum, value) => sum + value, 0));
  return {
    k,
    rowLabels: [...table.rowLabels],
    columnLabels: [...table.columnLabels],
    cells: table.cells.map((row) => row.map(shown)),
    rowTotals: rowTotals.map(shown),
    columnTotals: columnTotals.map(shown),
    grandTotal: shown(rowTotals.reduce((sum, value) => sum + value, 0)),
  };
}

/**
 * {@link suppressSmallCells}, with a safe way out: when a table cannot be protected cell by cell (a rare
 * pattern of small counts whose marks alone give them away), every cell and total is hidden instead —
 * small ones as `primary`, the rest as `secondary` — rather than failing the whole report. A threshold
 * under 3 is still refused.
 *
 * @example
 * const published = discloseTable(arrivalsByWeekdayHour(days), 5);
 * if (published.ok) published.value.cells[0][9]; // { value: 14, suppressed: false } or a hidden mark
 */
export function discloseTable(table: CountTable, k: number): Result<DisclosedTable, DisclosureError> {
  const suppressed = suppressSmallCells(table, { k });
  if (suppressed.ok || suppressed.error.code !== "cannot_protect") return suppressed;
  const hide = (value: number): DisclosedCell => ({
    suppressed: true,
    reason: value >= 1 && value < k ? "primary" : "secondary",
  });
  const open = openTable(table, k);
  const countOf = (cell: DisclosedCell) => (cell.suppressed ? 0 : cell.value);
  return ok({
    ...open,
    cells: open.cells.map((row) => row.map((cell) => hide(countOf(cell)))),
    rowTotals: open.rowTotals.map((cell) => hide(countOf(cell))),
    columnTotals: open.columnTotals.map((cell) => hide(countOf(cell))),
    grandTotal: hide(countOf(open.grandTotal)),
  });
}

/**
 * `discloseVisitFigures`, with {@link discloseTable}'s way out: when the age band × gender table of a
 * period cannot be protected cell by cell, the whole table is hidden (first visits and unique visitors are
 * still disclosed as lone figures) instead of the report failing.
 *
 * @example
 * const figures = discloseVisitPeriod("202611", monthAggregate, 5);
 * if (figures.ok) figures.value.visits.grandTotal; // { value: 4210, suppressed: false }
 */
export function discloseVisitPeriod(
  period: string,
  aggregate: VisitAggregate,
  k: number,
): Result<DisclosedVisitFigures, DisclosureError> {
  const disclosed = discloseVisitFigures(period, aggregate, { k });
  if (disclosed.ok || disclosed.error.code !== "cannot_protect") return disclosed;
  const rows = [...AgeBand.options, UNKNOWN];
  const columns = [...Gender.options, UNKNOWN];
  const cells = rows.map((age) =>
    columns.map(
      (gender) => (aggregate.byAgeBandGender as Record<string, Record<string, number>>)[age]?.[gender] ?? 0,
    ),
  );
  const visits = discloseTable({ rowLabels: rows, columnLabels: columns, cells }, k);
  const firstVisits = suppressCount(aggregate.firstVisits, k);
  const uniqueVisitors = suppressCount(aggregate.uniqueVisitors, k);
  if (!visits.ok) return visits;
  if (!firstVisits.ok) return err(firstVisits.error);
  if (!uniqueVisitors.ok) return err(uniqueVisitors.error);
  return ok({
    period,
    visits: visits.value,
    firstVisits: firstVisits.value,
    uniqueVisitors: uniqueVisitors.value,
  });
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
  days: Readonly<Record<string, Pick<VisitAggregate, "services">>>,
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
  const sums = new Map<string, { uses: number[]; quantity: number[]; capacity: number[]; used: number[] }>();
  const sumsOf = (id: string) => {
    let found = sums.get(id);
    if (found === undefined) {
      const zeros = () => new Array<number>(periods.length).fill(0);
      found = { uses: zeros(), quantity: zeros(), capacity: zeros(), used: zeros() };
      sums.set(id, found);
      if (!names.has(id)) ids.push(id);
    }
    return found;
  };
  for (const id of ids) sumsOf(id);
  const quantityPerDay: Record<string, Record<string, number>> = {};
  for (const day of rangeDays) {
    const partial = Object.hasOwn(days, day) ? days[day] : undefined;
    if (partial === undefined) continue;
    const p = periodIndexOf.get(day) as number;
    for (const [id, tally] of Object.entries(partial.services)) {
      const sum = sumsOf(id);
      sum.uses[p] = (sum.uses[p] as number) + tally.uses;
      sum.quantity[p] = (sum.quantity[p] as number) + tally.quantity;
      const perDay = quantityPerDay[id] ?? {};
      perDay[day] = tally.quantity;
      quantityPerDay[id] = perDay;
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
}

/**
 * Applies disclosure control to service rows, period by period: in each period the services × (uses,
 * quantity, used) table goes through {@link discloseTable}, so a small count is hidden with enough others
 * that the period's totals (published as `totals`) do not give it back. Capacity comes from the schedule
 * and is public; the utilisation ratio is published only when `used` is; saturated days are published
 * as a count (the days themselves are for the admin views).
 *
 * @example
 * const published = discloseServiceRows(serviceReportRows(days, services, range), 5);
 * if (published.ok) published.value.rows[0].utilisation; // 0.86, or null when `used` is hidden
 */
export function discloseServiceRows(
  rows: readonly ServicePeriodFigures[],
  k: number,
): Result<
  {
    rows: DisclosedServiceRow[];
    totals: { period: string; uses: DisclosedCell; quantity: DisclosedCell; used: DisclosedCell }[];
  },
  DisclosureError
> {
  const byPeriod = new Map<string, ServicePeriodFigures[]>();
  for (const row of rows) {
    const list = byPeriod.get(row.period) ?? [];
    list.push(row);
    byPeriod.set(row.period, list);
  }
  const disclosed: DisclosedServiceRow[] = [];
  const totals: { period: string; uses: DisclosedCell; quantity: DisclosedCell; used: DisclosedCell }[] = [];
  for (const [period, ofPeriod] of byPeriod) {
    const table = discloseTable(
      {
        rowLabels: ofPeriod.map((row) => row.serviceId),
        columnLabels: [...SERVICE_MEASURES],
        cells: ofPeriod.map((row) => SERVICE_MEASURES.map((measure) => row[measure])),
      },
      k,
    );
    if (!table.ok) return err(table.error);
    ofPeriod.forEach((row, i) => {
      const [uses, quantity, used] = table.value.cells[i] as [DisclosedCell, DisclosedCell, DisclosedCell];
      disclosed.push({
        period,
        serviceId: row.serviceId,
        serviceName: row.serviceName,
        uses,
        quantity,
        used,
        capacity: row.capacity,
        utilisation: used.suppressed ? null : row.utilisation,
        saturatedDayCount: row.saturatedDays.length,
      });
    });
    const [uses, quantity, used] = table.value.columnTotals as [DisclosedCell, DisclosedCell, DisclosedCell];
    totals.push({ period, uses, quantity, used });
  }
  return ok({ rows: disclosed, totals });
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

function hideCell(cell: DisclosedCell, value: number, k: number): DisclosedCell {
  if (cell.suppressed) return cell;
  return { suppressed: true, reason: value >= 1 && value < k ? "primary" : "secondary" };
}

/**
 * The referral report from a referral partial: the need × status table (its column totals are the funnel,
 * in the lifecycle's order `draft → requested → …`), referrals by partner (rows in the order of
 * `partnerIds`, then any other partner of the partial; by status too when `partnerStatus` gives the
 * partner × status counts of the same referrals), and time to outcome (count, median, p90 in seconds;
 * core's nearest-rank quantiles) overall and per outcome. With `suppress`, both tables go through
 * {@link discloseTable}, and the totals they share (the grand total, and the status totals when the partner
 * table has statuses) are hidden in both wherever either hides them — linked tables must not show in one
 * what the other protects; the outcome
 * counts form a small table of their own (overall = their total) and the median and p90 of an outcome are
 * published only with its count, which needs to be ≥ k. The people referred are counted by age band, gender
 * and language (one-column tables, each disclosed on its own; the total of all referrals, shared by four
 * tables, is hidden in all of them when one hides it).
 *
 * @example
 * const figures = referralFigures(aggregate, { k: 5, suppress: true, partnerIds: ["samu"] });
 * if (figures.ok) figures.value.needStatus.columnTotals; // the funnel, one cell per status
 */
export function referralFigures(
  aggregate: ReferralAggregate,
  options: {
    k: number;
    suppress: boolean;
    partnerIds?: readonly string[];
    partnerStatus?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  },
): Result<ReferralFigures, DisclosureError> {
  const { k } = options;
  const needStatus: CountTable = {
    rowLabels: [...ReferralNeed.options],
    columnLabels: [...ReferralStatus.options],
    cells: ReferralNeed.options.map((need) =>
      ReferralStatus.options.map((status) => aggregate.byNeedStatus[need]?.[status] ?? 0),
    ),
  };
  const partnerIds = [...(options.partnerIds ?? [])];
  for (const id of Object.keys(aggregate.byPartner)) if (!partnerIds.includes(id)) partnerIds.push(id);
  const partnerStatus = options.partnerStatus;
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
  const stats = OUTCOMES.map((outcome) =>
    timeToOutcomeStats(aggregate, outcome === "all" ? undefined : outcome),
  );
  const people = (
    counts: Readonly<Record<string, number | undefined>>,
    keys: readonly string[],
  ): CountTable => ({
    rowLabels: [...keys],
    columnLabels: ["referrals"],
    cells: keys.map((key) => [Object.hasOwn(counts, key) ? (counts[key] ?? 0) : 0]),
  });
  const languages = Object.keys(aggregate.byLanguage).sort();
  const disaggregations = [
    people(aggregate.byAgeBand, [...AgeBand.options, UNKNOWN]),
    people(aggregate.byGender, [...Gender.options, UNKNOWN]),
    people(aggregate.byLanguage, languages.length > 0 ? languages : [UNKNOWN]),
  ] as const;
  const outcomeCounts: CountTable = {
    rowLabels: ["completed", "failed", "rejected"],
    columnLabels: ["timed"],
    cells: stats.slice(1).map((s) => [s.count]),
  };

  if (!options.suppress) {
    return ok({
      needStatus: openTable(needStatus, k),
      byPartner: openTable(byPartner, k),
      timeToOutcome: OUTCOMES.map((outcome, i) => {
        const s = stats[i] as { count: number; median: number | null; p90: number | null };
        return { outcome, suppressed: false, count: s.count, medianSeconds: s.median, p90Seconds: s.p90 };
      }),
      untimedOutcomes: aggregate.untimedOutcomes,
      byAgeBand: openTable(disaggregations[0], k),
      byGender: openTable(disaggregations[1], k),
      byLanguage: openTable(disaggregations[2], k),
    });
  }

  const a = discloseTable(needStatus, k);
  if (!a.ok) return a;
  const b = discloseTable(byPartner, k);
  if (!b.ok) return b;
  const c = discloseTable(outcomeCounts, k);
  if (!c.ok) return c;
  // Linked tables: the same total must not be shown in one and hidden in the other.
  // The true totals, to mark a total hidden here because the other table hides it.
  const truth = openTable(needStatus, k);
  const count = (cell: DisclosedCell | undefined) => (cell === undefined || cell.suppressed ? 0 : cell.value);
  const either = (x: DisclosedCell, y: DisclosedCell | undefined, value: number) =>
    x.suppressed || y?.suppressed ? hideCell(x, value, k) : x;
  const linked = partnerStatus !== undefined;
  const linkTotals = (own: DisclosedTable, other: DisclosedTable): DisclosedTable => ({
    ...own,
    grandTotal: either(own.grandTotal, other.grandTotal, count(truth.grandTotal)),
    columnTotals: linked
      ? own.columnTotals.map((cell, j) => either(cell, other.columnTotals[j], count(truth.columnTotals[j])))
      : own.columnTotals,
  });
  const disclosedPeople: DisclosedTable[] = [];
  for (const table of disaggregations) {
    const disclosed = discloseTable(table, k);
    if (!disclosed.ok) return disclosed;
    disclosedPeople.push(disclosed.value);
  }
  const [byAgeBand, byGender, byLanguage] = disclosedPeople as [
    DisclosedTable,
    DisclosedTable,
    DisclosedTable,
  ];
  // All referrals is the total of four tables (need × status, partners, age bands, genders): hidden in one,
  // hidden in all.
  const sharingTotal = [a.value, b.value, byAgeBand, byGender];
  const totalHidden = sharingTotal.some((table) => table.grandTotal.suppressed);
  const withTotal = (table: DisclosedTable): DisclosedTable =>
    totalHidden ? { ...table, grandTotal: hideCell(table.grandTotal, count(truth.grandTotal), k) } : table;
  const needStatusTable = withTotal(linkTotals(a.value, b.value));
  const partnerTable = withTotal(linkTotals(b.value, a.value));
  // In a one-column table a row total is its cell: a count is hidden when either is.
  const countCells = [
    c.value.grandTotal,
    ...c.value.rowTotals.map((total, i) => {
      const cell = c.value.cells[i]?.[0];
      return cell?.suppressed ? cell : total;
    }),
  ];
  const timeToOutcome = OUTCOMES.map((outcome, i): DisclosedTimeToOutcome => {
    const cell = countCells[i] as DisclosedCell;
    const s = stats[i] as { count: number; median: number | null; p90: number | null };
    if (cell.suppressed) return { outcome, suppressed: true, reason: cell.reason };
    return { outcome, suppressed: false, count: s.count, medianSeconds: s.median, p90Seconds: s.p90 };
  });
  return ok({
    needStatus: needStatusTable,
    byPartner: partnerTable,
    timeToOutcome,
    untimedOutcomes: null,
    byAgeBand: withTotal(byAgeBand),
    byGender: withTotal(byGender),
    byLanguage,
  });
}
