import { getFeedback, moderateFeedback } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { assertCentreVisible, authorize, permit, requirePrincipal } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { FeedbackModerationBody, FeedbackParams, FeedbackRecord } from "./schema.js";

const moderateRoute = defineRoute({
  method: "post",
  path: "/feedback/{feedbackId}/moderation",
  operationId: "moderateFeedback",
  tags: ["feedback"],
  summary: "Approve or reject a piece of pending feedback; approved feedback may back a lesson",
  description:
    "Only pending feedback is moderated: deciding twice answers 409 `illegal_transition`. The decision and " +
    "who made it are kept with the feedback and in the audit log (without the text).",
  security: staffOnly,
  middleware: [permit("feedback:moderate")] as const,
  request: {
    params: FeedbackParams,
    body: { required: true, content: { "application/json": { schema: FeedbackModerationBody } } },
  },
  responses: {
    200: { description: "Moderated", content: { "application/json": { schema: FeedbackRecord } } },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "illegal_transition",
      "validation_failed",
    ),
  },
});

export const moderateFeedbackRoutes = createRouter().openapi(moderateRoute, async (c) => {
  const { feedbackId } = c.req.valid("param");
  const { status } = c.req.valid("json");
  const { dbs, now } = c.get("services");
  // Searched only where the caller may look; the decision goes to the database the feedback is in.
  const held = await dbs.findInReachable(requirePrincipal(c), (db) => getFeedback(db, feedbackId));
  if (!held) throw new ApiProblem("not_found", "No such feedback");
  const { found: before, db } = held;
  assertCentreVisible(requirePrincipal(c), before.centreId);
  const principal = authorize(c, "feedback:moderate", before.centreId);
  if (before.status !== "pending") {
    throw new ApiProblem("illegal_transition", `This feedback was already ${before.status}`);
  }
  await db.batch([
    moderateFeedback(db, feedbackId, status, principal.id, now().toISOString()),
    auditStatement(
      c,
      {
        action: "moderate",
        entity: "feedback",
        entityId: feedbackId,
        centreId: before.centreId,
        before: { status: before.status },
        after: { status },
      },
      db,
    ),
  ]);
  const after = await getFeedback(db, feedbackId);
  if (!after) throw new Error("feedback vanished after moderation");
  return c.json(after, 200);
});
