import type { Db } from "@halte/db";
import type { Databases } from "../databases.js";

/**
 * One keyset page of a list read across the databases holding some centres (`dbs.databasesOf`): `read`
 * takes `limit + 1` rows in id order from one database (with the caller's cursor and filters); the rows of
 * every database are merged in the same order, and the caller's `toPage` cuts them, so the page and its
 * cursor are what one database holding every row would give. With one database (a single-database install,
 * or a caller bound to one centre) it is that database's one read. Centres the directory does not know hold
 * no rows: an empty page, as a list of an unknown centre always answered.
 */
export async function pageAcross<T extends { id: string }>(
  dbs: Databases,
  centreIds: readonly string[] | "all",
  order: "asc" | "desc",
  read: (db: Db) => Promise<T[]>,
): Promise<T[]> {
  const held = await dbs.databasesOf(centreIds);
  const [only] = held;
  if (held.length === 1 && only) return read(only.db);
  const rows = (await Promise.all(held.map((h) => read(h.db)))).flat();
  const sign = order === "asc" ? 1 : -1;
  return rows.sort((a, b) => sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
