import type { SaturatedDay, VisitAggregate } from "./aggregate.js";
import { addCellKeys, magnitudeCellKey, type PerturbationTable } from "./cell-key.js";
import { publishTotalOver } from "./closed-lines.js";
import type { DisclosedCell } from "./disclosure.js";
import { type PeriodType, periodOfDate } from "./period.js";
import {
  type PeriodFigure,
  type PeriodPublication,
  periodLadder,
  publishPeriodFigure,
  tableFigures,
} from "./period-lines.js";
import { dailyCapacities, type Schedule } from "./schedule.js";
import {
  type PublishedServicePeople,
  publishServicePeople,
  type ServicePeople,
  ServicePeopleAccumulator,
} from "./service-people.js";
import { addDays, daysBetween, isoWeekday, type LocalDate } from "./zoned-time.js";

// The services report: use against capacity per service and period (see reports.ts).

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

  const capacitiesOf = new Map<string, readonly (number | undefined)[]>();
  const weekdays = rangeDays.map(isoWeekday);
  for (const service of services) {
    const sum = sumsOf(service.id);
    const capacities = dailyCapacities(service.schedule, rangeDays, weekdays);
    for (const [i, day] of rangeDays.entries()) {
      const daily = capacities[i];
      if (daily === undefined || !(daily > 0)) continue;
      const p = periodIndexOf.get(day) as number;
      sum.capacity[p] = (sum.capacity[p] as number) + daily;
      sum.used[p] = (sum.used[p] as number) + (quantityPerDay[service.id]?.[day] ?? 0);
      sum.usedKey[p] = addCellKeys(sum.usedKey[p] as number, keyPerDay[service.id]?.[day] ?? 0);
    }
    capacitiesOf.set(service.id, capacities);
  }
  const saturatedOf = saturatedDaysOf(capacitiesOf, quantityPerDay, rangeDays, periodIndexOf);

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

/**
 * The days when use reached capacity, by service and period index (`id\u0000p`), in day order: those
 * `capacityUtilisation` finds, without working out (and sorting) a ratio for every service and day.
 */
function saturatedDaysOf(
  capacitiesOf: ReadonlyMap<string, readonly (number | undefined)[]>,
  quantityPerDay: Record<string, Record<string, number>>,
  rangeDays: readonly string[],
  periodIndexOf: ReadonlyMap<string, number>,
): Map<string, SaturatedDay[]> {
  const saturatedOf = new Map<string, SaturatedDay[]>();
  for (const [serviceId, capacities] of capacitiesOf) {
    const used = Object.hasOwn(quantityPerDay, serviceId) ? quantityPerDay[serviceId] : undefined;
    for (const [i, day] of rangeDays.entries()) {
      const capacity = capacities[i];
      if (capacity === undefined || !(capacity > 0) || !Number.isFinite(capacity)) continue;
      const count = used !== undefined && Object.hasOwn(used, day) ? (used[day] ?? 0) : 0;
      if (count < capacity) continue;
      const key = `${serviceId}\u0000${periodIndexOf.get(day)}`;
      const list = saturatedOf.get(key) ?? [];
      list.push({ serviceId, day, used: count, capacity });
      saturatedOf.set(key, list);
    }
  }
  return saturatedOf;
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
 * period's `totals` over services with the sum of those keys — moved to another outcome of their own
 * count where they would close the line they make with the services' figures (`publishTotalOver`). For a
 * period longer than a day, `withinOf(period)` gives its sub-periods' publications (`period-lines.ts`, see
 * {@link publishServiceReport}): no figure closes a line with the same figure of its days (months,
 * quarters). Capacity comes from the schedule and is
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
  withinOf: (period: string) => readonly (readonly PeriodPublication[])[] = () => [],
): {
  rows: DisclosedServiceRow[];
  totals: { period: string; uses: DisclosedCell; quantity: DisclosedCell; used: DisclosedCell }[];
} {
  const published: DisclosedServiceRow[] = [];
  const totals = new Map<
    string,
    { uses: number; quantity: number; used: number; usesKey: number; usedKey: number }
  >();
  for (const row of rows) {
    const within = withinOf(row.period);
    // Each figure never closes a line with the same figure of the period's days (months, quarters).
    const opened = (measure: string, n: number, key: number) =>
      publishPeriodFigure(`${row.serviceId}|${measure}`, n, key, within, table);
    // People served are a second measure of the use records: their own noise (see magnitudeCellKey).
    const used = opened("used", row.used, magnitudeCellKey(row.keys.used));
    published.push({
      period: row.period,
      serviceId: row.serviceId,
      serviceName: row.serviceName,
      uses: { value: opened("uses", row.uses, row.keys.uses), suppressed: false },
      quantity: {
        value: opened("quantity", row.quantity, magnitudeCellKey(row.keys.uses)),
        suppressed: false,
      },
      used: { value: used, suppressed: false },
      capacity: row.capacity,
      utilisation: row.capacity > 0 ? used / row.capacity : null,
      saturatedDayCount: row.saturatedDays.length,
      usesBy: publishServicePeople(row.people, table, table.k, { within, prefix: `${row.serviceId}|` }),
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
    totals: [...totals].map(([period, total]) => {
      // A total over services is published by this answer only; its parts, each service's figures, by
      // the rows too: a closed line moves the total (closed-lines.ts).
      const parts = (measure: "uses" | "quantity" | "used") =>
        rows.flatMap((row, i) =>
          row.period === period ? [{ n: row[measure], value: publishedValue(published[i]?.[measure]) }] : [],
        );
      const over = (measure: "uses" | "quantity" | "used", n: number, key: number): DisclosedCell => {
        const start = publishPeriodFigure(`total|${measure}`, n, key, withinOf(period), table);
        return { value: publishTotalOver(n, key, parts(measure), table, start), suppressed: false };
      };
      return {
        period,
        uses: over("uses", total.uses, total.usesKey),
        quantity: over("quantity", total.quantity, magnitudeCellKey(total.usesKey)),
        used: over("used", total.used, magnitudeCellKey(total.usedKey)),
      };
    }),
  };
}

/**
 * The services report as a caller without raw access may get it: the rows of
 * {@link serviceReportRows} over `range` (kept by `keep`: a report filtered to one service), published by
 * {@link publishServiceRows} with every period checked against the same report over its days (months,
 * quarters), filtered the same way (`period-lines.ts`). `days` are the local days' partials.
 *
 * @example
 * const table = perturbationTable({ k: 5, maxNoise: 2 });
 * if (table.ok) publishServiceReport(days, services, { from: "2026-11-01", to: "2026-11-30", period: "month" }, table.value);
 */
export function publishServiceReport(
  days: Readonly<Record<string, Pick<VisitAggregate, "services" | "keys">>>,
  services: readonly ReportedService[],
  range: ReportRange,
  table: PerturbationTable,
  keep: (row: ServicePeriodFigures) => boolean = () => true,
): ReturnType<typeof publishServiceRows> {
  const publishPeriod = periodLadder<PeriodPublication>((type, periodDays, within) => {
    const period = periodOfDate(type, periodDays[0] as string);
    const chosen = Object.fromEntries(periodDays.map((day) => [day, days[day] as VisitAggregate]));
    const rows = serviceReportRows(chosen, services, { from: period.start, to: period.end, period: type });
    const kept = rows.filter(keep);
    return {
      within,
      figures: serviceFigures(
        kept,
        publishServiceRows(kept, table, () => within),
      ),
    };
  });
  const daysOf = new Map<string, string[]>();
  for (const day of Object.keys(days).sort()) {
    if (day < range.from || day > range.to) continue;
    const code = periodOfDate(range.period, day).code;
    daysOf.set(code, [...(daysOf.get(code) ?? []), day]);
  }
  const rows = serviceReportRows(days, services, range).filter(keep);
  return publishServiceRows(rows, table, (code) => {
    const periodDays = daysOf.get(code);
    return periodDays === undefined ? [] : publishPeriod(range.period, periodDays).within;
  });
}

/** The figures of one period's published service rows by name, for the periods holding it. */
function serviceFigures(
  rows: readonly ServicePeriodFigures[],
  published: ReturnType<typeof publishServiceRows>,
): Record<string, PeriodFigure> {
  const figures: Record<string, PeriodFigure> = {};
  const totals = { uses: 0, quantity: 0, used: 0 };
  rows.forEach((row, i) => {
    const out = published.rows[i] as DisclosedServiceRow;
    for (const measure of ["uses", "quantity", "used"] as const) {
      figures[`${row.serviceId}|${measure}`] = { n: row[measure], value: publishedValue(out[measure]) };
      totals[measure] += row[measure];
    }
    const groups = (row.people?.byAgeBandGender ?? {}) as Record<string, Record<string, { uses: number }>>;
    const counts = {
      rowLabels: out.usesBy.ageBandGender.rowLabels,
      columnLabels: out.usesBy.ageBandGender.columnLabels,
      cells: out.usesBy.ageBandGender.rowLabels.map((age) =>
        out.usesBy.ageBandGender.columnLabels.map((gender) => groups[age]?.[gender]?.uses ?? 0),
      ),
    };
    Object.assign(figures, tableFigures(counts, out.usesBy.ageBandGender, `${row.serviceId}|by|`));
    for (const [language, group] of Object.entries(row.people?.byLanguage ?? {})) {
      const cell = out.usesBy.languages.find((item) => item.language === language)?.count;
      figures[`${row.serviceId}|lang|${language}`] = { n: group.uses, value: publishedValue(cell) };
    }
  });
  const total = published.totals[0];
  for (const measure of ["uses", "quantity", "used"] as const) {
    figures[`total|${measure}`] = { n: totals[measure], value: publishedValue(total?.[measure]) };
  }
  return figures;
}

function publishedValue(cell: DisclosedCell | undefined): number {
  return cell === undefined || cell.suppressed ? 0 : cell.value;
}

function peopleField(people: ServicePeople | undefined): { people?: ServicePeople } {
  return people === undefined ? {} : { people };
}
