import { archiveLesson } from "@halte/db";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { archiveRecord } from "../archive.js";
import { assertMayChange, visibleLessonIn } from "./lesson-rules.js";
import { LessonParams, LessonRecord } from "./schema.js";

const route = defineRoute({
  method: "post",
  path: "/lessons/{lessonId}/archive",
  operationId: "archiveLesson",
  tags: ["lessons"],
  summary: "Archive a lesson; it leaves the guide. Archiving twice changes nothing",
  description:
    "Contributors without `lessons:validate` archive only the lessons they contributed (else 403).",
  security: staffOrToken,
  middleware: [permit("lessons:contribute")] as const,
  request: { params: LessonParams },
  responses: {
    200: { description: "Archived", content: { "application/json": { schema: LessonRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

export const archiveLessonRoute = createRouter().openapi(route, async (c) => {
  const { lesson: before, db } = await visibleLessonIn(c, c.req.valid("param").lessonId);
  assertMayChange(c, before);
  if (before.archivedAt !== null) return c.json(before, 200);
  return c.json(await archiveRecord(c, "lesson", before, archiveLesson, undefined, db), 200);
});
