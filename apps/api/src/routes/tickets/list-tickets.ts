import { capacityOn, estimatedWaitMinutes, Id, localDateOf, minutesPerCall } from "@halte/core";
import { doorServicesOfCentre, serviceUseTotalsOn, ticketsOfDay } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { doorCentre } from "../visits/shared.js";
import { TicketQueues } from "./schema.js";
import { ticketRecord } from "./shared.js";

const route = defineRoute({
  method: "get",
  path: "/tickets",
  operationId: "listTickets",
  middleware: [permit("visits:record")] as const,
  tags: ["tickets"],
  summary: "Today's ticket queues at the door: who waits (numbers, in order), the estimated wait",
  description:
    "Today is the centre's local day: yesterday's tickets, waiting or not, are not listed. Each waiting " +
    "ticket's `estimatedWaitMinutes` is its position times the service's recent pace (the mean gap between " +
    "its last 6 calls within 90 minutes), or null when there is no such pace or the ticket lies beyond the " +
    'places left today (docs/api.md, "Ticket queues").',
  security: staffOrToken,
  request: { query: z.object({ centreId: Id.optional() }) },
  responses: {
    200: { description: "Today's queues", content: { "application/json": { schema: TicketQueues } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

export const listTicketsRoutes = createRouter().openapi(route, async (c) => {
  const query = c.req.valid("query");
  const { centre, centreDb: db } = await doorCentre(c, query.centreId);
  const centreId = centre.id;
  const { now } = c.get("services");
  const at = now();
  const day = localDateOf(at, centre.openingHours.timeZone);
  const [services, tickets, uses] = await Promise.all([
    doorServicesOfCentre(db, centreId),
    ticketsOfDay(db, centreId, day),
    serviceUseTotalsOn(db, centreId, day),
  ]);
  const queued = new Set(tickets.map((ticket) => ticket.serviceId));
  const queues = services
    .filter((service) => service.ticketQueue || queued.has(service.id))
    .map((service) => {
      const own = tickets.filter((ticket) => ticket.serviceId === service.id).map(ticketRecord);
      const called = own
        .filter((ticket) => ticket.status === "called")
        .sort((a, b) => (b.calledAt ?? "").localeCompare(a.calledAt ?? ""));
      const pace = minutesPerCall(
        called.map((ticket) => ticket.calledAt ?? ""),
        at,
      );
      const capacity = capacityOn(service.schedule, day).daily ?? null;
      const remainingPlaces = capacity === null ? null : Math.max(0, capacity - (uses.get(service.id) ?? 0));
      return {
        serviceId: service.id,
        waiting: own
          .filter((ticket) => ticket.status === "waiting")
          .map((ticket, index) => ({
            ...ticket,
            position: index + 1,
            estimatedWaitMinutes: estimatedWaitMinutes({
              position: index + 1,
              minutesPerCall: pace,
              remainingPlaces,
            }),
          })),
        called,
        cancelled: own.filter((ticket) => ticket.status === "cancelled"),
        minutesPerCall: pace,
        remainingPlaces,
      };
    });
  return c.json({ centreId, day, timeZone: centre.openingHours.timeZone, queues }, 200);
});
