// The door's offline queue. Every tap is written to IndexedDB with its idempotency key before anything is
// sent; a tap leaves the queue only once the server has answered `created` or `duplicate` for its key. A
// reload, a crash or a lost answer therefore re-sends at most what the server may already have, and the
// server's idempotency keys turn those re-sends into `duplicate`: each arrival is counted exactly once.

import type { paths } from "./api-schema.gen.js";

/**
 * One queued arrival, exactly an item of `POST /api/visits/batch` (with its idempotency key; services used
 * with it, a shower or a meal, go in `uses`, recorded with the visit in one write).
 */
export type QueuedVisit =
  paths["/api/visits/batch"]["post"]["requestBody"]["content"]["application/json"]["visits"][number];

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

/** Stores a tap; resolves once it is durable in IndexedDB. */
export async function enqueueVisit(visit: QueuedVisit): Promise<void> {
  await run("readwrite", (store) => store.put(visit));
}

/** Every queued tap, oldest key first. */
export async function queuedVisits(): Promise<QueuedVisit[]> {
  return ((await run("readonly", (store) => store.getAll() as IDBRequest<QueuedVisit[]>)) ?? []).sort(
    (a, b) => a.arrivedAt.localeCompare(b.arrivedAt),
  );
}

/** Removes taps the server has acknowledged. */
export async function removeVisits(keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await run("readwrite", (store) => {
    for (const key of keys) store.delete(key);
    return undefined;
  });
}
