import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { visibleLesson } from "./lesson-rules.js";
import { LessonParams, LessonRecord } from "./schema.js";

const route = defineRoute({
  method: "get",
  path: "/lessons/{lessonId}",
  operationId: "getLesson",
  tags: ["lessons"],
  summary: "Get a lesson",
  security: staffOrToken,
  middleware: [permit("lessons:read")] as const,
  request: { params: LessonParams },
  responses: {
    200: { description: "The lesson", content: { "application/json": { schema: LessonRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

export const getLessonRoute = createRouter().openapi(route, async (c) =>
  c.json(await visibleLesson(c, c.req.valid("param").lessonId), 200),
);
