import { compareCodeUnits, sortedRecord } from "./aggregate-canonical.js";
import type { VisitAggregate } from "./visit-aggregate.js";

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
