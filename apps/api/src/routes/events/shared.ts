import type { Event } from "@halte/core";
import { type Db, getEvent } from "@halte/db";
import type { Context } from "hono";
import { assertCentreVisible, permit, requirePrincipal } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { ApiProblem } from "../../problem.js";

/**
 * Events are drawn on charts and cited by lessons: whoever reads reports or contributes lessons may read them
 * (observers, reception, partners too); coordinators manage them.
 */
export const readers = permit("reports:read", "events:manage", "lessons:contribute");

/**
 * The event if its centre is the caller's, with the database it was found in (where its changes go); 404
 * otherwise, so nobody learns which ids exist elsewhere. Only the databases the caller reaches are searched.
 */
export async function visibleEventIn(c: Context<AppEnv>, eventId: string): Promise<{ event: Event; db: Db }> {
  const principal = requirePrincipal(c);
  const held = await c.get("services").dbs.findInReachable(principal, (db) => getEvent(db, eventId));
  if (!held) throw new ApiProblem("not_found", "No such event");
  assertCentreVisible(principal, held.found.centreId);
  return { event: held.found, db: held.db };
}

/** The event if its centre is the caller's (see {@link visibleEventIn}). */
export async function visibleEvent(c: Context<AppEnv>, eventId: string): Promise<Event> {
  return (await visibleEventIn(c, eventId)).event;
}
