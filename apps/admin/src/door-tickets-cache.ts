// Today's ticket queues as the door last saw them, kept on the device (localStorage) so a reload or a tab
// opened offline still shows who is waiting. A ticket is a number and times: nothing about a person.

import { estimatedWaitMinutes, minutesPerCall, nextTicketNumber, ticketLabel } from "@halte/core";
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
const PREFIX_KEY = "halte-door-ticket-prefix";

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

const LAST_KEY = "halte-door-ticket-last";

/**
 * The highest number this device gave for a service, day and letter: the next is above it even when the
 * list shown lags behind (a ticket between its acknowledgement and the next read), so a number is never
 * given twice by one device.
 */
export function lastTicketNumber(serviceId: string, day: string, prefix: string): number {
  try {
    const last = JSON.parse(localStorage.getItem(LAST_KEY) ?? "{}") as Record<string, number>;
    return last[`${serviceId}/${day}/${prefix}`] ?? 0;
  } catch {
    return 0;
  }
}

export function saveLastTicketNumber(serviceId: string, day: string, prefix: string, number: number): void {
  try {
    // Only today's entries are kept: the store stays a few bytes.
    const last = JSON.parse(localStorage.getItem(LAST_KEY) ?? "{}") as Record<string, number>;
    const kept = Object.fromEntries(Object.entries(last).filter(([key]) => key.split("/")[1] === day));
    localStorage.setItem(LAST_KEY, JSON.stringify({ ...kept, [`${serviceId}/${day}/${prefix}`]: number }));
  } catch {
    // as in saveTickets
  }
}

/** The letter this device (for this signed-in caller) numbers its tickets with at a centre, once claimed. */
export function cachedPrefix(centreId: string, holderId: string): string | null {
  try {
    const held = JSON.parse(localStorage.getItem(PREFIX_KEY) ?? "null") as {
      centreId: string;
      holderId: string;
      prefix: string;
    } | null;
    return held && held.centreId === centreId && held.holderId === holderId ? held.prefix : null;
  } catch {
    return null;
  }
}

export function savePrefix(centreId: string, holderId: string, prefix: string): void {
  try {
    localStorage.setItem(PREFIX_KEY, JSON.stringify({ centreId, holderId, prefix }));
  } catch {
    // as in saveTickets
  }
}

/**
 * What the ticket queues' lazy chunk needs from the door's own modules and core, handed to it as a prop:
 * a lazy chunk that imported them itself would share them with the door page's chunk, and the bundler would
 * then fold that page into a nameless shared chunk (the JS budget's measure, scripts/page-size.ts, needs
 * it named).
 */
export const ticketKit = {
  cachedTickets,
  saveTickets,
  cachedPrefix,
  savePrefix,
  lastTicketNumber,
  saveLastTicketNumber,
  localDayIn,
  nextTicketNumber,
  ticketLabel,
  minutesPerCall,
  estimatedWaitMinutes,
};
export type TicketKit = typeof ticketKit;
