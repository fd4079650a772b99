import type { Event } from "@halte/core";
import { archiveEvent, getCentre, getEvent, insertEvent, listEvents, replaceEvent } from "@halte/db";
import type { Context } from "hono";
import { auditStatement } from "../../audit.js";
import { assertCentreVisible, authorize, permit, requirePrincipal } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { decodeCursor, toPage } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { archiveRecord } from "../archive.js";
import { EventBody, EventListQuery, EventPage, EventParams, EventRecord } from "./schema.js";

/**
 * Events are drawn on charts and cited by lessons: whoever reads reports or contributes lessons may read them
 * (observers, reception, partners too); coordinators manage them.
 */
const readers = permit("reports:read", "events:manage", "lessons:contribute");

/** The event if its centre is the caller's; 404 otherwise, so nobody learns which ids exist elsewhere. */
async function visibleEvent(c: Context<AppEnv>, eventId: string): Promise<Event> {
  const event = await getEvent(c.get("services").db, eventId);
  if (!event) throw new ApiProblem("not_found", "No such event");
  assertCentreVisible(requirePrincipal(c), event.centreId);
  return event;
}

const listRoute = defineRoute({
  method: "get",
  path: "/events",
  operationId: "listEvents",
  tags: ["events"],
  summary: "List context events (camp evacuations, closures, cold snaps…) overlapping a range of local days",
  security: staffOrToken,
  middleware: [readers] as const,
  request: { query: EventListQuery },
  responses: {
    200: { description: "A page of events", content: { "application/json": { schema: EventPage } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

const createEventRoute = defineRoute({
  method: "post",
  path: "/events",
  operationId: "createEvent",
  tags: ["events"],
  summary: "Record a context event at a centre (named by `centreId` in the body)",
  security: staffOrToken,
  middleware: [permit("events:manage")] as const,
  request: { body: { required: true, content: { "application/json": { schema: EventBody } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: EventRecord } } },
    ...problemResponses("malformed_request", "unauthenticated", "forbidden", "validation_failed"),
  },
});

const getRoute = defineRoute({
  method: "get",
  path: "/events/{eventId}",
  operationId: "getEvent",
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

const replaceRoute = defineRoute({
  method: "put",
  path: "/events/{eventId}",
  operationId: "updateEvent",
  tags: ["events"],
  summary: "Update a context event; `centreId` must stay the event's own",
  security: staffOrToken,
  middleware: [permit("events:manage")] as const,
  request: {
    params: EventParams,
    body: { required: true, content: { "application/json": { schema: EventBody } } },
  },
  responses: {
    200: { description: "Updated", content: { "application/json": { schema: EventRecord } } },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "conflict",
      "validation_failed",
    ),
  },
});

const archiveRoute = defineRoute({
  method: "post",
  path: "/events/{eventId}/archive",
  operationId: "archiveEvent",
  tags: ["events"],
  summary: "Archive a context event; lessons citing it keep their evidence. Archiving twice changes nothing",
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
    if (from !== undefined && to !== undefined && to < from) {
      throw new ApiProblem("validation_failed", "The range ends before it starts", [
        { path: ["query", "to"], code: "invalid_value", message: "`to` cannot be before `from`" },
      ]);
    }
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
    const created = await getEvent(db, id);
    if (!created) throw new Error("event vanished after insert");
    return c.json(created, 201);
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
    if (before.archivedAt !== null) {
      throw new ApiProblem("conflict", "This event is archived; archived records are kept as they were");
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
        after: { ...input, endsOn: input.endsOn ?? input.startsOn },
      }),
    ]);
    const after = await getEvent(db, eventId);
    if (!after) throw new Error("event vanished after update");
    return c.json(after, 200);
  })
  .openapi(archiveRoute, async (c) => {
    const before = await visibleEvent(c, c.req.valid("param").eventId);
    authorize(c, "events:manage", before.centreId);
    if (before.archivedAt !== null) return c.json(before, 200);
    return c.json(await archiveRecord(c, "event", before, archiveEvent), 200);
  });
