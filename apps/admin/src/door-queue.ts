// The door's offline queue. Every tap is written to IndexedDB with its idempotency key before anything is
// sent; a tap leaves the queue only once the server has answered `created` or `duplicate` for its key. A
// reload, a crash or a lost answer therefore re-sends at most what the server may already have, and the
// server's idempotency keys turn those re-sends into `duplicate`: each arrival is counted exactly once.

/** One queued arrival, in the shape of `POST /api/visits/batch`'s items. */
export interface QueuedVisit {
  idempotencyKey: string;
  centreId: string;
  arrivedAt: string;
  ageBand?: string;
  gender?: string;
  languages?: string[];
  firstVisit?: boolean;
  /** Services used with this arrival (a shower, a meal), recorded with the visit in one write. */
  uses?: Array<{ serviceId: string }>;
}

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
