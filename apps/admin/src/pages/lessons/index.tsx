import { roleCan } from "@halte/core";
import { useEffect, useState } from "preact/hooks";
import { api, dataOrThrow, type Problem } from "../../api.js";
import { CentrePicker, problemText, useCentreChoice } from "../../components/report-parts.js";
import { lessonsTranslator, lessonVocabulary } from "../../i18n/pages/lessons.js";
import type { StaffPageProps } from "../../staff-page.js";
import { ContributeForm } from "./contribute-form.js";
import { LessonFilters } from "./lesson-filters.js";
import { LessonList } from "./lesson-list.js";
import { asProblem, type Lesson, statusKey } from "./shared.js";
export function LessonsPage({ locale, session }: StaffPageProps) {
  const t = lessonsTranslator(locale);
  const _words = lessonVocabulary[locale];
  const { centreId, centres, choose } = useCentreChoice(session.user);
  const [filters, setFilters] = useState({ type: "", theme: "", status: "" });
  const [lessons, setLessons] = useState<Lesson[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [listProblem, setListProblem] = useState<Problem | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const [reload, setReload] = useState(0);
  const mayContribute = roleCan(session.user.role, "lessons:contribute");
  const mayValidate = roleCan(session.user.role, "lessons:validate");

  async function load(cursor: string | null) {
    const query = {
      centreId: centreId ?? "",
      limit: 50,
      ...(filters.type ? { type: filters.type as Lesson["type"] } : {}),
      ...(filters.theme ? { theme: filters.theme as Lesson["theme"] } : {}),
      ...(filters.status ? { status: filters.status as Lesson["status"] } : {}),
      ...(cursor ? { cursor } : {}),
    };
    try {
      const page = await dataOrThrow(api.GET("/api/lessons", { params: { query } }));
      setLessons((before) => (cursor ? [...before, ...page.items] : page.items));
      setNextCursor(page.nextCursor);
      setListProblem(null);
    } catch (error) {
      setListProblem(asProblem(error));
    }
  }

  useEffect(() => {
    if (centreId) void load(null);
  }, [centreId, filters, reload]);

  async function move(lesson: Lesson, status: Lesson["status"]) {
    try {
      await dataOrThrow(
        api.POST("/api/lessons/{lessonId}/status", {
          params: { path: { lessonId: lesson.id } },
          body: { status },
        }),
      );
      setAnnouncement(t("moved", { title: lesson.title, status: t(statusKey[status]) }));
      setReload((n) => n + 1);
    } catch (error) {
      setAnnouncement(t("failed", { detail: problemText(asProblem(error)) }));
    }
  }

  if (!centreId) return <p class="loading">…</p>;
  // The printable guide's headings and labels follow the staff language chosen in the header.
  const guide = `/api/lessons/guide?${new URLSearchParams({ centreId, format: "html", language: locale })}`;
  return (
    <section class="lessons" aria-labelledby="lessons-title">
      <h1 id="lessons-title">{t("title")}</h1>
      <p>{t("intro")}</p>
      <p>
        <a href={guide} target="_blank" rel="noopener" class="guide-link">
          {t("guideLink")}
        </a>
      </p>
      <CentrePicker label={t("centre")} centres={centres} value={centreId} onChange={choose} />
      <p class="visually-hidden" aria-live="polite" role="status">
        {announcement}
      </p>

      <LessonFilters t={t} locale={locale} onApply={setFilters} />

      {listProblem && (
        <p class="error" role="alert">
          {t("failed", { detail: problemText(listProblem) })}
        </p>
      )}
      {lessons.length === 0 && !listProblem ? (
        <p>{t("none")}</p>
      ) : (
        <LessonList
          t={t}
          locale={locale}
          lessons={lessons}
          mayContribute={mayContribute}
          mayValidate={mayValidate}
          onMove={(lesson, status) => void move(lesson, status)}
        />
      )}
      {nextCursor && (
        <button type="button" onClick={() => void load(nextCursor)}>
          {t("more")}
        </button>
      )}

      {mayContribute && (
        <ContributeForm
          t={t}
          locale={locale}
          centreId={centreId}
          onCreated={(title) => {
            setAnnouncement(t("created", { title }));
            setReload((n) => n + 1);
          }}
        />
      )}
    </section>
  );
}
