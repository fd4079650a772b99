import { getLesson, replaceLesson } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { assertMayChange, checkEvidence, refuseArchived, visibleLessonIn } from "./lesson-rules.js";
import { LessonBody, LessonParams, LessonRecord } from "./schema.js";

const route = defineRoute({
  method: "put",
  path: "/lessons/{lessonId}",
  operationId: "updateLesson",
  tags: ["lessons"],
  summary: "Edit a lesson; an edited lesson goes back to draft to be reviewed again",
  description:
    "Any lesson that is not archived may be edited, whatever its status. Its review held for the text that " +
    "was reviewed, so a reviewed or validated lesson that is edited returns to `draft` (and leaves the guide " +
    "until validated again). `centreId` must stay the lesson's own. Contributors without `lessons:validate` " +
    "(reception, partners) edit only the lessons they contributed (else 403).",
  security: staffOrToken,
  middleware: [permit("lessons:contribute")] as const,
  request: {
    params: LessonParams,
    body: { required: true, content: { "application/json": { schema: LessonBody } } },
  },
  responses: {
    200: { description: "Updated", content: { "application/json": { schema: LessonRecord } } },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "conflict",
      "validation_failed",
    ),
  },
});

export const updateLessonRoute = createRouter().openapi(route, async (c) => {
  const { lessonId } = c.req.valid("param");
  const input = c.req.valid("json");
  const { lesson: before, db } = await visibleLessonIn(c, lessonId);
  assertMayChange(c, before);
  if (input.centreId !== before.centreId) {
    throw new ApiProblem("validation_failed", "A lesson cannot move to another centre", [
      { path: ["centreId"], code: "invalid_value", message: "Must be the lesson's own centre" },
    ]);
  }
  refuseArchived(before);
  await checkEvidence(c, before.centreId, input.evidence);
  const { now } = c.get("services");
  await db.batch([
    replaceLesson(db, lessonId, input, now().toISOString()),
    auditStatement(
      c,
      {
        action: "update",
        entity: "lesson",
        entityId: lessonId,
        centreId: before.centreId,
        before,
        after: { ...input, status: "draft" },
      },
      db,
    ),
  ]);
  const after = await getLesson(db, lessonId);
  if (!after) throw new Error("lesson vanished after update");
  return c.json(after, 200);
});
