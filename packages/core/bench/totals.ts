import type { VisitAggregatesByCentre } from "../src/aggregate.js";

// What every method of the aggregation benchmark (run.ts) must agree on, summed over the year.

/** What each method must agree on, summed over the year. */
export interface Totals {
  days: number;
  visits: number;
  firstVisits: number;
  /** Σ over days of the distinct codes of the day. */
  dailyUniqueVisitors: number;
  /** Σ over days of (day index + 1) × visits: catches a visit counted on the wrong day. */
  dayChecksum: number;
  /** Σ over days of (day index + 1) × quantity: the same for service uses. */
  useDayChecksum: number;
  byAgeGender: Record<string, number>;
  byLanguage: Record<string, number>;
  byHour: number[];
  services: Record<string, { uses: number; quantity: number }>;
  partnerUses: number;
}

export function emptyTotals(): Totals {
  return {
    days: 0,
    visits: 0,
    firstVisits: 0,
    dailyUniqueVisitors: 0,
    dayChecksum: 0,
    useDayChecksum: 0,
    byAgeGender: {},
    byLanguage: {},
    byHour: new Array(24).fill(0),
    services: {},
    partnerUses: 0,
  };
}

export function bump(record: Record<string, number>, key: string, amount: number): void {
  record[key] = (record[key] ?? 0) + amount;
}

export function bumpService(totals: Totals, serviceId: string, uses: number, quantity: number): void {
  const s = totals.services[serviceId] ?? { uses: 0, quantity: 0 };
  totals.services[serviceId] = { uses: s.uses + uses, quantity: s.quantity + quantity };
}

export function sorted<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function canonical(t: Totals): string {
  return JSON.stringify({
    ...t,
    byAgeGender: sorted(t.byAgeGender),
    byLanguage: sorted(t.byLanguage),
    services: sorted(t.services),
  });
}

/** Core's day partials of the year and their roll-up to months. */
export interface CoreResult {
  days: VisitAggregatesByCentre;
  months: VisitAggregatesByCentre;
}
