import type { Schedule } from "@halte/core";
import { services } from "@halte/db";
import { uuidv7 } from "../src/ids.js";
import { centreDbOf } from "./helpers.js";

const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: "08:00", closesAt: "19:00" }));

/** Inserts a service straight into D1, provided by `organizationId`, open every day 08:00–19:00. */
export async function givenService(
  centreId: string,
  organizationId: string,
  options: { name?: string; dailyCapacity?: number; ticketQueue?: boolean } = {},
): Promise<string> {
  const id = uuidv7(new Date());
  const at = new Date().toISOString();
  const schedule: Schedule = {
    timeZone: "Europe/Paris",
    weekly: everyDay,
    exceptions: [],
    ...(options.dailyCapacity === undefined ? {} : { dailyCapacity: options.dailyCapacity }),
  };
  await (await centreDbOf(centreId)).insert(services).values({
    id,
    centreId,
    organizationId,
    name: options.name ?? "Douches",
    category: "hygiene",
    status: "active",
    languages: ["fr"],
    schedule,
    translations: {},
    ticketQueue: options.ticketQueue ?? false,
    createdAt: at,
    updatedAt: at,
  });
  return id;
}

/** A problem body's field errors as `path:code` strings, sorted. */
export function fieldErrors(body: { errors?: Array<{ path: Array<string | number>; code: string }> }) {
  return (body.errors ?? []).map((e) => `${e.path.join(".")}:${e.code}`).sort();
}
