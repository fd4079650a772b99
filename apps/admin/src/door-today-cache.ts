// Today's counts, services and capacities as the door last saw them, kept on the device (localStorage) so a
// reload or a tab opened while offline shows the whole day, not only the taps still queued. Only the day's
// figures are kept: counts and service names, nothing about a person.

import type { Schemas } from "./api.js";

type DoorToday = Schemas["DoorToday"];
const KEY = "halte-door-today";

/** The centre-local day of an instant, in the centre's zone (never the device's). */
export function localDayIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
}

export function saveToday(today: DoorToday): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(today));
  } catch {
    // A full or disabled storage costs only the offline start.
  }
}

/** The cached day of this centre, if it is still today at the centre. */
export function cachedToday(centreId: string, now: Date): DoorToday | null {
  try {
    const today = JSON.parse(localStorage.getItem(KEY) ?? "null") as DoorToday | null;
    if (!today || today.centreId !== centreId) return null;
    return localDayIn(today.timeZone, now) === today.day ? today : null;
  } catch {
    return null;
  }
}

/**
 * Adds taps the server has just acknowledged as new to the cached day, so a device that goes offline
 * before its next refresh still counts them (they have left the queue).
 */
export function addToCachedToday(visits: number, usesByService: ReadonlyMap<string, number>): void {
  try {
    const today = JSON.parse(localStorage.getItem(KEY) ?? "null") as DoorToday | null;
    if (!today) return;
    saveToday({
      ...today,
      visits: today.visits + visits,
      services: today.services.map((service) => ({
        ...service,
        uses: service.uses + (usesByService.get(service.serviceId) ?? 0),
      })),
    });
  } catch {
    // as in saveToday
  }
}
