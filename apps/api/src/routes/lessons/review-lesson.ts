import { checkLessonMove, roleCan } from "@halte/core";
import { getLesson, setLessonStatus } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { refuseArchived, visibleLessonIn } from "./lesson-rules.js";
import { LessonParams, LessonRecord, LessonStatusChange } from "./schema.js";

const reviewRoute = defineRoute({
  method: "post",
  path: "/lessons/{lessonId}/status",
  operationId: "reviewLesson",
  tags: ["lessons"],
  summary: "Review a lesson: draft → reviewed → validated, or back to draft from either",
  description:
    "Moving to `validated` needs the `lessons:validate` permission (coordinators, admins) and someone other " +
    "than the lesson's author (four eyes: else 409 `illegal_transition` saying so). Other moves need " +
    "`lessons:contribute`; contributors without `lessons:validate` move only their own lessons. Taking a " +
    "validated lesson back to draft takes it out of the guide: it needs a `reason` (else 422), kept with " +
    "the move in the lesson's history. Any other move (skipping review, staying put) answers 409 " +
    "`illegal_transition`.",
  security: staffOrToken,
  middleware: [permit("lessons:contribute")] as const,
  request: {
    params: LessonParams,
    body: { required: true, content: { "application/json": { schema: LessonStatusChange } } },
  },
  responses: {
    200: { description: "Moved", content: { "application/json": { schema: LessonRecord } } },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "conflict",
      "illegal_transition",
      "validation_failed",
    ),
  },
});

export const reviewLessonRoutes = createRouter().openapi(reviewRoute, async (c) => {
  const { lessonId } = c.req.valid("param");
  const { status, reason } = c.req.valid("json");
  const { lesson: before, db } = await visibleLessonIn(c, lessonId);
  const principal = authorize(
    c,
    status === "validated" ? "lessons:validate" : "lessons:contribute",
    before.centreId,
  );
  if (!roleCan(principal.role, "lessons:validate") && before.createdBy !== principal.id) {
    throw new ApiProblem("forbidden", "You may change only the lessons you contributed");
  }
  refuseArchived(before);
  const checked = checkLessonMove({
    from: before.status,
    to: status,
    authorId: before.createdBy,
    actorId: principal.id,
    reason,
  });
  if (!checked.ok) {
    const { code, message } = checked.error;
    if (code === "reason_required") {
      throw new ApiProblem("validation_failed", message, [{ path: ["reason"], code: "required", message }]);
    }
    throw new ApiProblem("illegal_transition", message);
  }
  const { now } = c.get("services");
  const trimmed = reason?.trim();
  await db.batch([
    setLessonStatus(db, lessonId, status, now().toISOString()),
    auditStatement(
      c,
      {
        action: "status",
        entity: "lesson",
        entityId: lessonId,
        centreId: before.centreId,
        before: { status: before.status },
        after: trimmed ? { status, reason: trimmed } : { status },
      },
      db,
    ),
  ]);
  const after = await getLesson(db, lessonId);
  if (!after) throw new Error("lesson vanished after status change");
  return c.json(after, 200);
});
