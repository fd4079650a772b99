import { getCentre, getEvent, insertEvent } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { EventBody, EventRecord } from "./schema.js";

const route = defineRoute({
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

export const createEventRoute = createRouter().openapi(route, async (c) => {
  const input = c.req.valid("json");
  authorize(c, "events:manage", input.centreId);
  const { db: directory, dbs, now, newId } = c.get("services");
  if (!(await getCentre(directory, input.centreId))) {
    throw new ApiProblem("validation_failed", "Unknown centre", [
      { path: ["centreId"], code: "invalid_value", message: "No such centre" },
    ]);
  }
  const id = newId();
  // The event, and its audit row, in the centre's own database.
  const db = await dbs.dbFor(input.centreId);
  await db.batch([
    insertEvent(db, id, input, now().toISOString()),
    auditStatement(
      c,
      {
        action: "create",
        entity: "event",
        entityId: id,
        centreId: input.centreId,
        after: input,
      },
      db,
    ),
  ]);
  const created = await getEvent(db, id);
  if (!created) throw new Error("event vanished after insert");
  return c.json(created, 201);
});
