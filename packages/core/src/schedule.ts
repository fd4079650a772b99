import { z } from "zod";
import {
  addDays,
  type InstantInput,
  isoWeekday,
  LocalDate,
  localDateOf,
  localDateParts,
  TimeZone,
  toInstant,
  zonedToInstant,
} from "./zoned-time.js";

/**
 * When a service is open. Slot times are wall times in the schedule's own zone, so "08:00" means eight on
 * the centre's clock all year round, across DST changes. A slot is half-open, `[opensAt, closesAt)`; a slot
 * running past midnight is written as two slots, the first closing at "24:00".
 */

const OpeningTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, "Use HH:MM, from 00:00 to 23:59");
const ClosingTime = z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, "Use HH:MM, up to 24:00");
const Capacity = z.number().int().positive();

const slotShape = { opensAt: OpeningTime, closesAt: ClosingTime, capacity: Capacity.optional() };

// Fixed-width "HH:MM" strings compare in time order.
function closesAfterOpens(slot: { opensAt: string; closesAt: string }): boolean {
  return slot.closesAt > slot.opensAt;
}
const closesAfterOpensError = { error: "closesAt must be after opensAt", path: ["closesAt"] };

/** One opening of a day, in local wall time, with an optional capacity (people or uses per slot). */
export const OpeningSlot = z.strictObject(slotShape).refine(closesAfterOpens, closesAfterOpensError);
export type OpeningSlot = z.infer<typeof OpeningSlot>;

/** A recurring opening on an ISO weekday (1 = Monday … 7 = Sunday). A day may hold several slots. */
export const WeeklySlot = z
  .strictObject({ weekday: z.number().int().min(1).max(7), ...slotShape })
  .refine(closesAfterOpens, closesAfterOpensError);
export type WeeklySlot = z.infer<typeof WeeklySlot>;

const reason = z.string().trim().min(1).max(200).optional();

/**
 * A one-day departure from the weekly pattern: `closed` shuts the whole day (a holiday, an evacuation);
 * `open` replaces that day's weekly slots with its own (an extra day, shorter hours, a cold-snap night).
 */
export const ScheduleException = z.discriminatedUnion("kind", [
  z.strictObject({ date: LocalDate, kind: z.literal("closed"), reason }),
  z.strictObject({ date: LocalDate, kind: z.literal("open"), slots: z.array(OpeningSlot).min(1), reason }),
]);
export type ScheduleException = z.infer<typeof ScheduleException>;

type Issue = { path: (string | number)[]; message: string };

function overlapIssues(
  slots: readonly { opensAt: string; closesAt: string }[],
  groupOf: (index: number) => unknown,
) {
  const issues: Issue[] = [];
  slots.forEach((slot, index) => {
    const clash = slots.findIndex(
      (other, otherIndex) =>
        otherIndex < index &&
        groupOf(otherIndex) === groupOf(index) &&
        slot.opensAt < other.closesAt &&
        other.opensAt < slot.closesAt,
    );
    const other = slots[clash];
    if (other) {
      issues.push({
        path: [index, "opensAt"],
        message: `Overlaps the slot ${other.opensAt}–${other.closesAt} of the same day`,
      });
    }
  });
  return issues;
}

/**
 * A service's (or a centre's) opening hours: a time zone, weekly slots, dated exceptions and an optional
 * daily capacity. Refused: overlapping slots on the same day (each reported on the later slot's `opensAt`)
 * and two exceptions for the same date.
 */
export const Schedule = z
  .strictObject({
    timeZone: TimeZone,
    weekly: z.array(WeeklySlot),
    exceptions: z.array(ScheduleException).default([]),
    dailyCapacity: Capacity.optional(),
  })
  .superRefine((schedule, ctx) => {
    const weekly = overlapIssues(schedule.weekly, (index) => schedule.weekly[index]?.weekday);
    for (const issue of weekly) ctx.addIssue({ code: "custom", ...issue, path: ["weekly", ...issue.path] });
    const seen = new Set<string>();
    schedule.exceptions.forEach((exception, index) => {
      if (seen.has(exception.date)) {
        ctx.addIssue({
          code: "custom",
          path: ["exceptions", index, "date"],
          message: `Another exception already covers ${exception.date}`,
        });
      }
      seen.add(exception.date);
      if (exception.kind !== "open") return;
      for (const issue of overlapIssues(exception.slots, () => exception.date)) {
        ctx.addIssue({ code: "custom", ...issue, path: ["exceptions", index, "slots", ...issue.path] });
      }
    });
  });
export type Schedule = z.infer<typeof Schedule>;

/** An opening as instants: `[start, end)`, with the slot's capacity when it has one. */
export interface Opening {
  readonly start: Date;
  readonly end: Date;
  readonly capacity?: number;
}

/**
 * The slots that really apply on a local date, sorted by opening time: an exception for the date wins over
 * the weekly pattern (`closed` gives none, `open` gives its own slots).
 *
 * @example
 * slotsOn(schedule, "2026-12-25"); // [] when a "closed" exception covers Christmas
 * slotsOn(schedule, "2026-11-28"); // [{ opensAt: "08:00", closesAt: "19:00", capacity: 100 }]
 */
export function slotsOn(schedule: Schedule, date: LocalDate): OpeningSlot[] {
  const exception = schedule.exceptions.find((candidate) => candidate.date === date);
  let slots: OpeningSlot[];
  if (exception) {
    slots = exception.kind === "open" ? [...exception.slots] : [];
  } else {
    const weekday = isoWeekday(date);
    slots = schedule.weekly.filter((slot) => slot.weekday === weekday).map(({ weekday: _, ...slot }) => slot);
  }
  return slots.sort((a, b) => (a.opensAt < b.opensAt ? -1 : a.opensAt > b.opensAt ? 1 : 0));
}

function wallTimeOn(date: LocalDate, time: string, timeZone: string): Date {
  // "24:00" is hour 24 of this date, which zonedToInstant reads as the next day's midnight.
  const hour = Number(time.slice(0, 2));
  const minute = Number(time.slice(3, 5));
  return zonedToInstant({ ...localDateParts(date), hour, minute }, timeZone);
}

/**
 * The openings of a local date as instants, DST-correct: a slot over the spring gap is shorter, one over
 * the autumn overlap longer, and a slot that falls wholly in the gap (02:00–03:00 in Paris on the last
 * Sunday of March) does not happen.
 *
 * @example
 * openingsOn(schedule, "2026-11-28"); // [{ start: 2026-11-28T07:00:00Z, end: 2026-11-28T18:00:00Z, capacity: 100 }]
 */
export function openingsOn(schedule: Schedule, date: LocalDate): Opening[] {
  const openings: Opening[] = [];
  for (const slot of slotsOn(schedule, date)) {
    const start = wallTimeOn(date, slot.opensAt, schedule.timeZone);
    const end = wallTimeOn(date, slot.closesAt, schedule.timeZone);
    if (end > start)
      openings.push(slot.capacity === undefined ? { start, end } : { start, end, capacity: slot.capacity });
  }
  return openings;
}

// Openings from `firstDate` for `days` days, with back-to-back ones (a slot closing at 24:00 and the next
// day's opening at 00:00) joined, since for a visitor the service does not close in between.
// `openEnded` marks an opening still running when the horizon ran out.
function* continuousOpenings(
  schedule: Schedule,
  firstDate: LocalDate,
  days: number,
): Generator<{ start: Date; end: Date; openEnded: boolean }> {
  let pending: { start: Date; end: Date } | undefined;
  for (let offset = 0; offset < days; offset++) {
    for (const opening of openingsOn(schedule, addDays(firstDate, offset))) {
      if (pending && opening.start <= pending.end) {
        if (opening.end > pending.end) pending.end = opening.end;
        continue;
      }
      if (pending) yield { ...pending, openEnded: false };
      pending = { start: opening.start, end: opening.end };
    }
  }
  if (pending) {
    const horizonEnd = wallTimeOn(addDays(firstDate, days - 1), "24:00", schedule.timeZone);
    yield { ...pending, openEnded: pending.end >= horizonEnd };
  }
}

function horizonOf(options: { horizonDays?: number } | undefined): number {
  const horizonDays = options?.horizonDays ?? 366;
  if (!Number.isInteger(horizonDays) || horizonDays < 0) {
    throw new RangeError(`horizonDays must be a non-negative integer, got ${horizonDays}`);
  }
  return horizonDays;
}

/**
 * Tells whether the service is open at an instant, on the schedule's local clock (exceptions included).
 *
 * @example
 * isOpen(schedule, new Date("2026-11-28T10:00:00Z")); // true: 11:00 in Paris, within 08:00–19:00
 */
export function isOpen(schedule: Schedule, instant: InstantInput): boolean {
  const at = toInstant(instant);
  // A slot closing at "24:00" ends exactly where the next local day starts, so only today's slots can hold it.
  const today = localDateOf(at, schedule.timeZone);
  return openingsOn(schedule, today).some((opening) => opening.start <= at && at < opening.end);
}

/**
 * The service's status for a public directory: open now and until when (`closesAt` is `null` when it stays
 * open beyond the horizon, as an around-the-clock shelter does), or closed and when it next opens
 * (`nextOpensAt` is `null` when it does not open within `horizonDays`, default 366, days).
 *
 * @example
 * openingStatus(schedule, new Date("2026-11-28T10:00:00Z")); // { open: true, closesAt: 2026-11-28T18:00:00Z }
 * openingStatus(schedule, new Date("2026-11-28T19:30:00Z")); // { open: false, nextOpensAt: 2026-11-29T07:00:00Z }
 */
export function openingStatus(
  schedule: Schedule,
  instant: InstantInput,
  options?: { horizonDays?: number },
): { open: true; closesAt: Date | null } | { open: false; nextOpensAt: Date | null } {
  const at = toInstant(instant);
  const today = localDateOf(at, schedule.timeZone);
  for (const opening of continuousOpenings(schedule, addDays(today, -1), horizonOf(options) + 2)) {
    if (opening.end <= at) continue;
    if (opening.start <= at) return { open: true, closesAt: opening.openEnded ? null : opening.end };
    return { open: false, nextOpensAt: opening.start };
  }
  return { open: false, nextOpensAt: null };
}

/**
 * The next instant the service opens, at or after `instant`: when it is open at `instant` this is the
 * start of the *following* opening (back-to-back slots count as one opening), since it already opened.
 * `null` when it does not open within `horizonDays` (default 366) days.
 *
 * @example
 * nextOpening(schedule, new Date("2026-11-28T10:00:00Z")); // 2026-11-29T07:00:00Z, Sunday 08:00 in Paris
 */
export function nextOpening(
  schedule: Schedule,
  instant: InstantInput,
  options?: { horizonDays?: number },
): Date | null {
  const at = toInstant(instant);
  const today = localDateOf(at, schedule.timeZone);
  for (const opening of continuousOpenings(schedule, addDays(today, -1), horizonOf(options) + 2)) {
    if (opening.start >= at) return opening.start;
  }
  return null;
}

/**
 * The capacity that applies on a local date: its effective slots with their capacities, and the day's
 * capacity — 0 on a closed day; otherwise the smaller of the schedule's `dailyCapacity` and the sum of
 * the slot capacities (counted only when every slot has one); absent when neither is known.
 *
 * @example
 * capacityOn(schedule, "2026-11-28"); // { daily: 100, slots: [{ opensAt: "08:00", closesAt: "19:00" }] }
 */
export function capacityOn(schedule: Schedule, date: LocalDate): { daily?: number; slots: OpeningSlot[] } {
  const slots = slotsOn(schedule, date);
  if (slots.length === 0) return { daily: 0, slots };
  const limits: number[] = [];
  if (schedule.dailyCapacity !== undefined) limits.push(schedule.dailyCapacity);
  if (slots.every((slot) => slot.capacity !== undefined)) {
    limits.push(slots.reduce((sum, slot) => sum + (slot.capacity ?? 0), 0));
  }
  return limits.length > 0 ? { daily: Math.min(...limits), slots } : { slots };
}

/**
 * The daily capacity (`capacityOn(schedule, day).daily`) of each of `days`, worked out once per weekday: a
 * day without an exception has its weekday's. For reports over years of days and many services, which pass
 * the days' ISO weekdays (`weekdays`, by default worked out here) once for all services.
 *
 * @example
 * dailyCapacities(schedule, ["2026-11-02", "2026-11-09"]); // [12, 12]: two Mondays
 */
export function dailyCapacities(
  schedule: Schedule,
  days: readonly LocalDate[],
  weekdays: readonly number[] = days.map(isoWeekday),
): (number | undefined)[] {
  const exceptional = new Set(schedule.exceptions.map((exception) => exception.date));
  const byWeekday = new Map<number, number | undefined>();
  return days.map((day, i) => {
    if (exceptional.has(day)) return capacityOn(schedule, day).daily;
    const weekday = weekdays[i] as number;
    if (!byWeekday.has(weekday)) byWeekday.set(weekday, capacityOn(schedule, day).daily);
    return byWeekday.get(weekday);
  });
}
