import { useState } from "preact/hooks";
import { api, dataOrThrow, fieldError, type Problem, type Schemas, type Session } from "../../api.js";
import { problemText } from "../../components/report-parts.js";
import { type LessonsT, lessonVocabulary } from "../../i18n/pages/lessons.js";
import type { StaffPageProps } from "../../staff-page.js";
import { EvidenceEditor } from "./evidence-editor.js";
import {
  asProblem,
  chsCommitments,
  type Evidence,
  GROUPS,
  type Lesson,
  STATEMENT_PARTS,
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

/**
 * A lesson's form: a new draft, or (with `editing`) an existing lesson, prefilled. Title, type, theme, the
 * statement, several pieces of evidence, who took part, the CHS commitments by title, the period.
 */
export function LessonForm(props: {
  t: LessonsT;
  locale: StaffPageProps["locale"];
  session: Session;
  centreId: string;
  editing?: Lesson;
  onSaved: (title: string) => void;
  onCancel?: () => void;
}) {
  const { t, editing } = props;
  const words = lessonVocabulary[props.locale];
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [evidence, setEvidence] = useState<Evidence[]>(editing?.evidence ?? []);
  const error = (field: string) => fieldError(problem, field);
  const invalid = (field: string) =>
    error(field) ? { "aria-invalid": true, "aria-describedby": `lesson-${field}-error` } : {};
  const evidenceError = (index: number) =>
    problem?.errors?.find((e) => e.path[0] === "evidence" && e.path[1] === index)?.message;
  const prefix = editing ? "edit" : "new";

  async function submit(event: Event) {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const body = lessonBody(new FormData(formElement), props.centreId, evidence);
    setBusy(true);
    setProblem(null);
    try {
      if (editing) {
        await dataOrThrow(
          api.PUT("/api/lessons/{lessonId}", { params: { path: { lessonId: editing.id } }, body }),
        );
      } else {
        await dataOrThrow(api.POST("/api/lessons", { body }));
        formElement.reset();
        setEvidence([]);
      }
      props.onSaved(body.title);
    } catch (caught) {
      setProblem(asProblem(caught));
    } finally {
      setBusy(false);
    }
  }

  const general = problem && (problem.errors ?? []).length === 0 ? problemText(problem) : null;
  const titleId = `${prefix}-lesson-form-title`;
  return (
    <form class="card lesson-form" onSubmit={submit} noValidate aria-labelledby={titleId}>
      <h2 id={titleId}>{editing ? t("editTitle", { title: editing.title }) : t("contribute")}</h2>
      {editing && editing.status !== "draft" && <p class="hint">{t("editHint")}</p>}
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
      <input
        id="lesson-title"
        name="title"
        required
        maxLength={200}
        defaultValue={editing?.title}
        {...invalid("title")}
      />
      <FieldError id="lesson-title-error" message={error("title")} />
      <label for="lesson-type">{t("type")}</label>
      <select id="lesson-type" name="type" defaultValue={editing?.type} {...invalid("type")}>
        {TYPES.map((value) => (
          <option key={value} value={value}>
            {words.types[value]}
          </option>
        ))}
      </select>
      <label for="lesson-theme">{t("theme")}</label>
      <select id="lesson-theme" name="theme" defaultValue={editing?.theme} {...invalid("theme")}>
        {THEMES.map((value) => (
          <option key={value} value={value}>
            {words.themes[value]}
          </option>
        ))}
      </select>
      <StatementFields t={t} editing={editing} invalid={invalid} error={error} />
      <EvidenceEditor
        t={t}
        locale={props.locale}
        session={props.session}
        centreId={props.centreId}
        evidence={evidence}
        onChange={setEvidence}
        errorAt={evidenceError}
      />
      <ParticipationFields t={t} locale={props.locale} error={error} editing={editing} />
      <PeriodFields t={t} editing={editing} invalid={invalid} error={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t("saving") : editing ? t("saveChanges") : t("submit")}
        </button>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            {t("cancel")}
          </button>
        )}
      </div>
    </form>
  );
}

/**
 * The body of `POST /api/lessons` or `PUT /api/lessons/{id}` from the form. The selects offer only the
 * document's values (hence the casts); the API still checks every field.
 */
function lessonBody(form: FormData, centreId: string, evidence: Evidence[]): Schemas["LessonInput"] {
  const text = (name: string) => String(form.get(name) ?? "");
  return {
    centreId,
    type: text("type") as Lesson["type"],
    theme: text("theme") as Lesson["theme"],
    title: text("title"),
    statement: Object.fromEntries(STATEMENT_PARTS.map((part) => [part, text(part)])) as Lesson["statement"],
    evidence,
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
  editing: Lesson | undefined;
}) {
  const { t, error, editing } = props;
  const words = lessonVocabulary[props.locale];
  return (
    <>
      <fieldset aria-describedby={error("contributors") ? "lesson-contributors-error" : undefined}>
        <legend>{t("contributors")}</legend>
        {GROUPS.map((group) => (
          <label key={group} class="check">
            <input
              type="checkbox"
              name="contributors"
              value={group}
              defaultChecked={editing?.contributors.includes(group)}
            />{" "}
            {words.groups[group]}
          </label>
        ))}
        <FieldError id="lesson-contributors-error" message={error("contributors")} />
      </fieldset>
      <fieldset aria-describedby={error("chsCommitments") ? "lesson-chsCommitments-error" : undefined}>
        <legend>{t("chs")}</legend>
        <div class="chs-grid">
          {chsCommitments(props.locale).map(({ n, title }) => (
            <label key={n} class="check">
              <input
                type="checkbox"
                name="chsCommitments"
                value={n}
                defaultChecked={editing?.chsCommitments.includes(n)}
              />{" "}
              {t("chsItem", { n, title })}
            </label>
          ))}
        </div>
        <FieldError id="lesson-chsCommitments-error" message={error("chsCommitments")} />
      </fieldset>
    </>
  );
}

/** The five parts of the statement, each with its error below it. */
function StatementFields(props: {
  t: LessonsT;
  editing: Lesson | undefined;
  invalid: (field: string) => Record<string, unknown>;
  error: (field: string) => string | undefined;
}) {
  const { t, editing, invalid, error } = props;
  return (
    <fieldset>
      <legend>{t("statement")}</legend>
      {STATEMENT_PARTS.map((part) => (
        <div key={part} class="stack">
          <label for={`lesson-${part}`}>{t(part)}</label>
          <textarea
            id={`lesson-${part}`}
            name={part}
            rows={2}
            maxLength={1000}
            defaultValue={editing?.statement[part]}
            {...invalid(part)}
          />
          <FieldError id={`lesson-${part}-error`} message={error(part)} />
        </div>
      ))}
    </fieldset>
  );
}

/** The period the lesson comes from. */
function PeriodFields(props: {
  t: LessonsT;
  editing: Lesson | undefined;
  invalid: (field: string) => Record<string, unknown>;
  error: (field: string) => string | undefined;
}) {
  const { t, editing, invalid, error } = props;
  return (
    <>
      <label for="lesson-period-start">{t("periodStart")}</label>
      <input
        id="lesson-period-start"
        name="periodStart"
        type="date"
        defaultValue={editing?.periodStart}
        {...invalid("periodStart")}
      />
      <FieldError id="lesson-periodStart-error" message={error("periodStart")} />
      <label for="lesson-period-end">{t("periodEnd")}</label>
      <input
        id="lesson-period-end"
        name="periodEnd"
        type="date"
        defaultValue={editing?.periodEnd}
        {...invalid("periodEnd")}
      />
      <FieldError id="lesson-periodEnd-error" message={error("periodEnd")} />
    </>
  );
}
