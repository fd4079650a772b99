// What this device keeps for the tickets it gives (localStorage): its letter, and the highest number it
// gave per service, day and letter. Only the ticket queues' lazy chunk uses it.

const PREFIX_KEY = "halte-door-ticket-prefix";
const LAST_KEY = "halte-door-ticket-last";

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
    // A full or disabled storage: the letter is claimed again (the same one) on the next start.
  }
}

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
    // as in savePrefix: the list shown still gives the next number
  }
}
