import { type Evidence, type FieldError, type Lesson, roleCan } from "@halte/core";
import { approvedFeedbackIds, eventIdsOfCentre, getLesson } from "@halte/db";
import type { Context } from "hono";
import { assertCentreVisible, authorize, requirePrincipal } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { ApiProblem } from "../../problem.js";

/** The lesson if its centre is the caller's; 404 otherwise, so nobody learns which ids exist elsewhere. */
export async function visibleLesson(c: Context<AppEnv>, lessonId: string): Promise<Lesson> {
  const lesson = await getLesson(c.get("services").db, lessonId);
  if (!lesson) throw new ApiProblem("not_found", "No such lesson");
  assertCentreVisible(requirePrincipal(c), lesson.centreId);
  return lesson;
}

export function refuseArchived(lesson: Lesson): void {
  if (lesson.archivedAt !== null) {
    throw new ApiProblem("conflict", "This lesson is archived; archived records are kept as they were");
  }
}

/**
 * Contributors who may not validate (reception volunteers, partners' staff) change only the lessons they
 * contributed; coordinators and admins change any lesson of their centre.
 */
export function assertMayChange(c: Context<AppEnv>, lesson: Lesson): void {
  const principal = authorize(c, "lessons:contribute", lesson.centreId);
  if (!roleCan(principal.role, "lessons:validate") && lesson.createdBy !== principal.id) {
    throw new ApiProblem("forbidden", "You may change only the lessons you contributed");
  }
}

/**
 * Evidence that cites an event must cite an event of the lesson's own centre (archived ones count);
 * evidence that cites feedback must cite feedback of the centre that a coordinator approved.
 */
export async function checkEvidence(c: Context<AppEnv>, centreId: string, evidence: readonly Evidence[]) {
  const { db } = c.get("services");
  const cited = (kind: Evidence["kind"]) =>
    evidence.filter((item) => item.kind === kind).map((item) => item.reference);
  const events = await eventIdsOfCentre(db, centreId, cited("event"));
  const feedback = await approvedFeedbackIds(db, centreId, cited("feedback"));
  const errors: FieldError[] = [];
  for (const [index, item] of evidence.entries()) {
    const path = ["evidence", index, "reference"];
    if (item.kind === "event" && !events.has(item.reference)) {
      errors.push({ path, code: "invalid_value", message: "No such event at this centre" });
    }
    if (item.kind === "feedback" && !feedback.has(item.reference)) {
      errors.push({
        path,
        code: "invalid_value",
        message: "No approved feedback with this id at this centre",
      });
    }
  }
  if (errors.length > 0) {
    throw new ApiProblem("validation_failed", "Some evidence cites unknown events or feedback", errors);
  }
}
