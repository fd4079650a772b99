import { useState } from "preact/hooks";
import type { Session } from "../../api.js";
import { type LessonsT, lessonVocabulary } from "../../i18n/pages/lessons.js";
import type { StaffPageProps } from "../../staff-page.js";
import { type EventSummary, EvidenceText } from "./evidence-text.js";
import { LessonHistory } from "./lesson-history.js";
import { chsCommitments, type Lesson, STATEMENT_PARTS, statusKey } from "./shared.js";

/** The lessons, each with its statement, its evidence, its history and the moves the user may make. */
export function LessonList(props: {
  t: LessonsT;
  locale: StaffPageProps["locale"];
  session: Session;
  lessons: Lesson[];
  events: ReadonlyMap<string, EventSummary>;
  mayContribute: boolean;
  mayValidate: boolean;
  onMove: (lesson: Lesson, status: Lesson["status"], reason?: string) => void;
  onEdit: (lesson: Lesson) => void;
}) {
  return (
    <ul class="lesson-list">
      {props.lessons.map((lesson) => (
        <LessonItem key={lesson.id} {...props} lesson={lesson} />
      ))}
    </ul>
  );
}

function LessonItem(props: Parameters<typeof LessonList>[0] & { lesson: Lesson }) {
  const { t, lesson, mayContribute, mayValidate, session } = props;
  const words = lessonVocabulary[props.locale];
  const titles = new Map(chsCommitments(props.locale).map(({ n, title }) => [n, title]));
  const [sendingBack, setSendingBack] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const own = lesson.createdBy === session.user.id;
  const mayChange = mayContribute && (mayValidate || own);
  const ownNote = `own-${lesson.id}`;
  return (
    <li class="lesson">
      <h2>{lesson.title}</h2>
      <p class="lesson-meta">
        {words.types[lesson.type] ?? lesson.type} · {words.themes[lesson.theme] ?? lesson.theme} ·{" "}
        <span class={`badge review-${lesson.status}`}>{t(statusKey[lesson.status])}</span>
        {own && <> · {t("yours")}</>}
      </p>
      <p>
        {STATEMENT_PARTS.map((part) => `${t(part).replace("…", "")} ${lesson.statement[part]}`).join(" ")}
      </p>
      <p class="lesson-meta">
        {t("period", { start: lesson.periodStart, end: lesson.periodEnd })} ·{" "}
        {lesson.contributors.map((group) => words.groups[group] ?? group).join(", ")}
      </p>
      {lesson.chsCommitments.length > 0 && (
        <p class="lesson-meta">
          CHS:{" "}
          {[...lesson.chsCommitments]
            .sort((a, b) => a - b)
            .map((n) => t("chsItem", { n, title: titles.get(n) ?? "" }))
            .join(" · ")}
        </p>
      )}
      <h3 class="evidence-heading">{t("evidenceList")}</h3>
      {lesson.evidence.length === 0 ? (
        <p>{t("evidenceNone")}</p>
      ) : (
        <ul class="evidence-list">
          {lesson.evidence.map((item, index) => (
            <li key={`${item.reference}-${index}`}>
              <EvidenceText t={t} locale={props.locale} evidence={item} events={props.events} />
            </li>
          ))}
        </ul>
      )}
      <div class="actions no-print">
        {mayChange && lesson.archivedAt === null && (
          <button type="button" onClick={() => props.onEdit(lesson)}>
            {t("edit")}
          </button>
        )}
        {mayChange && lesson.status === "draft" && (
          <button type="button" onClick={() => props.onMove(lesson, "reviewed")}>
            {t("markReviewed")}
          </button>
        )}
        {mayValidate && lesson.status === "reviewed" && (
          <button
            type="button"
            class="primary"
            disabled={own}
            aria-describedby={own ? ownNote : undefined}
            onClick={() => props.onMove(lesson, "validated")}
          >
            {t("validate")}
          </button>
        )}
        {mayChange && lesson.status === "reviewed" && (
          <button type="button" onClick={() => props.onMove(lesson, "draft")}>
            {t("backToDraft")}
          </button>
        )}
        {mayChange && lesson.status === "validated" && !sendingBack && (
          <button type="button" onClick={() => setSendingBack(true)}>
            {t("backToDraft")}
          </button>
        )}
        <button type="button" aria-expanded={showHistory} onClick={() => setShowHistory(!showHistory)}>
          {t("history")}
        </button>
      </div>
      {mayValidate && lesson.status === "reviewed" && own && (
        <p id={ownNote} class="hint">
          {t("ownLesson")}
        </p>
      )}
      {sendingBack && (
        <SendBackForm
          t={t}
          lessonId={lesson.id}
          onConfirm={(reason) => {
            props.onMove(lesson, "draft", reason);
            setSendingBack(false);
          }}
          onCancel={() => setSendingBack(false)}
        />
      )}
      {showHistory && (
        <LessonHistory t={t} locale={props.locale} lessonId={lesson.id} version={lesson.updatedAt} />
      )}
    </li>
  );
}

/** Sending a validated lesson back to draft: a confirmation that asks why (the reason goes in its history). */
function SendBackForm(props: {
  t: LessonsT;
  lessonId: string;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const { t } = props;
  const [reason, setReason] = useState("");
  return (
    <form
      class="send-back no-print"
      onSubmit={(event) => {
        event.preventDefault();
        props.onConfirm(reason);
      }}
    >
      <label for={`reason-${props.lessonId}`}>{t("backReason")}</label>
      <textarea
        id={`reason-${props.lessonId}`}
        required
        minLength={3}
        maxLength={500}
        rows={2}
        value={reason}
        onInput={(event) => setReason((event.target as HTMLTextAreaElement).value)}
      />
      <div class="actions">
        <button type="submit" class="primary" disabled={reason.trim().length < 3}>
          {t("backConfirm")}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}
