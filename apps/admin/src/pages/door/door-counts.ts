import { useRef } from "preact/hooks";
import type { Schemas } from "../../api.js";
import { isQueuedUse, isTicketAct, type QueuedTap } from "../../door-queue.js";

type DoorToday = Schemas["DoorToday"];

/** What the door shows: today's arrivals and, per service, its uses, each counting the queued taps. */
export interface DoorCounts {
  arrivals: number;
  uses: Map<string, number>;
}

/**
 * The server's counts plus the queued taps: arrivals, and uses whether with an arrival, on their own or as
 * a called ticket.
 */
export function countsWithQueue(today: DoorToday | null, queued: readonly QueuedTap[]): DoorCounts {
  const uses = new Map((today?.services ?? []).map((service) => [service.serviceId, service.uses]));
  let arrivals = today?.visits ?? 0;
  for (const tap of queued) {
    if (isQueuedUse(tap) || (isTicketAct(tap) && tap.kind === "call")) {
      uses.set(tap.serviceId, (uses.get(tap.serviceId) ?? 0) + 1);
      continue;
    }
    if (isTicketAct(tap)) continue;
    arrivals += 1;
    for (const use of tap.uses ?? []) {
      uses.set(use.serviceId, (uses.get(use.serviceId) ?? 0) + (use.quantity ?? 1));
    }
  }
  return { arrivals, uses };
}

/**
 * The counts as shown: never lower than what was shown before on the same day, except by an undo. A tap
 * landing while a refresh is under way is for a moment in neither the server's answer nor the queue read
 * with it; without this floor the counter dropped by one for up to 0.4 s.
 */
export function useMonotoneCounts(day: string, counts: DoorCounts) {
  const floor = useRef<{ day: string; values: Map<string, number> }>({ day, values: new Map() });
  if (floor.current.day !== day) floor.current = { day, values: new Map() };
  const values = floor.current.values;
  const lift = (key: string, value: number) => {
    const shown = Math.max(values.get(key) ?? 0, value);
    values.set(key, shown);
    return shown;
  };
  const arrivals = lift("arrivals", counts.arrivals);
  const uses = new Map([...counts.uses].map(([serviceId, count]) => [serviceId, lift(serviceId, count)]));
  /** An undo lowers the floor by what it took away. */
  const lower = (key: "arrivals" | string, by = 1) =>
    values.set(key, Math.max(0, (values.get(key) ?? 0) - by));
  return { arrivals, uses, lower };
}
