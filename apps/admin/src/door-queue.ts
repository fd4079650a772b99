// The door's offline queue. Every tap is written to IndexedDB with its idempotency key before anything is
// sent; a tap leaves the queue only once the server has answered `created` or `duplicate` for its key. A
// reload, a crash or a lost answer therefore re-sends at most what the server may already have, and the
// server's idempotency keys turn those re-sends into `duplicate`: each arrival is counted exactly once.
// A use of a service by someone already inside ("+1 shower") goes through the same queue, with its own key,
// and so do the acts of a service's ticket queue (take, call, cancel): a call is a use, counted like a tap.

import type { paths } from "./api-schema.gen.js";

/**
 * One queued arrival, exactly an item of `POST /api/visits/batch` (with its idempotency key; services used
 * with it, a shower or a meal, go in `uses`, recorded with the visit in one write).
 */
export type QueuedVisit =
  paths["/api/visits/batch"]["post"]["requestBody"]["content"]["application/json"]["visits"][number];

/**
 * One queued use of a service not tied to a new arrival: a person already inside takes a shower. Sent as
 * `POST /api/service-uses` with `idempotencyKey` as its `Idempotency-Key` header.
 */
export interface QueuedUse {
  kind: "use";
  idempotencyKey: string;
  centreId: string;
  serviceId: string;
  usedAt: string;
}

/**
 * One act of a service's ticket queue, sent as `POST /api/tickets` (take), `…/{ticketId}/call` or
 * `…/{ticketId}/cancel`. Its key is the act and the ticket (`call:<ticketId>`): tapping "call" twice on one
 * ticket queues it once. A queued call counts as one use of the service, like a "+1".
 */
export type QueuedTicketAct = {
  idempotencyKey: string;
  centreId: string;
  serviceId: string;
  ticketId: string;
  at: string;
} & (
  | { kind: "take"; prefix: string; number: number }
  | { kind: "call" }
  | { kind: "cancel"; reason: "left" | "no_show" }
);

export type QueuedTap = QueuedVisit | QueuedUse | QueuedTicketAct;

export function isQueuedUse(tap: QueuedTap): tap is QueuedUse {
  return "kind" in tap && tap.kind === "use";
}

export function isQueuedVisit(tap: QueuedTap): tap is QueuedVisit {
  return !("kind" in tap);
}

export function isTicketAct(tap: QueuedTap): tap is QueuedTicketAct {
  return "kind" in tap && tap.kind !== "use";
}

const tappedAt = (tap: QueuedTap) =>
  "kind" in tap ? (isQueuedUse(tap) ? tap.usedAt : tap.at) : tap.arrivedAt;

const DB_NAME = "halte-door";
const STORE = "taps";

function openQueue(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE, { keyPath: "idempotencyKey" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

let opened: Promise<IDBDatabase> | null = null;

async function run<T>(
  mode: IDBTransactionMode,
  work: (store: IDBObjectStore) => IDBRequest<T> | undefined,
): Promise<T | undefined> {
  opened ??= openQueue();
  const db = await opened;
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const request = work(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request?.result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

/** Stores a tap (an arrival or a use); resolves once it is durable in IndexedDB. */
export async function enqueueTap(tap: QueuedTap): Promise<void> {
  await run("readwrite", (store) => store.put(tap));
}

/** Every queued tap, arrivals and uses, oldest first. */
export async function queuedTaps(): Promise<QueuedTap[]> {
  return ((await run("readonly", (store) => store.getAll() as IDBRequest<QueuedTap[]>)) ?? []).sort((a, b) =>
    tappedAt(a).localeCompare(tappedAt(b)),
  );
}

/** Every queued arrival, oldest first. */
export async function queuedVisits(): Promise<QueuedVisit[]> {
  return (await queuedTaps()).filter(isQueuedVisit);
}

/**
 * Takes a tap out of the queue before it is sent (an undo while offline). Resolves whether it was still
 * there: false means it was sent already (or is being sent), and the undo must go to the server.
 */
export async function dropQueued(key: string): Promise<boolean> {
  const found = await run("readwrite", (store) => {
    const request = store.get(key);
    request.onsuccess = () => {
      if (request.result !== undefined) store.delete(key);
    };
    return request;
  });
  return found !== undefined;
}

/** Removes taps the server has acknowledged. */
export async function removeVisits(keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await run("readwrite", (store) => {
    for (const key of keys) store.delete(key);
    return undefined;
  });
}
