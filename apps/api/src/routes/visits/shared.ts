import { type Centre, capacityOn, type VisitInput } from "@halte/core";
import { getVisitByIdempotencyKey, type StoredVisit, serviceUsesOfVisit } from "@halte/db";
import type { Context } from "hono";
import type { AppEnv } from "../../context.js";
import { serviceUseRecord, visitRecord } from "./record.js";

export async function recordedVisit(c: Context<AppEnv>, visit: StoredVisit) {
  const uses = await serviceUsesOfVisit(c.get("services").db, visit.id);
  return { ...visitRecord(visit), uses: uses.map(serviceUseRecord) };
}

/** The answer already given to a visit with this idempotency key (200 with the stored visit), if any. */
export async function storedByKey(c: Context<AppEnv>, input: VisitInput) {
  if (input.idempotencyKey === undefined) return null;
  const stored = await getVisitByIdempotencyKey(c.get("services").db, input.centreId, input.idempotencyKey);
  return stored ? c.json(await recordedVisit(c, stored), 200) : null;
}

export function centreCapacity(centre: Centre, day: string): number | null {
  const dailyCapacity = centre.dailyCapacity ?? centre.openingHours.dailyCapacity;
  const schedule =
    dailyCapacity === undefined ? centre.openingHours : { ...centre.openingHours, dailyCapacity };
  return capacityOn(schedule, day).daily ?? null;
}
