// The door's last taps, kept on the device so they can be undone: the server accepts an undo from the
// device that recorded a tap, within 10 minutes (UNDO_WINDOW_MS in @halte/core). A tap still queued is
// simply dropped from the queue; a sent one is voided through the API by the id its sync answer gave.

import { api, dataOrThrow } from "./api.js";
import { dropQueued } from "./door-queue.js";
import { currentSync } from "./door-sync.js";

/** As in @halte/core's UNDO_WINDOW_MS (the door bundle does not import core). */
export const UNDO_WINDOW_MS = 10 * 60_000;
const KEY = "halte-door-recent";
const KEPT = 20;

export interface RecentTap {
  idempotencyKey: string;
  kind: "visit" | "use";
  /** The service of a use ("+1 shower"), or the services that went with an arrival. */
  serviceIds: string[];
  /** When it was tapped (ms since the epoch). */
  at: number;
  /** The server's id, once a sync has sent it. */
  id?: string;
}

function read(): RecentTap[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? "[]");
    return Array.isArray(parsed) ? (parsed as RecentTap[]) : [];
  } catch {
    return [];
  }
}

function write(taps: RecentTap[]): void {
  localStorage.setItem(KEY, JSON.stringify(taps.slice(-KEPT)));
}

/** Remembers a tap just made. */
export function rememberTap(tap: RecentTap): void {
  write([...read(), tap]);
}

/** Notes the server's ids of sent taps (by idempotency key). */
export function rememberIds(ids: ReadonlyMap<string, string>): void {
  if (ids.size === 0) return;
  const taps = read();
  if (!taps.some((tap) => ids.has(tap.idempotencyKey))) return;
  write(taps.map((tap) => ({ ...tap, id: tap.id ?? ids.get(tap.idempotencyKey) })));
}

/** The most recent tap that can still be undone at `now`, if any. */
export function lastUndoable(now: number): RecentTap | undefined {
  return read()
    .filter((tap) => now - tap.at < UNDO_WINDOW_MS)
    .at(-1);
}

export type UndoOutcome = "dropped" | "voided" | "offline" | "refused";

/**
 * Undoes a tap: drops it from the queue if it is still there, else voids it on the server. It leaves the
 * recent list in every case but `offline` (try again when the network is back).
 */
export async function undoTap(tap: RecentTap): Promise<UndoOutcome> {
  // A sync under way may be sending this very tap: let it finish so its id is known.
  await currentSync();
  let outcome: UndoOutcome;
  if (await dropQueued(tap.idempotencyKey)) {
    outcome = "dropped";
  } else {
    const id = read().find((recent) => recent.idempotencyKey === tap.idempotencyKey)?.id;
    if (!navigator.onLine) return "offline";
    try {
      if (id === undefined) throw new Error("sent, but its id never came back");
      await dataOrThrow(
        tap.kind === "visit"
          ? api.POST("/api/visits/{visitId}/void", { params: { path: { visitId: id } } })
          : api.POST("/api/service-uses/{serviceUseId}/void", { params: { path: { serviceUseId: id } } }),
      );
      outcome = "voided";
    } catch (error) {
      if (error instanceof TypeError) return "offline";
      outcome = "refused";
    }
  }
  write(read().filter((recent) => recent.idempotencyKey !== tap.idempotencyKey));
  return outcome;
}
