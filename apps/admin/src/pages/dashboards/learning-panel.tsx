// Listening and learning, on the dashboards: the feedback the people assisted left (CHS 2024 commitment 5)
// and the lessons by theme and by CHS commitment with their review status. Counts of messages and lessons,
// not of people: nothing here is about who came.
import { type LessonStatus, LessonTheme, roleCan } from "@halte/core";
import { api, dataOrThrow, type Session } from "../../api.js";
import { CaptionedTable, problemText, useGet } from "../../components/report-parts.js";
import { learningTranslator } from "../../i18n/pages/learning.js";
import { lessonVocabulary } from "../../i18n/pages/lessons.js";
import type { StaffPageProps } from "../../staff-page.js";
import { chsCommitments } from "../lessons/shared.js";

type Counts = Record<LessonStatus, number>;
const zero = (): Counts => ({ draft: 0, reviewed: 0, validated: 0 });

export function LearningPanel(props: {
  locale: StaffPageProps["locale"];
  session: Session;
  centreId: string | null;
}) {
  const t = learningTranslator(props.locale);
  const role = props.session.user.role;
  const centreId = props.centreId;
  const feedback = useGet(centreId && roleCan(role, "reports:read") ? `feedback:${centreId}` : null, () =>
    dataOrThrow(api.GET("/api/feedback/summary", { params: { query: { centreId: centreId ?? "" } } })),
  );
  const lessons = useGet(centreId && roleCan(role, "lessons:read") ? `lessons:${centreId}` : null, () =>
    dataOrThrow(api.GET("/api/lessons", { params: { query: { centreId: centreId ?? "", limit: 200 } } })),
  );
  const byTheme = new Map(LessonTheme.options.map((theme) => [theme, zero()]));
  const byCommitment = new Map(chsCommitments(props.locale).map(({ n }) => [n, zero()]));
  for (const lesson of lessons.data?.items ?? []) {
    const theme = byTheme.get(lesson.theme);
    if (theme) theme[lesson.status] += 1;
    for (const n of lesson.chsCommitments) {
      const counts = byCommitment.get(n);
      if (counts) counts[lesson.status] += 1;
    }
  }
  const summary = feedback.data;
  const themes = lessonVocabulary[props.locale].themes;
  const headers = (first: string) => [first, t("draft"), t("reviewed"), t("validated"), t("total")];
  const row = (label: string, counts: Counts) => (
    <tr key={label}>
      <th scope="row">{label}</th>
      <td>{counts.draft}</td>
      <td>{counts.reviewed}</td>
      <td>{counts.validated}</td>
      <td>{counts.draft + counts.reviewed + counts.validated}</td>
    </tr>
  );
  const problem = feedback.problem ?? lessons.problem;
  return (
    <section class="report-panel" aria-labelledby="learning-title" id="learning">
      <h2 id="learning-title">{t("title")}</h2>
      {problem && (
        <p class="error" role="alert">
          {t("loadError", { detail: problemText(problem) })}
        </p>
      )}
      {summary && (
        <>
          <h3>{t("feedback")}</h3>
          <p class="note">{t("chs5")}</p>
          <p class="feedback-counts">
            {summary.pending + summary.approved + summary.rejected === 0
              ? t("feedbackNone")
              : t("feedbackCounts", {
                  total: summary.pending + summary.approved + summary.rejected,
                  pending: summary.pending,
                  approved: summary.approved,
                  rejected: summary.rejected,
                })}
          </p>
        </>
      )}
      {lessons.data && lessons.data.items.length === 0 && <p class="note">{t("noLessons")}</p>}
      {lessons.data && lessons.data.items.length > 0 && (
        <>
          <CaptionedTable
            id="lessons-by-theme"
            class="report-table"
            caption={t("lessonsByTheme")}
            headers={headers(t("theme"))}
          >
            <tbody>{[...byTheme].map(([theme, counts]) => row(themes[theme] ?? theme, counts))}</tbody>
          </CaptionedTable>
          <CaptionedTable
            id="lessons-by-chs"
            class="report-table"
            caption={t("lessonsByChs")}
            headers={headers(t("commitment"))}
          >
            <tbody>
              {chsCommitments(props.locale).map(({ n, title }) =>
                row(`${n}. ${title}`, byCommitment.get(n) ?? zero()),
              )}
            </tbody>
          </CaptionedTable>
        </>
      )}
    </section>
  );
}
