import { parsePeriod } from "@halte/core";
import { listVisits } from "@halte/db";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { decodeCursor, pageOf, toPage } from "../../pagination.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { pageAcross } from "../pages-across.js";
import { visitRecord } from "./record.js";
import { VisitListQuery, VisitRecord } from "./schema.js";

const route = defineRoute({
  method: "get",
  path: "/visits",
  operationId: "listVisits",
  middleware: [permit("visits:read")] as const,
  tags: ["visits"],
  summary: "List visits, optionally of one centre and one period",
  security: staffOrToken,
  request: { query: VisitListQuery },
  responses: {
    200: {
      description: "A page of visits, in recording order",
      content: { "application/json": { schema: pageOf(VisitRecord, "Visit") } },
    },
    ...problemResponses("unauthenticated", "forbidden", "validation_failed"),
  },
});

export const listVisitsRoute = createRouter().openapi(route, async (c) => {
  const { limit, cursor, centreId, period } = c.req.valid("query");
  const principal = authorize(c, "visits:read", centreId);
  const days = period === undefined ? undefined : parsePeriod(period);
  if (days && !days.ok) throw new Error("period checked by the query schema");
  const centre = principal.centreId ?? centreId;
  const afterId = decodeCursor(cursor);
  const rows = await pageAcross(c.get("services").dbs, centre === undefined ? "all" : [centre], "asc", (db) =>
    listVisits(db, { centreId: centre, fromDay: days?.value.start, toDay: days?.value.end, afterId, limit }),
  );
  const page = toPage(rows, limit);
  return c.json({ items: page.items.map(visitRecord), nextCursor: page.nextCursor }, 200);
});
