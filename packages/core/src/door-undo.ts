import { err, ok, type Result } from "./result.js";

/**
 * How long after a tap its recorder may still undo it at the door. Long enough to notice a double tap or
 * a wrong chip while the person is still at the desk; short enough that an undo cannot rewrite a day that
 * funders may already have seen.
 */
export const UNDO_WINDOW_MS = 10 * 60_000;

/** What an undo needs to know of the tap it voids. */
export interface UndoTarget {
  createdAt: string;
  recordedBy: string | null;
  voidedAt: string | null;
}

export type UndoRefusal =
  | { code: "not_recorder"; message: string }
  | { code: "too_late"; message: string }
  | { code: "already_voided"; message: string };

/**
 * Whether `callerId` may undo a tap at `now`: only the one who recorded it (the same staff user or door
 * device), within {@link UNDO_WINDOW_MS} of recording it, and only once.
 *
 * @example
 * const tap = { createdAt: "2026-12-07T09:00:00.000Z", recordedBy: "u1", voidedAt: null };
 * checkUndo(tap, "u1", new Date("2026-12-07T09:04:00Z")).ok; // true
 * checkUndo(tap, "u2", new Date("2026-12-07T09:04:00Z")); // { ok: false, error: { code: "not_recorder", … } }
 * checkUndo(tap, "u1", new Date("2026-12-07T09:30:00Z")); // { ok: false, error: { code: "too_late", … } }
 */
export function checkUndo(target: UndoTarget, callerId: string, now: Date): Result<true, UndoRefusal> {
  if (target.voidedAt !== null) return err({ code: "already_voided", message: "Already undone" });
  if (target.recordedBy === null || target.recordedBy !== callerId) {
    return err({ code: "not_recorder", message: "Only the device that recorded a tap may undo it" });
  }
  if (now.getTime() - new Date(target.createdAt).getTime() > UNDO_WINDOW_MS) {
    return err({ code: "too_late", message: "A tap can be undone for 10 minutes only" });
  }
  return ok(true);
}
