import type { Event } from "@halte/core";
import { getEvent } from "@halte/db";
import type { Context } from "hono";
import { assertCentreVisible, permit, requirePrincipal } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { ApiProblem } from "../../problem.js";

/**
 * Events are drawn on charts and cited by lessons: whoever reads reports or contributes lessons may read them
 * (observers, reception, partners too); coordinators manage them.
 */
export const readers = permit("reports:read", "events:manage", "lessons:contribute");

/** The event if its centre is the caller's; 404 otherwise, so nobody learns which ids exist elsewhere. */
export async function visibleEvent(c: Context<AppEnv>, eventId: string): Promise<Event> {
  const event = await getEvent(c.get("services").db, eventId);
  if (!event) throw new ApiProblem("not_found", "No such event");
  assertCentreVisible(requirePrincipal(c), event.centreId);
  return event;
}
