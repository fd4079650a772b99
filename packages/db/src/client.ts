import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema/index.js";

/** The drizzle client over a D1 binding, with every table's schema for typed queries. */
export function createDb(d1: D1Database) {
  return drizzle(d1, { schema });
}

export type Db = ReturnType<typeof createDb>;
