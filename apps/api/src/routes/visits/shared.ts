import { type Centre, capacityOn, type VisitInput } from "@halte/core";
import {
  type Db,
  getCentre,
  getVisitByIdempotencyKey,
  type StoredVisit,
  serviceUsesOfVisit,
} from "@halte/db";
import type { Context } from "hono";
import { authorize } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { ApiProblem } from "../../problem.js";
import { serviceUseRecord, visitRecord } from "./record.js";

export async function recordedVisit(centreDb: Db, visit: StoredVisit) {
  const uses = await serviceUsesOfVisit(centreDb, visit.id);
  return { ...visitRecord(visit), uses: uses.map(serviceUseRecord) };
}

/**
 * The answer already given to a visit with this idempotency key (200 with the stored visit), if any; read in
 * the database of the visit's centre (`centreDb`).
 */
export async function storedByKey(c: Context<AppEnv>, centreDb: Db, input: VisitInput) {
  if (input.idempotencyKey === undefined) return null;
  const stored = await getVisitByIdempotencyKey(centreDb, input.centreId, input.idempotencyKey);
  return stored ? c.json(await recordedVisit(centreDb, stored), 200) : null;
}

export function centreCapacity(centre: Centre, day: string): number | null {
  const dailyCapacity = centre.dailyCapacity ?? centre.openingHours.dailyCapacity;
  const schedule =
    dailyCapacity === undefined ? centre.openingHours : { ...centre.openingHours, dailyCapacity };
  return capacityOn(schedule, day).daily ?? null;
}

/**
 * The centre a door screen reads (today's counts, the ticket queues): the one named, else the caller's own,
 * if the caller may record there. Neither named nor bound: 422; unknown: 404. The centre is read in the
 * directory; `centreDb` is the database holding its services, visits, uses and tickets.
 */
export async function doorCentre(
  c: Context<AppEnv>,
  named: string | undefined,
): Promise<{ centre: Centre; centreDb: Db }> {
  const principal = authorize(c, "visits:record", named);
  const centreId = named ?? principal.centreId;
  if (centreId === null) {
    throw new ApiProblem("validation_failed", "Say which centre", [
      { path: ["query", "centreId"], code: "required", message: "Required for callers of every centre" },
    ]);
  }
  const { db, dbs } = c.get("services");
  const centre = await getCentre(db, centreId);
  if (!centre) throw new ApiProblem("not_found", "No such centre");
  return { centre, centreDb: await dbs.dbFor(centre.id) };
}
