import { type KeyedRecord, sortedRecord } from "./aggregate-canonical.js";
import { formatEpochDay, SECONDS_PER_DAY } from "./calendar.js";
import { periodOfDate } from "./period.js";
import type { ServiceUse } from "./service-use.js";
import type { Visit } from "./visit.js";
import { VisitAccumulator } from "./visit-accumulator.js";
import type { VisitAggregate, VisitAggregatesByCentre } from "./visit-aggregate.js";
import { UseColumns, VisitColumns } from "./visit-columns.js";
import { aggregateVisitColumns } from "./visits-columnar.js";
import { epochSecondsOf, ZoneClock } from "./zone-clock.js";

/** The period a roll-up produces, coded `2026-11-28`, `2026W48`, `202611`, `2026Q4` or `2026`. */
export type RollUpPeriod = "day" | "week" | "month" | "quarter" | "year";

/** The time zone of each centre, one for all or looked up by centre id. */
export interface AggregateOptions {
  readonly timeZone: string | ((centreId: string) => string);
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

interface CentreColumns {
  readonly clock: ZoneClock;
  readonly visits: VisitColumns;
  readonly uses: UseColumns;
}

/**
 * Counts visits and service uses per centre and per local day of the centre (DST-safe): the result maps
 * centre id → `YYYY-MM-DD` → partial. A visit counts on the day and hour it arrived, a service use on the
 * day it was used, both read in the centre's time zone; a use recorded with a visit of the same centre counts
 * under that visit's age band, gender and languages. Each instant is parsed once into integer columns
 * (`visit-columns.ts`) and counted by the columnar path (`aggregateVisitColumns`), which the Worker also
 * feeds straight from the `local_day`/`local_hour` columns it stores. Invalid instants or time zones are
 * bugs and throw.
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
  const centres = new Map<string, CentreColumns>();
  const clocks = new Map<string, ZoneClock>();
  let lastCentreId: string | undefined;
  let lastCentre: CentreColumns | undefined;

  const centreOf = (centreId: string): CentreColumns => {
    if (centreId === lastCentreId && lastCentre !== undefined) return lastCentre;
    let centre = centres.get(centreId);
    if (centre === undefined) {
      const timeZone = typeof options.timeZone === "string" ? options.timeZone : options.timeZone(centreId);
      let clock = clocks.get(timeZone);
      if (clock === undefined) {
        clock = new ZoneClock(timeZone);
        clocks.set(timeZone, clock);
      }
      centre = { clock, visits: new VisitColumns(), uses: new UseColumns() };
      centres.set(centreId, centre);
    }
    lastCentreId = centreId;
    lastCentre = centre;
    return centre;
  };

  // A use recorded with a visit is counted under that visit's age band, gender and languages.
  const visitIndex = new Map<string, { centreId: string; index: number }>();
  for (const visit of visits) {
    const centre = centreOf(visit.centreId);
    const local = centre.clock.localSeconds(epochSecondsOf(visit.arrivedAt));
    const day = Math.floor(local / SECONDS_PER_DAY);
    const hour = Math.floor((local - day * SECONDS_PER_DAY) / 3600);
    const index = centre.visits.add({
      day,
      hour,
      ageBand: visit.ageBand,
      gender: visit.gender,
      firstVisit: visit.firstVisit,
      visitorCodeHash: visit.visitorCodeHash,
      languages: visit.languages,
      recordKey: visit.recordKey,
    });
    visitIndex.set(visit.id, { centreId: visit.centreId, index });
  }
  for (const use of uses) {
    const centre = centreOf(use.centreId);
    const local = centre.clock.localSeconds(epochSecondsOf(use.usedAt));
    const visit = use.visitId === null ? undefined : visitIndex.get(use.visitId);
    centre.uses.add({
      day: Math.floor(local / SECONDS_PER_DAY),
      serviceId: use.serviceId,
      source: use.source,
      visit: visit !== undefined && visit.centreId === use.centreId ? visit.index : -1,
      uses: 1,
      quantity: use.quantity,
      key: use.recordKey ?? 0,
    });
  }

  const result = new Map<string, Record<string, VisitAggregate>>();
  for (const [centreId, centre] of centres) {
    const keyed = new Map<string, VisitAggregate>();
    for (const [day, partial] of aggregateVisitColumns(centre.visits, centre.uses)) {
      keyed.set(formatEpochDay(day), partial);
    }
    result.set(
      centreId,
      sortedRecord(keyed, () => true),
    );
  }
  return sortedRecord(result, () => true);
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
        // One code per distinct day, from period.ts: the same calendar as every other period in Halte.
        code = periodOfDate(period, dayKey).code;
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
