import { Id, Lesson, LessonInput, LessonStatus, LessonTheme, LessonType } from "@halte/core";
import { z } from "@hono/zod-openapi";
import { PageQuery, pageOf } from "../../pagination.js";
import { IncludeArchived } from "../archive.js";

export const LessonRecord = Lesson.openapi("Lesson");
export const LessonPage = pageOf(LessonRecord, "Lesson");

/** The body of create and replace: the centre is named in the body; a replace cannot change it. */
export const LessonBody = LessonInput.openapi("LessonInput");

export const LessonParams = z.object({ lessonId: z.string().min(1).max(64) });

export const LessonStatusChange = z
  .strictObject({
    status: LessonStatus,
    reason: z
      .string()
      .max(500)
      .optional()
      .openapi({ description: "Why a validated lesson goes back to draft (required for that move)" }),
  })
  .openapi("LessonStatusChange");

export const LessonListQuery = PageQuery.extend({
  centreId: Id.optional().openapi({ description: "Only this centre's lessons" }),
  status: LessonStatus.optional(),
  theme: LessonTheme.optional(),
  type: LessonType.optional(),
  includeArchived: IncludeArchived,
});

export const GuideQuery = z.object({ centreId: Id });
