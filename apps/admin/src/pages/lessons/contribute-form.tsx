import { useState } from "preact/hooks";
import { api, dataOrThrow, fieldError, type Problem, type Schemas } from "../../api.js";
import { problemText, useGet } from "../../components/report-parts.js";
import { type LessonsT, lessonVocabulary } from "../../i18n/pages/lessons.js";
import type { StaffPageProps } from "../../staff-page.js";

import {
  asProblem,
  type Evidence,
  GROUPS,
  type Lesson,
  STATEMENT_PARTS,
  STRENGTHS,
  THEMES,
  TYPES,
} from "./shared.js";

/** A field's error message under it, tied to the control with aria-describedby. */
function FieldError(props: { id: string; message: string | undefined }) {
  return props.message ? (
    <span id={props.id} class="error">
      {props.message}
    </span>
  ) : null;
}

/** A new lesson (a draft): title, type, theme, the statement, one piece of evidence, who took part, CHS, period. */
export function ContributeForm(props: {
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
    const body = lessonBody(form, props.centreId, evidenceKind);
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
      <EvidenceFields
        t={t}
        kind={evidenceKind}
        setKind={setEvidenceKind}
        events={events.data?.items ?? []}
        invalid={invalid}
        error={error}
      />
      <ParticipationFields t={t} locale={props.locale} error={error} />
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

/** The lesson's evidence: a figure, a report or one of the centre's dated events, with its strength. */
function EvidenceFields(props: {
  t: LessonsT;
  kind: string;
  setKind: (kind: string) => void;
  events: Array<{ id: string; title: string; startsOn: string }>;
  invalid: (field: string) => Record<string, unknown>;
  error: (field: string) => string | undefined;
}) {
  const { t, invalid, error } = props;
  const evidenceKind = props.kind;
  return (
    <fieldset>
      <legend>{t("evidence")}</legend>
      <label for="lesson-evidence-kind">{t("evidenceKind")}</label>
      <select
        id="lesson-evidence-kind"
        value={evidenceKind}
        onChange={(event) => props.setKind((event.target as HTMLSelectElement).value)}
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
            {props.events.map((item) => (
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
  );
}

/**
 * The body of `POST /api/lessons` from the form. The selects offer only the document's values (hence the
 * casts); the API still checks every field.
 */
function lessonBody(form: FormData, centreId: string, evidenceKind: string): Schemas["LessonInput"] {
  const text = (name: string) => String(form.get(name) ?? "");
  const reference = text("evidenceReference");
  return {
    centreId,
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
}

/** Who took part in drawing the lesson, and the Core Humanitarian Standard commitments it speaks to. */
function ParticipationFields(props: {
  t: LessonsT;
  locale: StaffPageProps["locale"];
  error: (field: string) => string | undefined;
}) {
  const { t, error } = props;
  const words = lessonVocabulary[props.locale];
  return (
    <>
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
    </>
  );
}
