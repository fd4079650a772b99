import { listFeedback } from "@halte/db";
import { assertCentreVisible, permit, requirePrincipal } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { decodeCursor, toPage } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { pageAcross } from "../pages-across.js";
import { FeedbackListQuery, FeedbackPage } from "./schema.js";

const listRoute = defineRoute({
  method: "get",
  path: "/feedback",
  operationId: "listFeedback",
  tags: ["feedback"],
  summary: "The feedback the people assisted left on the public directory, newest first, by status",
  security: staffOnly,
  middleware: [permit("feedback:moderate")] as const,
  request: { query: FeedbackListQuery },
  responses: {
    200: { description: "A page of feedback", content: { "application/json": { schema: FeedbackPage } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

export const listFeedbackRoutes = createRouter().openapi(listRoute, async (c) => {
  const principal = requirePrincipal(c);
  const { limit, cursor, centreId, status } = c.req.valid("query");
  if (centreId !== undefined) assertCentreVisible(principal, centreId);
  const centre = centreId ?? principal.centreId;
  if (centre === null) {
    throw new ApiProblem("validation_failed", "Say which centre", [
      { path: ["query", "centreId"], code: "required", message: "Required for callers of every centre" },
    ]);
  }
  const beforeId = decodeCursor(cursor);
  const options = {
    centreId: centre,
    limit,
    ...(status ? { status } : {}),
    ...(beforeId ? { beforeId } : {}),
  };
  // In the centre's own database (none for a centre the directory does not know: an empty page).
  const rows = await pageAcross(c.get("services").dbs, [centre], "desc", (db) => listFeedback(db, options));
  return c.json(toPage(rows, limit), 200);
});
