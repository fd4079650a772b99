import { ContributorGroup, LessonTheme, LessonType, roleCan } from "@halte/core";
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, dataOrThrow, fieldError, type Problem, type Schemas } from "../../api.js";
import { CentrePicker, problemText, useCentreChoice, useGet } from "../../components/report-parts.js";
import { type LessonsT, lessonsTranslator, lessonVocabulary } from "../../i18n/pages/lessons.js";
import type { StaffPageProps } from "../../staff-page.js";

const TYPES = LessonType.options;
const THEMES = LessonTheme.options;
const GROUPS = ContributorGroup.options;
const STATUSES = ["draft", "reviewed", "validated"] as const;
const STATEMENT_PARTS = ["context", "situation", "result", "cause", "recommendation"] as const;
const STRENGTHS = [
  ["weak", "strengthWeak"],
  ["moderate", "strengthModerate"],
  ["strong", "strengthStrong"],
] as const;

type Lesson = Schemas["Lesson"];
type Evidence = Lesson["evidence"][number];

const statusKey = {
  draft: "statusDraft",
  reviewed: "statusReviewed",
  validated: "statusValidated",
} as const;

function asProblem(error: unknown): Problem {
  return error instanceof ApiError ? error.problem : { title: String(error), status: 0 };
}

export function LessonsPage({ locale, session }: StaffPageProps) {
  const t = lessonsTranslator(locale);
  const words = lessonVocabulary[locale];
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

      <form
        class="report-controls"
        aria-label={t("filters")}
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget as HTMLFormElement);
          setFilters({
            type: String(form.get("type") ?? ""),
            theme: String(form.get("theme") ?? ""),
            status: String(form.get("status") ?? ""),
          });
        }}
      >
        <Choice
          name="type"
          label={t("type")}
          any={t("any")}
          options={TYPES.map((v) => [v, words.types[v] ?? v])}
        />
        <Choice
          name="theme"
          label={t("theme")}
          any={t("any")}
          options={THEMES.map((v) => [v, words.themes[v] ?? v])}
        />
        <Choice
          name="status"
          label={t("status")}
          any={t("any")}
          options={STATUSES.map((v) => [v, t(statusKey[v])])}
        />
        <button type="submit" class="primary">
          {t("apply")}
        </button>
      </form>

      {listProblem && (
        <p class="error" role="alert">
          {t("failed", { detail: problemText(listProblem) })}
        </p>
      )}
      {lessons.length === 0 && !listProblem ? (
        <p>{t("none")}</p>
      ) : (
        <ul class="lesson-list">
          {lessons.map((lesson) => (
            <li key={lesson.id} class="lesson">
              <h2>{lesson.title}</h2>
              <p class="lesson-meta">
                {words.types[lesson.type] ?? lesson.type} · {words.themes[lesson.theme] ?? lesson.theme} ·{" "}
                <span class={`badge review-${lesson.status}`}>{t(statusKey[lesson.status])}</span>
              </p>
              <p>
                {STATEMENT_PARTS.map((part) => `${t(part).replace("…", "")} ${lesson.statement[part]}`).join(
                  " ",
                )}
              </p>
              <p class="lesson-meta">
                {t("period", { start: lesson.periodStart, end: lesson.periodEnd })} ·{" "}
                {t("evidenceCount", { n: lesson.evidence.length })} ·{" "}
                {lesson.contributors.map((group) => words.groups[group] ?? group).join(", ")}
                {lesson.chsCommitments.length > 0 && ` · CHS ${lesson.chsCommitments.join(", ")}`}
              </p>
              <div class="actions">
                {mayContribute && lesson.status === "draft" && (
                  <button type="button" onClick={() => void move(lesson, "reviewed")}>
                    {t("markReviewed")}
                  </button>
                )}
                {mayValidate && lesson.status === "reviewed" && (
                  <button type="button" class="primary" onClick={() => void move(lesson, "validated")}>
                    {t("validate")}
                  </button>
                )}
                {mayContribute && lesson.status !== "draft" && (
                  <button type="button" onClick={() => void move(lesson, "draft")}>
                    {t("backToDraft")}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
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

function Choice(props: {
  name: string;
  label: string;
  any: string;
  options: Array<readonly [string, string]>;
}) {
  return (
    <label class="field">
      <span>{props.label}</span>
      <select name={props.name}>
        <option value="">{props.any}</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A field's error message under it, tied to the control with aria-describedby. */
function FieldError(props: { id: string; message: string | undefined }) {
  return props.message ? (
    <span id={props.id} class="error">
      {props.message}
    </span>
  ) : null;
}

function ContributeForm(props: {
  t: LessonsT;
  locale: StaffPageProps["locale"];
  centreId: string;
  onCreated: (title: string) => void;
}) {
  const { t } = props;
  const words = lessonVocabulary[props.locale];
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [evidenceKind, setEvidenceKind] = useState("");
  const events = useGet(props.centreId, () =>
    dataOrThrow(api.GET("/api/events", { params: { query: { centreId: props.centreId, limit: 200 } } })),
  );
  const error = (field: string) => fieldError(problem, field);
  const invalid = (field: string) =>
    error(field) ? { "aria-invalid": true, "aria-describedby": `lesson-${field}-error` } : {};

  async function submit(event: Event) {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? "");
    const reference = text("evidenceReference");
    // The selects offer only the document's values; the API still checks every field.
    const body: Schemas["LessonInput"] = {
      centreId: props.centreId,
      type: text("type") as Lesson["type"],
      theme: text("theme") as Lesson["theme"],
      title: text("title"),
      statement: Object.fromEntries(STATEMENT_PARTS.map((part) => [part, text(part)])) as Lesson["statement"],
      evidence: evidenceKind
        ? [
            {
              kind: evidenceKind as Evidence["kind"],
              reference,
              description: text("evidenceDescription"),
              strength: text("evidenceStrength") as Evidence["strength"],
            },
          ]
        : [],
      contributors: form.getAll("contributors").map(String) as Lesson["contributors"],
      chsCommitments: form.getAll("chsCommitments").map(Number),
      periodStart: text("periodStart"),
      periodEnd: text("periodEnd"),
    };
    setBusy(true);
    setProblem(null);
    try {
      await dataOrThrow(api.POST("/api/lessons", { body }));
      formElement.reset();
      setEvidenceKind("");
      props.onCreated(body.title);
    } catch (caught) {
      setProblem(asProblem(caught));
    } finally {
      setBusy(false);
    }
  }

  const general = problem && (problem.errors ?? []).length === 0 ? problemText(problem) : null;
  return (
    <form class="card lesson-form" onSubmit={submit} noValidate aria-labelledby="contribute-title">
      <h2 id="contribute-title">{t("contribute")}</h2>
      {general && (
        <p class="error" role="alert">
          {t("failed", { detail: general })}
        </p>
      )}
      {problem && !general && (
        <p class="error" role="alert">
          {t("fixErrors")}
        </p>
      )}
      <label for="lesson-title">{t("lessonTitle")}</label>
      <input id="lesson-title" name="title" required maxLength={200} {...invalid("title")} />
      <FieldError id="lesson-title-error" message={error("title")} />
      <label for="lesson-type">{t("type")}</label>
      <select id="lesson-type" name="type" {...invalid("type")}>
        {TYPES.map((value) => (
          <option key={value} value={value}>
            {words.types[value]}
          </option>
        ))}
      </select>
      <FieldError id="lesson-type-error" message={error("type")} />
      <label for="lesson-theme">{t("theme")}</label>
      <select id="lesson-theme" name="theme" {...invalid("theme")}>
        {THEMES.map((value) => (
          <option key={value} value={value}>
            {words.themes[value]}
          </option>
        ))}
      </select>
      <FieldError id="lesson-theme-error" message={error("theme")} />
      <fieldset>
        <legend>{t("statement")}</legend>
        {STATEMENT_PARTS.map((part) => (
          <div key={part} class="stack">
            <label for={`lesson-${part}`}>{t(part)}</label>
            <textarea id={`lesson-${part}`} name={part} rows={2} maxLength={1000} {...invalid(part)} />
            <FieldError id={`lesson-${part}-error`} message={error(part)} />
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t("evidence")}</legend>
        <label for="lesson-evidence-kind">{t("evidenceKind")}</label>
        <select
          id="lesson-evidence-kind"
          value={evidenceKind}
          onChange={(event) => setEvidenceKind((event.target as HTMLSelectElement).value)}
        >
          <option value="">–</option>
          <option value="figure">{t("evidenceFigure")}</option>
          <option value="report">{t("evidenceReport")}</option>
          <option value="event">{t("evidenceEvent")}</option>
        </select>
        {evidenceKind === "event" ? (
          <>
            <label for="lesson-evidence-reference">{t("evidenceEventChoice")}</label>
            <select id="lesson-evidence-reference" name="evidenceReference" {...invalid("reference")}>
              {(events.data?.items ?? []).map((item) => (
                <option key={item.id} value={item.id}>
                  {item.startsOn} — {item.title}
                </option>
              ))}
            </select>
          </>
        ) : (
          evidenceKind && (
            <>
              <label for="lesson-evidence-reference">{t("evidenceReference")}</label>
              <input id="lesson-evidence-reference" name="evidenceReference" {...invalid("reference")} />
            </>
          )
        )}
        <FieldError id="lesson-reference-error" message={error("reference")} />
        {evidenceKind && (
          <>
            <label for="lesson-evidence-description">{t("evidenceDescription")}</label>
            <input id="lesson-evidence-description" name="evidenceDescription" {...invalid("description")} />
            <FieldError id="lesson-description-error" message={error("description")} />
            <label for="lesson-evidence-strength">{t("evidenceStrength")}</label>
            <select id="lesson-evidence-strength" name="evidenceStrength">
              {STRENGTHS.map(([value, key]) => (
                <option key={value} value={value}>
                  {t(key)}
                </option>
              ))}
            </select>
          </>
        )}
      </fieldset>
      <fieldset aria-describedby={error("contributors") ? "lesson-contributors-error" : undefined}>
        <legend>{t("contributors")}</legend>
        {GROUPS.map((group) => (
          <label key={group} class="check">
            <input type="checkbox" name="contributors" value={group} /> {words.groups[group]}
          </label>
        ))}
        <FieldError id="lesson-contributors-error" message={error("contributors")} />
      </fieldset>
      <fieldset aria-describedby={error("chsCommitments") ? "lesson-chsCommitments-error" : undefined}>
        <legend>{t("chs")}</legend>
        <div class="chs-grid">
          {[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => (
            <label key={n} class="check">
              <input type="checkbox" name="chsCommitments" value={n} /> {t("chsItem", { n })}
            </label>
          ))}
        </div>
        <FieldError id="lesson-chsCommitments-error" message={error("chsCommitments")} />
      </fieldset>
      <label for="lesson-period-start">{t("periodStart")}</label>
      <input id="lesson-period-start" name="periodStart" type="date" {...invalid("periodStart")} />
      <FieldError id="lesson-periodStart-error" message={error("periodStart")} />
      <label for="lesson-period-end">{t("periodEnd")}</label>
      <input id="lesson-period-end" name="periodEnd" type="date" {...invalid("periodEnd")} />
      <FieldError id="lesson-periodEnd-error" message={error("periodEnd")} />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t("saving") : t("submit")}
      </button>
    </form>
  );
}
