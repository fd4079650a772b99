import { ApiError, api, dataOrThrow, type Problem } from "./api.js";
import { type QueuedVisit, queuedVisits, removeVisits } from "./door-queue.js";

export type SyncOutcome =
  | { kind: "idle" }
  | { kind: "sent"; acknowledged: number }
  | { kind: "offline" }
  | { kind: "refused"; problem: Problem };

// The API takes at most 1,000 visits per batch (MAX_VISIT_BATCH in @halte/core).
const BATCH_SIZE = 500;
let inFlight: Promise<SyncOutcome> | null = null;

/**
 * Sends queued taps with `POST /api/visits/batch` and removes those the server acknowledged. One sync runs
 * at a time: a call made while one runs gets that run's outcome. A refused batch (422) names the visit at
 * fault (`visits.N.field`): that visit alone leaves the queue, so one bad tap cannot block the others; a 401
 * or 403 keeps everything queued for after the next sign-in.
 */
export function syncQueuedVisits(): Promise<SyncOutcome> {
  inFlight ??= sendQueue().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

async function sendQueue(): Promise<SyncOutcome> {
  if (!navigator.onLine) return { kind: "offline" };
  let acknowledged = 0;
  for (;;) {
    const queued = (await queuedVisits()).slice(0, BATCH_SIZE);
    if (queued.length === 0) return acknowledged > 0 ? { kind: "sent", acknowledged } : { kind: "idle" };
    try {
      const answer = await dataOrThrow(api.POST("/api/visits/batch", { body: { visits: queued } }));
      const done = answer.results
        .filter((result) => result.status === "created" || result.status === "duplicate")
        .map((result) => result.idempotencyKey);
      await removeVisits(done);
      acknowledged += done.length;
      if (done.length === 0) return { kind: "sent", acknowledged };
    } catch (error) {
      if (!(error instanceof ApiError)) return { kind: "offline" };
      if (error.problem.status === 422) await removeVisits(rejectedKeys(error.problem, queued));
      return { kind: "refused", problem: error.problem };
    }
  }
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
