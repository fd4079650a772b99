import { listLessons } from "@halte/db";
import { assertCentreVisible, permit, requirePrincipal } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { decodeCursor, toPage } from "../../pagination.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { pageAcross } from "../pages-across.js";
import { LessonListQuery, LessonPage } from "./schema.js";

const route = defineRoute({
  method: "get",
  path: "/lessons",
  operationId: "listLessons",
  tags: ["lessons"],
  summary: "List lessons learned, by status, theme and type",
  security: staffOrToken,
  middleware: [permit("lessons:read")] as const,
  request: { query: LessonListQuery },
  responses: {
    200: { description: "A page of lessons", content: { "application/json": { schema: LessonPage } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

export const listLessonsRoute = createRouter().openapi(route, async (c) => {
  const principal = requirePrincipal(c);
  const { limit, cursor, centreId, status, theme, type, includeArchived } = c.req.valid("query");
  if (centreId !== undefined) assertCentreVisible(principal, centreId);
  const of = centreId ?? principal.centreId;
  const options = {
    centreId: of,
    afterId: decodeCursor(cursor),
    limit,
    includeArchived,
    ...(status ? { status } : {}),
    ...(theme ? { theme } : {}),
    ...(type ? { type } : {}),
  };
  // Each centre's lessons are in its own database: one centre's, or every centre's merged.
  const rows = await pageAcross(c.get("services").dbs, of === null ? "all" : [of], "asc", (db) =>
    listLessons(db, options),
  );
  return c.json(toPage(rows, limit), 200);
});
