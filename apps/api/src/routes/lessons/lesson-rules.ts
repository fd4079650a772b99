import { type Evidence, type FieldError, type Lesson, roleCan } from "@halte/core";
import { approvedFeedbackIds, type Db, eventIdsOfCentre, getLesson } from "@halte/db";
import type { Context } from "hono";
import { assertCentreVisible, authorize, requirePrincipal } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { ApiProblem } from "../../problem.js";

/**
 * The lesson if its centre is the caller's, with the database it was found in (where its changes go); 404
 * otherwise, so nobody learns which ids exist elsewhere. Only the databases the caller reaches are searched.
 */
export async function visibleLessonIn(
  c: Context<AppEnv>,
  lessonId: string,
): Promise<{ lesson: Lesson; db: Db }> {
  const principal = requirePrincipal(c);
  const held = await c.get("services").dbs.findInReachable(principal, (db) => getLesson(db, lessonId));
  if (!held) throw new ApiProblem("not_found", "No such lesson");
  assertCentreVisible(principal, held.found.centreId);
  return { lesson: held.found, db: held.db };
}

/** The lesson if its centre is the caller's (see {@link visibleLessonIn}). */
export async function visibleLesson(c: Context<AppEnv>, lessonId: string): Promise<Lesson> {
  return (await visibleLessonIn(c, lessonId)).lesson;
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
  // The events and feedback a lesson cites are its centre's: in the centre's own database.
  const db = await c.get("services").dbs.dbFor(centreId);
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
