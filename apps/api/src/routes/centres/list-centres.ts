import { listCentres } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { permit, requirePrincipal } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { decodeCursor, PageQuery, pageOf, toPage } from "../../pagination.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { CentreRecord } from "./shared.js";

const route = defineRoute({
  method: "get",
  path: "/centres",
  operationId: "listCentres",
  middleware: [permit()] as const,
  tags: ["centres"],
  summary: "List the centres you work for",
  security: staffOrToken,
  request: { query: PageQuery.extend({ includeArchived: z.enum(["true", "false"]).optional() }) },
  responses: {
    200: {
      description: "A page of centres",
      content: { "application/json": { schema: pageOf(CentreRecord, "Centre") } },
    },
    ...problemResponses("unauthenticated", "validation_failed"),
  },
});

export const listCentresRoute = createRouter().openapi(route, async (c) => {
  const principal = requirePrincipal(c);
  const { limit, cursor, includeArchived } = c.req.valid("query");
  const rows = await listCentres(c.get("services").db, {
    onlyId: principal.centreId,
    afterId: decodeCursor(cursor),
    limit,
    includeArchived: includeArchived === "true",
  });
  return c.json(toPage(rows, limit), 200);
});
