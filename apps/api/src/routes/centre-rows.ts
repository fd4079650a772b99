// Reading and writing a centre's rows where they live (docs/scale.md, "One database per centre"): the door,
// services, service uses and tickets. On a single-database install every helper here reads the directory,
// exactly as before.
import type { Db } from "@halte/db";
import type { Context } from "hono";
import type { Principal } from "../auth/principal.js";
import type { AppEnv } from "../context.js";
import { heldCentre } from "./visits/folded-tap.js";

export interface CentreDatabase {
  db: Db;
  d1: D1Database;
}

/**
 * The database of a centre named in a request body, with its binding: its own (as the door last found it in
 * this isolate, else as the directory names it), or the directory when the directory does not know the
 * centre (binding "DB") — the reads there find nothing, so the route answers its usual 422 on `centreId`.
 */
export async function centreDbOrDirectory(
  c: Context<AppEnv>,
  centreId: string,
): Promise<CentreDatabase & { binding: string }> {
  const { dbs } = c.get("services");
  const binding = heldCentre(centreId)?.binding ?? (await dbs.bindingOf(centreId)) ?? "DB";
  return { db: dbs.dbNamed(binding), d1: dbs.d1Named(binding), binding };
}

/**
 * A door tap named by id alone (an undo): first where the caller may look, then — for a caller bound to one
 * centre — in the other centres' databases, so that another centre's tap is refused with the same 403 as on
 * one database (it was never a 404 there), never written to.
 */
export async function findTapAnywhere<T>(
  c: Context<AppEnv>,
  principal: Principal,
  lookup: (db: Db) => Promise<T | null | undefined>,
): Promise<({ found: T } & CentreDatabase) | null> {
  const { dbs } = c.get("services");
  const reachable = await dbs.findInReachable(principal, lookup);
  if (reachable || principal.centreId === null) return reachable;
  for (const held of await dbs.databasesOf("all")) {
    if (held.centreIds.includes(principal.centreId)) continue;
    const found = await lookup(held.db);
    if (found !== null && found !== undefined) return { found, db: held.db, d1: held.d1 };
  }
  return null;
}
