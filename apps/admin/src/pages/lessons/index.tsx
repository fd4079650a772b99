import { roleCan } from "@halte/core";
import { useEffect, useState } from "preact/hooks";
import { api, dataOrThrow, type Problem } from "../../api.js";
import { CentrePicker, problemText, useCentreChoice } from "../../components/report-parts.js";
import { type LessonsT, lessonsTranslator } from "../../i18n/pages/lessons.js";
import type { StaffPageProps } from "../../staff-page.js";
import { LessonForm } from "./contribute-form.js";
import { useEventSummaries } from "./evidence-text.js";
import { LessonFilters } from "./lesson-filters.js";
import { LessonList } from "./lesson-list.js";
import { asProblem, type Lesson, statusKey } from "./shared.js";
export function LessonsPage({ locale, session }: StaffPageProps) {
  const t = lessonsTranslator(locale);
  const { centreId, centres, choose } = useCentreChoice(session.user);
  const [filters, setFilters] = useState({ type: "", theme: "", status: "" });
  const [announcement, setAnnouncement] = useState("");
  const [reload, setReload] = useState(0);
  const mayContribute = roleCan(session.user.role, "lessons:contribute");
  const mayValidate = roleCan(session.user.role, "lessons:validate");
  const [editing, setEditing] = useState<Lesson | null>(null);
  const eventMap = useEventSummaries(centreId, reload);

  const { lessons, nextCursor, listProblem, load } = useLessonPages(centreId, filters, reload);

  async function move(lesson: Lesson, status: Lesson["status"], reason?: string) {
    try {
      await dataOrThrow(
        api.POST("/api/lessons/{lessonId}/status", {
          params: { path: { lessonId: lesson.id } },
          body: reason ? { status, reason } : { status },
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
      <p class="no-print">
        <a href={guide} target="_blank" rel="noopener" class="guide-link">
          {t("guideLink")}
        </a>{" "}
        <button type="button" onClick={() => print()}>
          {t("print")}
        </button>
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
          session={session}
          lessons={lessons}
          events={eventMap}
          mayContribute={mayContribute}
          mayValidate={mayValidate}
          onMove={(lesson, status, reason) => void move(lesson, status, reason)}
          onEdit={(lesson) => {
            setEditing(lesson);
            queueMicrotask(() => document.getElementById("lesson-title")?.focus());
          }}
        />
      )}
      {nextCursor && (
        <button type="button" onClick={() => void load(nextCursor)}>
          {t("more")}
        </button>
      )}

      {mayContribute && (
        <LessonForms
          t={t}
          locale={locale}
          session={session}
          centreId={centreId}
          editing={editing}
          onEdited={(title) => {
            setEditing(null);
            setAnnouncement(t("saved", { title }));
            setReload((n) => n + 1);
          }}
          onCreated={(title) => {
            setAnnouncement(t("created", { title }));
            setReload((n) => n + 1);
          }}
          onCancel={() => setEditing(null)}
        />
      )}
    </section>
  );
}

/** The form that edits the lesson chosen, or else the form that contributes a new one. */
function LessonForms(props: {
  t: LessonsT;
  locale: StaffPageProps["locale"];
  session: StaffPageProps["session"];
  centreId: string;
  editing: Lesson | null;
  onEdited: (title: string) => void;
  onCreated: (title: string) => void;
  onCancel: () => void;
}) {
  const { editing, ...common } = props;
  return editing ? (
    <LessonForm
      key={editing.id}
      t={common.t}
      locale={common.locale}
      session={common.session}
      centreId={common.centreId}
      editing={editing}
      onSaved={props.onEdited}
      onCancel={props.onCancel}
    />
  ) : (
    <LessonForm
      t={common.t}
      locale={common.locale}
      session={common.session}
      centreId={common.centreId}
      onSaved={props.onCreated}
    />
  );
}

/** The lessons of the centre that match the filters, 50 at a time, loaded again when `reload` changes. */
function useLessonPages(
  centreId: string | null,
  filters: { type: string; theme: string; status: string },
  reload: number,
) {
  const [lessons, setLessons] = useState<Lesson[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [listProblem, setListProblem] = useState<Problem | null>(null);
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
  return { lessons, nextCursor, listProblem, load };
}
