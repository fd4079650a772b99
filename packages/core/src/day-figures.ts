import { z } from "zod";
import { type AggregateParseError, Count, checkedPartial, storedJsonValue } from "./aggregate-canonical.js";
import { addCellKeys, CellKey } from "./cell-key.js";
import { Id } from "./common.js";
import { decodeDayFigures, encodeDayFigures } from "./day-figures-stored.js";
import { err, ok, type Result } from "./result.js";
import { addServicePeople, ServicePeople, ServicePeopleAccumulator } from "./service-people.js";
import type { ServiceTally, VisitAggregate } from "./visit-aggregate.js";
import { addDays, daysBetween, isoWeekday, type LocalDate } from "./zoned-time.js";

// What the arrivals and services reports need of a stored month, quarter or year that the merged partial
// cannot give: arrivals are folded per weekday of each day, and a service's `used` and saturated days
// depend on each day's quantity against that day's capacity (the schedule as it is when the report is
// read). So the nightly merge stores, beside the merged partial, these day-level figures — counts and cell
// keys only, never a visitor-code prefix.

/**
 * A centre's day-level figures over one period (a month, quarter or year), days given as offsets from the
 * period's first day: `days`, the days that had a day partial; `arrivals`, arrivals and their cell keys by
 * ISO weekday (Monday first) × local hour, folded from each day's `byHour` exactly as core's
 * `arrivalsByWeekdayHour` and `arrivalsCellKeys` fold them; `services`, per service, each day's
 * `[offset, uses, quantity, key]` (days with a tally only) and who used it over the whole period
 * (`people`, uses by age band × gender and language — counts, no codes).
 */
export const DayFigures = /* @__PURE__ */ (() => {
  // Built in a pure IIFE so that a bundle not reading stored figures (the door, the directory) drops it:
  // core is one module once built, and top-level schema chains are otherwise kept.
  const Offset = z.int().min(0).max(365);
  const Grid = (cell: z.ZodType<number>) => z.array(z.array(cell).length(24)).length(7);
  return z.object({
    days: z.array(Offset),
    arrivals: z.object({ counts: Grid(Count), keys: Grid(CellKey) }),
    services: z.record(
      Id,
      z.object({
        days: z.array(z.tuple([Offset, Count, Count, CellKey])),
        people: ServicePeople.optional(),
      }),
    ),
  });
})();
export type DayFigures = z.infer<typeof DayFigures>;

const emptyGrid = () => Array.from({ length: 7 }, () => new Array<number>(24).fill(0));

/**
 * Day-level figures with nothing in them: no day, a 7 × 24 table of zeros, no service.
 *
 * @example
 * serializeDayFigures(emptyDayFigures()) === serializeDayFigures(dayFiguresOf("2026-11-01", {})); // true
 */
export function emptyDayFigures(): DayFigures {
  return { days: [], arrivals: { counts: emptyGrid(), keys: emptyGrid() }, services: {} };
}

function canonical(figures: DayFigures): DayFigures {
  const services: DayFigures["services"] = {};
  for (const id of Object.keys(figures.services).sort()) {
    const service = figures.services[id] as DayFigures["services"][string];
    services[id] = {
      days: [...service.days].sort((a, b) => a[0] - b[0]),
      ...(service.people === undefined ? {} : { people: service.people }),
    };
  }
  return { days: [...new Set(figures.days)].sort((a, b) => a - b), arrivals: figures.arrivals, services };
}

/** Whether `canonical` would give the same figures back (as `serializeDayFigures` stores them): no copy needed. */
function isCanonical(figures: DayFigures): boolean {
  const increasing = (values: readonly number[], strictly: boolean) =>
    values.every(
      (value, i) => i === 0 || value > (values[i - 1] as number) || (!strictly && value === values[i - 1]),
    );
  const ids = Object.keys(figures.services);
  return (
    increasing(figures.days, true) &&
    ids.every((id, i) => i === 0 || (ids[i - 1] as string) < id) &&
    Object.values(figures.services).every((service) =>
      increasing(
        service.days.map((day) => day[0]),
        false,
      ),
    )
  );
}

/**
 * Builds the day-level figures of the period starting `start` from its day partials (keyed by local day,
 * none before `start`, at most 366 days on).
 *
 * @example
 * const month = dayFiguresOf("2026-11-01", { "2026-11-02": mondayPartial });
 * month.arrivals.counts[0][9]; // arrivals on that Monday between 09:00 and 09:59
 */
export function dayFiguresOf(
  start: LocalDate,
  days: Readonly<Record<string, Pick<VisitAggregate, "byHour" | "services" | "keys">>>,
): DayFigures {
  const figures = emptyDayFigures();
  const people = new Map<string, ServicePeopleAccumulator>();
  for (const [day, partial] of Object.entries(days)) {
    const offset = daysBetween(start, day);
    figures.days.push(offset);
    const w = isoWeekday(day) - 1;
    const counts = figures.arrivals.counts[w] as number[];
    const keys = figures.arrivals.keys[w] as number[];
    for (let h = 0; h < 24; h++) {
      counts[h] = (counts[h] as number) + (partial.byHour[h] ?? 0);
      keys[h] = addCellKeys(keys[h] as number, partial.keys?.byHour[h] ?? 0);
    }
    for (const [id, tally] of Object.entries(partial.services)) {
      const service = figures.services[id] ?? { days: [] };
      service.days.push([offset, tally.uses, tally.quantity, tally.key ?? 0]);
      figures.services[id] = service;
      if (tally.people === undefined) continue;
      const accumulator = people.get(id) ?? new ServicePeopleAccumulator();
      accumulator.absorb(tally.people);
      people.set(id, accumulator);
    }
  }
  for (const [id, accumulator] of people) {
    const finished = accumulator.finish();
    const service = figures.services[id];
    if (finished !== undefined && service !== undefined) service.people = finished;
  }
  return canonical(figures);
}

/**
 * The day-level figures of the period starting `start` from those of the periods it is made of (a quarter's
 * or a year's months, each with its own first day): days shifted to the new first day, arrivals and their
 * keys added, each service's days put together and its people added.
 *
 * @example
 * const quarter = mergeDayFigures("2026-10-01", [{ start: "2026-10-01", figures: october }, { start: "2026-11-01", figures: november }]);
 */
export function mergeDayFigures(
  start: LocalDate,
  parts: readonly { readonly start: LocalDate; readonly figures: DayFigures }[],
): DayFigures {
  const merged = emptyDayFigures();
  const people = new Map<string, ServicePeopleAccumulator>();
  for (const part of parts) {
    const shift = daysBetween(start, part.start);
    for (const day of part.figures.days) merged.days.push(day + shift);
    addGrid(merged.arrivals.counts, part.figures.arrivals.counts, (a, b) => a + b);
    addGrid(merged.arrivals.keys, part.figures.arrivals.keys, addCellKeys);
    for (const [id, service] of Object.entries(part.figures.services)) {
      const into = merged.services[id] ?? { days: [] };
      for (const [day, uses, quantity, key] of service.days)
        into.days.push([day + shift, uses, quantity, key]);
      merged.services[id] = into;
      const accumulator = people.get(id) ?? new ServicePeopleAccumulator();
      accumulator.absorb(service.people);
      people.set(id, accumulator);
    }
  }
  for (const [id, accumulator] of people) {
    const finished = accumulator.finish();
    const service = merged.services[id];
    if (finished !== undefined && service !== undefined) service.people = finished;
  }
  return canonical(merged);
}

/**
 * Adds a 7 × 24 grid into another, cell by cell, with `add` (`+` for counts, `addCellKeys` for keys).
 *
 * @example
 * addGrid(table.cells, figures.arrivals.counts, (a, b) => a + b);
 */
export function addGrid(
  into: number[][],
  from: readonly (readonly number[])[],
  add: (a: number, b: number) => number,
) {
  for (let w = 0; w < into.length; w++) {
    const row = into[w] as number[];
    const other = from[w] ?? [];
    for (let h = 0; h < row.length; h++) row[h] = add(row[h] as number, other[h] ?? 0);
  }
}

/**
 * The service tallies of each day of a stored period (keyed by local day), as the services report reads day
 * partials: uses, quantity and cell key of every day, and the period's `people` on its first day (so they
 * count in the report's period that holds the stored one — a stored period must lie within one).
 *
 * @example
 * serviceDaysOf("2026-11-01", november)["2026-11-03"]?.services["showers"]; // { uses: 41, quantity: 41, bySource: {}, key: … }
 */
export function serviceDaysOf(
  start: LocalDate,
  figures: DayFigures,
): Record<string, { services: Record<string, ServiceTally> }> {
  const days: Record<string, { services: Record<string, ServiceTally> }> = {};
  addServiceDaysOf(days, start, figures, { newDay: () => ({ services: {} }) });
  return days;
}

/**
 * Adds the service tallies of each day of a stored period ({@link serviceDaysOf}) into `days`, each into
 * that day's tallies by {@link addServiceTally} — what adding `serviceDaysOf`'s days one by one gives,
 * without building them apart (a report across centres adds thousands of stored periods). `newDay` makes a
 * day `days` does not hold yet; `dayAt` names the day `offset` days after `start` (by default worked out
 * once per offset; a caller reading many periods that start on the same day may remember them for all).
 *
 * @example
 * const days = {};
 * for (const row of storedMonths) addServiceDaysOf(days, row.start, row.figures, { newDay: () => ({ services: {} }) });
 */
export function addServiceDaysOf<D extends { services: Record<string, ServiceTally> }>(
  days: Record<string, D>,
  start: LocalDate,
  figures: DayFigures,
  options: { newDay: () => D; dayAt?: (offset: number) => LocalDate },
): void {
  const known: string[] = [];
  const dayAt =
    options.dayAt ??
    ((offset: number) => {
      const day = known[offset] ?? addDays(start, offset);
      known[offset] = day;
      return day;
    });
  const servicesOn = (offset: number) => {
    const day = dayAt(offset);
    let found = Object.hasOwn(days, day) ? days[day] : undefined;
    if (found === undefined) {
      found = options.newDay();
      days[day] = found;
    }
    return found.services;
  };
  for (const [id, service] of Object.entries(figures.services)) {
    // The period's people go on its first day: with that day's tally when it has one, else on a tally of
    // no use.
    let people = service.people;
    for (const [offset, uses, quantity, key] of service.days) {
      if (offset === 0 && people !== undefined) {
        addServiceTally(servicesOn(0), id, { uses, quantity, bySource: {}, key, people });
        people = undefined;
      } else addServiceTally(servicesOn(offset), id, { uses, quantity, bySource: {}, key });
    }
    if (people !== undefined)
      addServiceTally(servicesOn(0), id, { uses: 0, quantity: 0, bySource: {}, key: 0, people });
  }
}

/**
 * Adds a service's tally into a day's tallies: uses, quantity, key and people added (sources are not kept:
 * no report reads them from here).
 *
 * @example
 * addServiceTally(day.services, "showers", { uses: 1, quantity: 1, bySource: {}, key: 42 });
 */
export function addServiceTally(into: Record<string, ServiceTally>, id: string, tally: ServiceTally): void {
  const known = Object.hasOwn(into, id) ? into[id] : undefined;
  if (known === undefined) {
    into[id] = tally;
    return;
  }
  const people = addServicePeople(known.people, tally.people);
  into[id] = {
    uses: known.uses + tally.uses,
    quantity: known.quantity + tally.quantity,
    bySource: {},
    key: addCellKeys(known.key ?? 0, tally.key ?? 0),
    ...(people === undefined ? {} : { people }),
  };
}

/**
 * Stores day-level figures as JSON in canonical form (equal figures, equal bytes), in the compact stored
 * form of `day-figures-stored.ts` (arrays of numbers in fixed places).
 *
 * @example
 * serializeDayFigures(emptyDayFigures()); // '{"v":2,"days":[],"arrivals":[[0,…],[0,…]],"services":{}}'
 */
export function serializeDayFigures(figures: DayFigures): string {
  return encodeDayFigures(canonical(figures));
}

/**
 * Reads stored day-level figures: the compact form {@link serializeDayFigures} writes (checked number by
 * number, ids and language codes against the schema), or the earlier object form (checked against
 * `DayFigures`); anything else is refused with `invalid_aggregate`, with where it went wrong.
 *
 * @example
 * const stored = parseDayFigures(row.dayFigures);
 * if (stored.ok) serviceDaysOf(row.start, stored.value);
 */
export function parseDayFigures(json: string): Result<DayFigures, AggregateParseError> {
  const raw = storedJsonValue(json);
  if (!raw.ok) return raw;
  const stored = decodeDayFigures(raw.value);
  if (stored !== null)
    return stored.ok
      ? ok(isCanonical(stored.value) ? stored.value : canonical(stored.value))
      : err({ code: "invalid_aggregate", message: stored.message });
  return checkedPartial(raw.value, DayFigures, canonical);
}
