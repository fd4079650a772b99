import { countFeedbackByStatus, getCentre } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { assertCentreVisible, permit, requirePrincipal } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { FeedbackSummary } from "./schema.js";

const summaryRoute = defineRoute({
  method: "get",
  path: "/feedback/summary",
  operationId: "getFeedbackSummary",
  tags: ["feedback"],
  summary: "How much feedback a centre received, by moderation status (the dashboards' CHS 5 panel)",
  description:
    "Counts of messages, not of people: a message carries no identity and nothing about who wrote it, so " +
    "these counts describe the centre's listening, not the people assisted.",
  security: staffOnly,
  middleware: [permit("reports:read", "feedback:moderate")] as const,
  request: { query: z.object({ centreId: z.string().min(1).max(64) }) },
  responses: {
    200: { description: "The counts", content: { "application/json": { schema: FeedbackSummary } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

export const feedbackSummaryRoutes = createRouter().openapi(summaryRoute, async (c) => {
  const { centreId } = c.req.valid("query");
  assertCentreVisible(requirePrincipal(c), centreId);
  const { db, dbs } = c.get("services");
  if (!(await getCentre(db, centreId))) throw new ApiProblem("not_found", "No such centre");
  return c.json({ centreId, ...(await countFeedbackByStatus(await dbs.dbFor(centreId), centreId)) }, 200);
});
