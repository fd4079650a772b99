// Where a door write's centre keeps its rows, found without a look-up of its own (docs/scale.md, "One
// database per centre"): the door's hot path stays a credential check, one read and one write.
import type { Db, DoorReferences } from "@halte/db";
import type { Context } from "hono";
import type { AppEnv } from "../../context.js";
import { heldCentre } from "./folded-tap.js";

/**
 * Reads a door write's references (`read`, a `doorReferences` of the write) in the database of `centreId`,
 * with that database and its binding. A centre this isolate already wrote for is read where its held binding
 * says; otherwise the directory is read first — on a single-database install that is the one read, and its
 * centre row names the centre's own database, read next. An unknown centre is answered from the directory,
 * where nothing is found: the route gives its usual 422.
 */
export async function doorReferencesAt(
  c: Context<AppEnv>,
  centreId: string,
  read: (db: Db) => Promise<DoorReferences>,
): Promise<{ db: Db; binding: string; references: DoorReferences }> {
  const { db: directory, dbs } = c.get("services");
  const held = heldCentre(centreId)?.binding;
  if (held !== undefined) {
    const db = dbs.dbNamed(held);
    return { db, binding: held, references: await read(db) };
  }
  const there = await read(directory);
  const binding = there.bindings.get(centreId) ?? "DB";
  if (binding === "DB") return { db: directory, binding, references: there };
  const db = dbs.dbNamed(binding);
  return { db, binding, references: await read(db) };
}
