import { getCentre, getLesson, insertLesson } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { checkEvidence } from "./lesson-rules.js";
import { LessonBody, LessonRecord } from "./schema.js";

const route = defineRoute({
  method: "post",
  path: "/lessons",
  operationId: "createLesson",
  tags: ["lessons"],
  summary: "Contribute a lesson at a centre (named by `centreId` in the body); it starts as draft",
  security: staffOrToken,
  middleware: [permit("lessons:contribute")] as const,
  request: { body: { required: true, content: { "application/json": { schema: LessonBody } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: LessonRecord } } },
    ...problemResponses("malformed_request", "unauthenticated", "forbidden", "validation_failed"),
  },
});

export const createLessonRoute = createRouter().openapi(route, async (c) => {
  const input = c.req.valid("json");
  const principal = authorize(c, "lessons:contribute", input.centreId);
  const { db: directory, dbs, now, newId } = c.get("services");
  if (!(await getCentre(directory, input.centreId))) {
    throw new ApiProblem("validation_failed", "Unknown centre", [
      { path: ["centreId"], code: "invalid_value", message: "No such centre" },
    ]);
  }
  await checkEvidence(c, input.centreId, input.evidence);
  const id = newId();
  // The lesson, and its audit row, in the centre's own database.
  const db = await dbs.dbFor(input.centreId);
  await db.batch([
    insertLesson(db, id, input, now().toISOString(), principal.id),
    auditStatement(
      c,
      {
        action: "create",
        entity: "lesson",
        entityId: id,
        centreId: input.centreId,
        after: { ...input, status: "draft" },
      },
      db,
    ),
  ]);
  const created = await getLesson(db, id);
  if (!created) throw new Error("lesson vanished after insert");
  return c.json(created, 201);
});
