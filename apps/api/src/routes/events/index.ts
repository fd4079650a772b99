import { Event, EventInput, Id, LocalDate } from "@halte/core";
import { archiveEvent, getCentre, getEvent, insertEvent, listEvents, replaceEvent } from "@halte/db";
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { auditStatement } from "../../audit.js";
import { assertCentreVisible, authorize, permit, requirePrincipal } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { staffOrToken } from "../../openapi.js";
import { decodeCursor, PageQuery, pageOf, toPage } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { archiveRecord, IncludeArchived } from "../archive.js";

const EventRecord = Event.openapi("Event");
const EventParams = z.object({ eventId: z.string().min(1).max(64) });

/** Events are drawn on charts: whoever reads reports may read them; coordinators manage them. */
const readers = permit("reports:read", "events:manage");

async function visibleEvent(c: Context<AppEnv>, eventId: string) {
  const event = await getEvent(c.get("services").db, eventId);
  if (!event) throw new ApiProblem("not_found", "No such event");
  assertCentreVisible(requirePrincipal(c), event.centreId);
  return event;
}

const listRoute = createRoute({
  method: "get",
  path: "/events",
  tags: ["events"],
  summary: "List context events (camp evacuations, closures, cold snaps…) overlapping a date range",
  security: staffOrToken,
  middleware: [readers] as const,
  request: {
    query: PageQuery.extend({
      centreId: Id.optional(),
      from: LocalDate.optional(),
      to: LocalDate.optional(),
      includeArchived: IncludeArchived,
    }),
  },
  responses: {
    200: {
      description: "A page of events",
      content: { "application/json": { schema: pageOf(EventRecord, "Event") } },
    },
    ...problemResponses("unauthenticated", "forbidden", "validation_failed"),
  },
});

const createEventRoute = createRoute({
  method: "post",
  path: "/events",
  tags: ["events"],
  summary: "Record a context event",
  security: staffOrToken,
  middleware: [permit("events:manage")] as const,
  request: { body: { required: true, content: { "application/json": { schema: EventInput } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: EventRecord } } },
    ...problemResponses("malformed_request", "unauthenticated", "forbidden", "validation_failed"),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/events/{eventId}",
  tags: ["events"],
  summary: "Get a context event",
  security: staffOrToken,
  middleware: [readers] as const,
  request: { params: EventParams },
  responses: {
    200: { description: "The event", content: { "application/json": { schema: EventRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

const replaceRoute = createRoute({
  method: "put",
  path: "/events/{eventId}",
  tags: ["events"],
  summary: "Update a context event",
  security: staffOrToken,
  middleware: [permit("events:manage")] as const,
  request: {
    params: EventParams,
    body: { required: true, content: { "application/json": { schema: EventInput } } },
  },
  responses: {
    200: { description: "Updated", content: { "application/json": { schema: EventRecord } } },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "validation_failed",
    ),
  },
});

const archiveRoute = createRoute({
  method: "post",
  path: "/events/{eventId}/archive",
  tags: ["events"],
  summary: "Archive a context event",
  security: staffOrToken,
  middleware: [permit("events:manage")] as const,
  request: { params: EventParams },
  responses: {
    200: { description: "Archived", content: { "application/json": { schema: EventRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

export const eventRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const principal = requirePrincipal(c);
    const { limit, cursor, centreId, from, to, includeArchived } = c.req.valid("query");
    if (centreId !== undefined) assertCentreVisible(principal, centreId);
    const rows = await listEvents(c.get("services").db, {
      centreId: centreId ?? principal.centreId,
      afterId: decodeCursor(cursor),
      limit,
      includeArchived,
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    });
    return c.json(toPage(rows, limit), 200);
  })
  .openapi(createEventRoute, async (c) => {
    const input = c.req.valid("json");
    authorize(c, "events:manage", input.centreId);
    const { db, now, newId } = c.get("services");
    if (!(await getCentre(db, input.centreId))) {
      throw new ApiProblem("validation_failed", "Unknown centre", [
        { path: ["centreId"], code: "invalid_value", message: "No such centre" },
      ]);
    }
    const id = newId();
    await db.batch([
      insertEvent(db, id, input, now().toISOString()),
      auditStatement(c, {
        action: "create",
        entity: "event",
        entityId: id,
        centreId: input.centreId,
        after: input,
      }),
    ]);
    return c.json((await getEvent(db, id)) as Event, 201);
  })
  .openapi(getRoute, async (c) => c.json(await visibleEvent(c, c.req.valid("param").eventId), 200))
  .openapi(replaceRoute, async (c) => {
    const { eventId } = c.req.valid("param");
    const input = c.req.valid("json");
    const before = await visibleEvent(c, eventId);
    authorize(c, "events:manage", before.centreId);
    if (input.centreId !== before.centreId) {
      throw new ApiProblem("validation_failed", "An event cannot move to another centre", [
        { path: ["centreId"], code: "invalid_value", message: "Must be the event's own centre" },
      ]);
    }
    const { db, now } = c.get("services");
    await db.batch([
      replaceEvent(db, eventId, input, now().toISOString()),
      auditStatement(c, {
        action: "update",
        entity: "event",
        entityId: eventId,
        centreId: before.centreId,
        before,
        after: input,
      }),
    ]);
    return c.json((await getEvent(db, eventId)) as Event, 200);
  })
  .openapi(archiveRoute, async (c) => {
    const before = await visibleEvent(c, c.req.valid("param").eventId);
    authorize(c, "events:manage", before.centreId);
    return c.json(await archiveRecord(c, "event", before, archiveEvent), 200);
  });
