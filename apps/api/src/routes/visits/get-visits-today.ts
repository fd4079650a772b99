import {
  capacityOn,
  doorLanguagesOf,
  languageAutonym,
  languageDirection,
  localDateOf,
  openingsOn,
} from "@halte/core";
import { countVisitsOn, doorServicesByIds, doorServicesOfCentre, serviceUseTotalsOn } from "@halte/db";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { DoorToday, DoorTodayQuery } from "./schema.js";
import { centreCapacity, doorCentre } from "./shared.js";

const route = defineRoute({
  method: "get",
  path: "/visits/today",
  operationId: "getVisitsToday",
  middleware: [permit("visits:record")] as const,
  tags: ["visits"],
  summary: "Today's counts for the door screen: visits and, per service, uses against capacity",
  security: staffOrToken,
  request: { query: DoorTodayQuery },
  responses: {
    200: { description: "Today's counts", content: { "application/json": { schema: DoorToday } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

export const getVisitsTodayRoute = createRouter().openapi(route, async (c) => {
  const query = c.req.valid("query");
  const { centre, centreDb: db } = await doorCentre(c, query.centreId);
  const centreId = centre.id;
  const { now } = c.get("services");
  const day = localDateOf(now(), centre.openingHours.timeZone);
  const [counts, totals, current] = await Promise.all([
    countVisitsOn(db, centreId, day),
    serviceUseTotalsOn(db, centreId, day),
    doorServicesOfCentre(db, centreId),
  ]);
  // A service archived today may still have today's uses: it stays on the screen until tomorrow.
  const listed = new Set(current.map((s) => s.id));
  const archived = await doorServicesByIds(
    db,
    [...totals.keys()].filter((id) => !listed.has(id)),
  );
  const capacity = centreCapacity(centre, day);
  return c.json(
    {
      centreId,
      day,
      timeZone: centre.openingHours.timeZone,
      visits: counts.visits,
      visitorCodes: counts.visitorCodes,
      capacity,
      remaining: capacity === null ? null : Math.max(0, capacity - counts.visits),
      services: [...current, ...archived.values()].map((service) => {
        const uses = totals.get(service.id) ?? 0;
        const serviceCapacity = capacityOn(service.schedule, day).daily ?? null;
        return {
          serviceId: service.id,
          name: service.name,
          status: service.status,
          uses,
          capacity: serviceCapacity,
          remaining: serviceCapacity === null ? null : Math.max(0, serviceCapacity - uses),
          ticketQueue: service.ticketQueue,
          openings: openingsOn(service.schedule, day).map((opening) => ({
            start: opening.start.toISOString(),
            end: opening.end.toISOString(),
          })),
        };
      }),
      languages: doorLanguagesOf(centre).map((code) => ({
        code,
        name: languageAutonym(code),
        dir: languageDirection(code),
      })),
    },
    200,
  );
});
