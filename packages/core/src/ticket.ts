import { z } from "zod";
import { Id, Instant } from "./common.js";
import { err, ok, type Result } from "./result.js";

// The door's ticket queue for services with few places (12 shower cabins for 100+ people a day): take a
// number, call the next, see who waits and for about how long. A ticket holds no personal data: a number,
// a service, a centre-local day and the times it was taken, called or cancelled.

/** Where a ticket stands: `waiting` until it is `called` (one use of the service) or `cancelled`. */
export const TicketStatus = z.enum(["waiting", "called", "cancelled"]);
export type TicketStatus = z.infer<typeof TicketStatus>;

/** Why a waiting ticket was cancelled: the person left, or did not answer when called. */
export const TicketCancelReason = z.enum(["left", "no_show"]);
export type TicketCancelReason = z.infer<typeof TicketCancelReason>;

/**
 * The letters a door device numbers its tickets with (`D-14`). Each caller (door device or staff user)
 * gets its own at a centre, so two tablets taking tickets offline at the same time never make the same
 * number. I and O are left out: read aloud or on a small screen they pass for 1 and 0.
 */
export const TicketPrefix = z
  .string()
  .regex(/^[A-HJ-NP-Z]{1,2}$/, "One or two capital letters, without I or O");
export type TicketPrefix = z.infer<typeof TicketPrefix>;

const PREFIX_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ";

/** How many callers of one centre can get a letter: 24 single letters and 576 pairs. */
export const TICKET_PREFIX_COUNT = PREFIX_LETTERS.length + PREFIX_LETTERS.length ** 2;

/** The highest number a device gives in one day for one service. */
export const MAX_TICKET_NUMBER = 9999;

/** What the door sends to take a ticket. The device chooses the id, the letter (its own) and the number. */
export const TakeTicketInput = z.strictObject({
  /** Chosen by the device, so that a call or a cancel queued offline can name a ticket not yet sent. */
  id: Id,
  centreId: Id,
  serviceId: Id,
  takenAt: Instant,
  prefix: TicketPrefix,
  number: z.int().min(1).max(MAX_TICKET_NUMBER),
});
export type TakeTicketInput = z.infer<typeof TakeTicketInput>;

/** Calling a waiting ticket: the moment is the moment of the use of the service. */
export const CallTicketInput = z.strictObject({ calledAt: Instant });
export type CallTicketInput = z.infer<typeof CallTicketInput>;

export const CancelTicketInput = z.strictObject({ cancelledAt: Instant, reason: TicketCancelReason });
export type CancelTicketInput = z.infer<typeof CancelTicketInput>;

/**
 * The prefix of the `index`-th caller to take tickets at a centre (0-based): A … Z without I and O, then
 * AA, AB … (576 two-letter prefixes after the 24 single letters).
 *
 * @example
 * ticketPrefixFor(0); // "A"
 * ticketPrefixFor(8); // "J" (no I)
 * ticketPrefixFor(24); // "AA"
 */
export function ticketPrefixFor(index: number): TicketPrefix {
  const n = PREFIX_LETTERS.length;
  if (!Number.isInteger(index) || index < 0 || index >= TICKET_PREFIX_COUNT) {
    throw new RangeError(`No ticket prefix for index ${index}`);
  }
  if (index < n) return PREFIX_LETTERS[index] as string;
  const rest = index - n;
  return `${PREFIX_LETTERS[Math.floor(rest / n)]}${PREFIX_LETTERS[rest % n]}`;
}

/**
 * The ticket number as shown and called out: the device's letter, a dash, the number.
 *
 * @example
 * ticketLabel("D", 14); // "D-14"
 */
export function ticketLabel(prefix: string, number: number): string {
  return `${prefix}-${number}`;
}

/**
 * The next number a device gives for one service on one day: one more than the highest it gave (its own
 * letter only), 1 for the first. The tickets passed are that service's of that day, whatever their status:
 * a cancelled number is never given again.
 *
 * @example
 * nextTicketNumber([{ prefix: "D", number: 3 }, { prefix: "A", number: 9 }], "D"); // 4
 * nextTicketNumber([], "D"); // 1
 */
export function nextTicketNumber(
  tickets: readonly { prefix: string; number: number }[],
  prefix: string,
): number {
  let highest = 0;
  for (const ticket of tickets) if (ticket.prefix === prefix) highest = Math.max(highest, ticket.number);
  return highest + 1;
}

export type TicketRefusal =
  | { code: "already_called"; message: string }
  | { code: "already_cancelled"; message: string };

/**
 * Whether a ticket may move to `next`: only a waiting ticket is called or cancelled. Repeating the same
 * move (a retry, a replay after offline) answers `{ ok: true, value: "unchanged" }` so the caller returns
 * the first outcome and records nothing twice.
 *
 * @example
 * transitionTicket("waiting", "called"); // { ok: true, value: "changed" }
 * transitionTicket("called", "called"); // { ok: true, value: "unchanged" }
 * transitionTicket("called", "cancelled"); // { ok: false, error: { code: "already_called", … } }
 */
export function transitionTicket(
  current: TicketStatus,
  next: Exclude<TicketStatus, "waiting">,
): Result<"changed" | "unchanged", TicketRefusal> {
  if (current === "waiting") return ok("changed");
  if (current === next) return ok("unchanged");
  return current === "called"
    ? err({ code: "already_called", message: "This ticket was already called" })
    : err({ code: "already_cancelled", message: "This ticket was cancelled" });
}

/** How many recent calls the pace is measured on, and how far back they may lie. */
export const PACE_CALLS = 6;
export const PACE_WINDOW_MS = 90 * 60_000;

/**
 * The service's recent pace in minutes per call: the mean gap between the last {@link PACE_CALLS} calls
 * made within {@link PACE_WINDOW_MS} before `now` (at least two calls, so at least one gap). `null` when
 * there is no such data (the first calls of the day, or a pause of over 90 minutes): the door then shows
 * no estimate rather than a guess.
 *
 * @example
 * const now = new Date("2026-12-07T10:30:00Z");
 * minutesPerCall(["2026-12-07T10:00:00Z", "2026-12-07T10:10:00Z", "2026-12-07T10:20:00Z"], now); // 10
 * minutesPerCall(["2026-12-07T10:00:00Z"], now); // null
 */
export function minutesPerCall(calledAt: readonly string[], now: Date): number | null {
  const since = now.getTime() - PACE_WINDOW_MS;
  const times = calledAt
    .map((at) => Date.parse(at))
    .filter((time) => time >= since && time <= now.getTime())
    .sort((a, b) => a - b)
    .slice(-PACE_CALLS);
  if (times.length < 2) return null;
  const first = times[0] as number;
  const last = times[times.length - 1] as number;
  return (last - first) / (times.length - 1) / 60_000;
}

/**
 * The estimated wait of the waiting ticket at `position` (1 = next to be called), in whole minutes: the
 * position times the recent pace ({@link minutesPerCall}), which already reflects how many places the
 * service runs at once. `null` — show nothing — when there is no pace, or when the ticket lies beyond the
 * places left today (`remainingPlaces`, null when the service has no daily capacity): it may not be
 * served today at all, and a number of minutes would be a promise.
 *
 * @example
 * estimatedWaitMinutes({ position: 3, minutesPerCall: 4.5, remainingPlaces: 10 }); // 14
 * estimatedWaitMinutes({ position: 3, minutesPerCall: null, remainingPlaces: 10 }); // null
 * estimatedWaitMinutes({ position: 11, minutesPerCall: 4.5, remainingPlaces: 10 }); // null
 */
export function estimatedWaitMinutes(input: {
  position: number;
  minutesPerCall: number | null;
  remainingPlaces: number | null;
}): number | null {
  const { position, minutesPerCall: pace, remainingPlaces } = input;
  if (pace === null || position < 1) return null;
  if (remainingPlaces !== null && position > remainingPlaces) return null;
  return Math.round(position * pace);
}
