import { listEvents } from "@halte/db";
import { assertCentreVisible, requirePrincipal } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { decodeCursor, toPage } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { pageAcross } from "../pages-across.js";
import { EventListQuery, EventPage } from "./schema.js";
import { readers } from "./shared.js";

const route = defineRoute({
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

export const listEventsRoute = createRouter().openapi(route, async (c) => {
  const principal = requirePrincipal(c);
  const { limit, cursor, centreId, from, to, includeArchived } = c.req.valid("query");
  if (from !== undefined && to !== undefined && to < from) {
    throw new ApiProblem("validation_failed", "The range ends before it starts", [
      { path: ["query", "to"], code: "invalid_value", message: "`to` cannot be before `from`" },
    ]);
  }
  if (centreId !== undefined) assertCentreVisible(principal, centreId);
  const of = centreId ?? principal.centreId;
  const options = {
    centreId: of,
    afterId: decodeCursor(cursor),
    limit,
    includeArchived,
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
  // Each centre's events are in its own database: one centre's, or every centre's merged.
  const rows = await pageAcross(c.get("services").dbs, of === null ? "all" : [of], "asc", (db) =>
    listEvents(db, options),
  );
  return c.json(toPage(rows, limit), 200);
});
