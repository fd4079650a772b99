import { ApiError, api, dataOrThrow, type Problem } from "./api.js";
import {
  isQueuedUse,
  isQueuedVisit,
  type QueuedTicketAct,
  type QueuedUse,
  type QueuedVisit,
  queuedTaps,
  removeVisits,
} from "./door-queue.js";
import { rememberIds } from "./door-recent.js";
import { sendTicketAct } from "./door-ticket-sync.js";
import { addToCachedToday } from "./door-today-cache.js";

export type SyncOutcome =
  | { kind: "idle" }
  | { kind: "sent"; acknowledged: number }
  | { kind: "offline" }
  | { kind: "refused"; problem: Problem };

// The API takes at most 1,000 visits per batch (MAX_VISIT_BATCH in @halte/core).
const BATCH_SIZE = 500;
let inFlight: Promise<SyncOutcome> | null = null;
let started = 0;

/**
 * Sends queued taps — arrivals with `POST /api/visits/batch`, then uses of a service by someone already
 * inside with `POST /api/service-uses` (each with its key as `Idempotency-Key`) and the acts of ticket
 * queues (door-ticket-sync.ts) in the order they were tapped — and removes those the
 * server acknowledged. One sync runs at a time: a call made while one runs gets that run's outcome. A
 * refused batch (422) names the visit at fault (`visits.N.field`): that visit alone leaves the queue, so
 * one bad tap cannot block the others; a use refused as invalid (422) leaves the queue too; a 401 or 403 keeps
 * everything queued for after the next sign-in.
 */
export function syncQueuedVisits(): Promise<SyncOutcome> {
  // A tap queued while a sync runs may have been read too late for it: that run goes round once more.
  if (inFlight !== null) {
    again = true;
    return inFlight;
  }
  started += 1;
  inFlight = sendUntilDone().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

let again = false;

async function sendUntilDone(): Promise<SyncOutcome> {
  let total = 0;
  for (;;) {
    again = false;
    const outcome = await sendQueue();
    if (outcome.kind === "sent") total += outcome.acknowledged;
    if (!again || outcome.kind === "offline" || outcome.kind === "refused") {
      return outcome.kind === "idle" && total > 0 ? { kind: "sent", acknowledged: total } : outcome;
    }
  }
}

/**
 * How many syncs have started. A reader of the server's counts and the queue checks it did not change
 * while it read: a tap sent in between could be in both (counted twice) or in neither.
 */
export function syncsStarted(): number {
  return started;
}

/** Resolves once the sync under way (if any) is over. */
export async function currentSync(): Promise<void> {
  await inFlight?.catch(() => undefined);
}

async function sendQueue(): Promise<SyncOutcome> {
  if (!navigator.onLine) return { kind: "offline" };
  let acknowledged = 0;
  for (;;) {
    const taps = await queuedTaps();
    const queued = taps.filter(isQueuedVisit).slice(0, BATCH_SIZE);
    if (queued.length === 0) break;
    try {
      const answer = await dataOrThrow(api.POST("/api/visits/batch", { body: { visits: queued } }));
      const done = answer.results.filter(
        (result) => result.status === "created" || result.status === "duplicate",
      );
      rememberIds(new Map(done.map((result) => [result.idempotencyKey, result.id])));
      countInCache(queued, answer.results);
      await removeVisits(done.map((result) => result.idempotencyKey));
      acknowledged += done.length;
      if (done.length === 0) return { kind: "sent", acknowledged };
    } catch (error) {
      if (!(error instanceof ApiError)) return { kind: "offline" };
      if (error.problem.status === 422) await removeVisits(rejectedKeys(error.problem, queued));
      return { kind: "refused", problem: error.problem };
    }
  }
  // Uses and ticket acts in the order they were tapped: a ticket is taken before it is called.
  const rest = (await queuedTaps()).filter((tap): tap is QueuedUse | QueuedTicketAct => !isQueuedVisit(tap));
  for (const tap of rest) {
    const outcome = isQueuedUse(tap) ? await sendUse(tap) : await sendTicketAct(tap);
    if (outcome !== "sent") return outcome;
    acknowledged += 1;
  }
  return acknowledged > 0 ? { kind: "sent", acknowledged } : { kind: "idle" };
}

async function sendUse(use: QueuedUse): Promise<"sent" | Exclude<SyncOutcome, { kind: "sent" | "idle" }>> {
  try {
    const call = api.POST("/api/service-uses", {
      params: { header: { "idempotency-key": use.idempotencyKey } },
      body: { centreId: use.centreId, serviceId: use.serviceId, usedAt: use.usedAt, quantity: 1 },
    });
    const answer = await dataOrThrow(call);
    if ((await call).response.status === 201) addToCachedToday(0, new Map([[use.serviceId, 1]]));
    rememberIds(new Map([[use.idempotencyKey, answer.id]]));
    await removeVisits([use.idempotencyKey]);
    return "sent";
  } catch (error) {
    if (!(error instanceof ApiError)) return { kind: "offline" };
    // A use the server refuses for good (an archived service) would block every later one.
    if (error.problem.status === 422) await removeVisits([use.idempotencyKey]);
    return { kind: "refused", problem: error.problem };
  }
}

/** Adds the arrivals the server took as new (and their uses) to the day cached on the device. */
function countInCache(queued: QueuedVisit[], results: { idempotencyKey: string; status: string }[]): void {
  const created = new Set(results.filter((r) => r.status === "created").map((r) => r.idempotencyKey));
  const uses = new Map<string, number>();
  for (const visit of queued) {
    if (!created.has(visit.idempotencyKey)) continue;
    for (const use of visit.uses ?? []) {
      uses.set(use.serviceId, (uses.get(use.serviceId) ?? 0) + (use.quantity ?? 1));
    }
  }
  addToCachedToday(created.size, uses);
}

function rejectedKeys(problem: Problem, queued: QueuedVisit[]): string[] {
  const keys = new Set<string>();
  for (const error of problem.errors ?? []) {
    const [collection, index] = error.path;
    const visit = collection === "visits" && typeof index === "number" ? queued[index] : undefined;
    if (visit) keys.add(visit.idempotencyKey);
  }
  return [...keys];
}
