import { archiveEvent } from "@halte/db";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { archiveRecord } from "../archive.js";
import { EventParams, EventRecord } from "./schema.js";
import { visibleEventIn } from "./shared.js";

const route = defineRoute({
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

export const archiveEventRoute = createRouter().openapi(route, async (c) => {
  const { event: before, db } = await visibleEventIn(c, c.req.valid("param").eventId);
  authorize(c, "events:manage", before.centreId);
  if (before.archivedAt !== null) return c.json(before, 200);
  return c.json(await archiveRecord(c, "event", before, archiveEvent, undefined, db), 200);
});
