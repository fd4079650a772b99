import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { EventParams, EventRecord } from "./schema.js";
import { readers, visibleEvent } from "./shared.js";

const route = defineRoute({
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

export const getEventRoute = createRouter().openapi(route, async (c) =>
  c.json(await visibleEvent(c, c.req.valid("param").eventId), 200),
);
