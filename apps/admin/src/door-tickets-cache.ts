// Today's ticket queues as the door last saw them, kept on the device (localStorage) so a reload or a tab
// opened offline still shows who is waiting. A ticket is a number and times: nothing about a person.

import type { Schemas } from "./api.js";
import { cachedToday, localDayIn } from "./door-today-cache.js";

export type DoorTicket = Schemas["Ticket"];

export interface CachedTickets {
  centreId: string;
  day: string;
  timeZone: string;
  /** Every ticket of the day the device knows of, whatever its status. */
  tickets: DoorTicket[];
}

const KEY = "halte-door-tickets";

export function saveTickets(cache: CachedTickets): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(cache));
  } catch {
    // A full or disabled storage costs only the offline start.
  }
}

/** The cached tickets of this centre, if they are still today's at the centre (yesterday's are gone). */
export function cachedTickets(centreId: string, now: Date): CachedTickets | null {
  try {
    const cache = JSON.parse(localStorage.getItem(KEY) ?? "null") as CachedTickets | null;
    if (!cache || cache.centreId !== centreId) return null;
    return localDayIn(cache.timeZone, now) === cache.day ? cache : null;
  } catch {
    return null;
  }
}

/**
 * Puts a ticket the server just acknowledged into the cache before its act leaves the queue: it is always
 * in one or the other, so it never vanishes from the list, offline starts included.
 */
export function rememberTicket(ticket: DoorTicket): void {
  const timeZone = cachedToday(ticket.centreId, new Date())?.timeZone;
  const cache =
    cachedTickets(ticket.centreId, new Date()) ??
    (timeZone ? { centreId: ticket.centreId, day: ticket.day, timeZone, tickets: [] } : null);
  if (!cache || cache.day !== ticket.day) return;
  saveTickets({ ...cache, tickets: [...cache.tickets.filter((t) => t.id !== ticket.id), ticket] });
}

/**
 * What the ticket queues' lazy chunk needs from the door's own modules, handed to it as a prop: a lazy chunk
 * that imported them itself would share them with the door page's chunk, and the bundler would then fold
 * that page into a nameless shared chunk (the JS budget's measure, scripts/page-size.ts, needs it named).
 */
export const ticketKit = { cachedTickets, saveTickets, localDayIn };
export type TicketKit = typeof ticketKit;
