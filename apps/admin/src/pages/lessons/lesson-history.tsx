import { api, dataOrThrow } from "../../api.js";
import { formatInstant } from "../../components/form.js";
import { problemText, useGet } from "../../components/report-parts.js";
import type { LessonsT } from "../../i18n/pages/lessons.js";
import type { StaffPageProps } from "../../staff-page.js";
import { asProblem, statusKey } from "./shared.js";

const statusName = (t: LessonsT, status: string | null) =>
  status && status in statusKey ? t(statusKey[status as keyof typeof statusKey]) : (status ?? "");

/** Who contributed, edited and reviewed a lesson, oldest first, with the reason it went back to draft. */
export function LessonHistory(props: {
  t: LessonsT;
  locale: StaffPageProps["locale"];
  lessonId: string;
  version: string;
}) {
  const { t } = props;
  const history = useGet(`${props.lessonId}@${props.version}`, () =>
    dataOrThrow(
      api.GET("/api/lessons/{lessonId}/history", { params: { path: { lessonId: props.lessonId } } }),
    ),
  );
  if (history.problem) {
    return <p class="error">{t("failed", { detail: problemText(asProblem(history.problem)) })}</p>;
  }
  return (
    <ol class="lesson-history">
      {(history.data?.items ?? []).map((entry) => {
        const what =
          entry.action === "status"
            ? t("historyMove", { from: statusName(t, entry.fromStatus), to: statusName(t, entry.toStatus) })
            : entry.action === "create"
              ? t("historyCreate")
              : entry.action === "archive"
                ? t("historyArchive")
                : t("historyUpdate");
        const who = entry.actorName ? t("historyBy", { name: entry.actorName }) : t("historyByToken");
        return (
          <li key={`${entry.at}-${entry.action}`}>
            <time dateTime={entry.at}>{formatInstant(props.locale, entry.at)}</time> — {what} {who}
            {entry.reason && <> — {t("historyReason", { reason: entry.reason })}</>}
          </li>
        );
      })}
    </ol>
  );
}
