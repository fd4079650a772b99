import { getEvent, replaceEvent } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { EventBody, EventParams, EventRecord } from "./schema.js";
import { visibleEventIn } from "./shared.js";

const route = defineRoute({
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

export const updateEventRoute = createRouter().openapi(route, async (c) => {
  const { eventId } = c.req.valid("param");
  const input = c.req.valid("json");
  const { event: before, db } = await visibleEventIn(c, eventId);
  authorize(c, "events:manage", before.centreId);
  if (input.centreId !== before.centreId) {
    throw new ApiProblem("validation_failed", "An event cannot move to another centre", [
      { path: ["centreId"], code: "invalid_value", message: "Must be the event's own centre" },
    ]);
  }
  if (before.archivedAt !== null) {
    throw new ApiProblem("conflict", "This event is archived; archived records are kept as they were");
  }
  const { now } = c.get("services");
  await db.batch([
    replaceEvent(db, eventId, input, now().toISOString()),
    auditStatement(
      c,
      {
        action: "update",
        entity: "event",
        entityId: eventId,
        centreId: before.centreId,
        before,
        after: { ...input, endsOn: input.endsOn ?? input.startsOn },
      },
      db,
    ),
  ]);
  const after = await getEvent(db, eventId);
  if (!after) throw new Error("event vanished after update");
  return c.json(after, 200);
});
