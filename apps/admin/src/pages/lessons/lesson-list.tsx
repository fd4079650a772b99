import { type LessonsT, lessonVocabulary } from "../../i18n/pages/lessons.js";
import type { StaffPageProps } from "../../staff-page.js";

import { type Lesson, STATEMENT_PARTS, statusKey } from "./shared.js";

/** The lessons, each with its statement and the review moves the user may make. */
export function LessonList(props: {
  t: LessonsT;
  locale: StaffPageProps["locale"];
  lessons: Lesson[];
  mayContribute: boolean;
  mayValidate: boolean;
  onMove: (lesson: Lesson, status: Lesson["status"]) => void;
}) {
  const { t, lessons, mayContribute, mayValidate } = props;
  const words = lessonVocabulary[props.locale];
  return (
    <ul class="lesson-list">
      {lessons.map((lesson) => (
        <li key={lesson.id} class="lesson">
          <h2>{lesson.title}</h2>
          <p class="lesson-meta">
            {words.types[lesson.type] ?? lesson.type} · {words.themes[lesson.theme] ?? lesson.theme} ·{" "}
            <span class={`badge review-${lesson.status}`}>{t(statusKey[lesson.status])}</span>
          </p>
          <p>
            {STATEMENT_PARTS.map((part) => `${t(part).replace("…", "")} ${lesson.statement[part]}`).join(" ")}
          </p>
          <p class="lesson-meta">
            {t("period", { start: lesson.periodStart, end: lesson.periodEnd })} ·{" "}
            {t("evidenceCount", { n: lesson.evidence.length })} ·{" "}
            {lesson.contributors.map((group) => words.groups[group] ?? group).join(", ")}
            {lesson.chsCommitments.length > 0 && ` · CHS ${lesson.chsCommitments.join(", ")}`}
          </p>
          <div class="actions">
            {mayContribute && lesson.status === "draft" && (
              <button type="button" onClick={() => props.onMove(lesson, "reviewed")}>
                {t("markReviewed")}
              </button>
            )}
            {mayValidate && lesson.status === "reviewed" && (
              <button type="button" class="primary" onClick={() => props.onMove(lesson, "validated")}>
                {t("validate")}
              </button>
            )}
            {mayContribute && lesson.status !== "draft" && (
              <button type="button" onClick={() => props.onMove(lesson, "draft")}>
                {t("backToDraft")}
              </button>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
