import { createRouter } from "../../router.js";
import { archiveLessonRoute } from "./archive-lesson.js";
import { createLessonRoute } from "./create-lesson.js";
import { getLessonRoute } from "./get-lesson.js";
import { getLessonsGuideRoute } from "./get-lessons-guide.js";
import { lessonHistoryRoutes } from "./lesson-history.js";
import { listLessonsRoute } from "./list-lessons.js";
import { reviewLessonRoutes } from "./review-lesson.js";
import { updateLessonRoute } from "./update-lesson.js";

export const lessonRoutes = createRouter()
  .route("/", listLessonsRoute)
  .route("/", getLessonsGuideRoute)
  .route("/", createLessonRoute)
  .route("/", getLessonRoute)
  .route("/", updateLessonRoute)
  .route("/", archiveLessonRoute)
  .route("/", reviewLessonRoutes)
  .route("/", lessonHistoryRoutes);
