import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema/index.js";

function newDb(d1: D1Database) {
  return drizzle(d1, { schema });
}

export type Db = ReturnType<typeof newDb>;

// Building a client reads every table's relations (~0.2 ms of CPU per request for the door's tap, which made
// one per request): a client holds no state of its own, so one per binding is reused while that binding
// lives (an isolate's `env` keeps the same binding objects from one request to the next).
const clients = new WeakMap<D1Database, Db>();

/** The drizzle client over a D1 binding, with every table's schema for typed queries (one per binding). */
export function createDb(d1: D1Database): Db {
  let db = clients.get(d1);
  if (!db) {
    db = newDb(d1);
    clients.set(d1, db);
  }
  return db;
}
