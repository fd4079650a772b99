import { roleCan } from "@halte/core";
import { useRef, useState } from "preact/hooks";
import type { Session } from "../../api.js";
import { api, dataOrThrow } from "../../api.js";
import { useGet } from "../../components/report-parts.js";
import type { LessonsT } from "../../i18n/pages/lessons.js";
import type { StaffPageProps } from "../../staff-page.js";
import { EvidenceText } from "./evidence-text.js";
import { FigurePicker } from "./figure-picker.js";
import { type Evidence, STRENGTHS } from "./shared.js";

type Kind = Evidence["kind"];

/**
 * The lesson's evidence, several items: each listed with a button to remove it, and a small form to add
 * one more — a figure picked from a report, a document, one of the centre's context events, or feedback
 * from the people assisted that a coordinator approved.
 */
export function EvidenceEditor(props: {
  t: LessonsT;
  locale: StaffPageProps["locale"];
  session: Session;
  centreId: string;
  evidence: Evidence[];
  onChange: (evidence: Evidence[]) => void;
  errorAt: (index: number) => string | undefined;
}) {
  const { t } = props;
  const role = props.session.user.role;
  const [kind, setKind] = useState<Kind | "">("");
  const [reference, setReference] = useState("");
  const [description, setDescription] = useState("");
  const [strength, setStrength] = useState<Evidence["strength"]>("moderate");
  const picked = useRef<NonNullable<Evidence["figure"]> | null>(null);
  const events = useGet(kind === "event" ? props.centreId : null, () =>
    dataOrThrow(api.GET("/api/events", { params: { query: { centreId: props.centreId, limit: 200 } } })),
  );
  const feedback = useGet(kind === "feedback" ? props.centreId : null, () =>
    dataOrThrow(
      api.GET("/api/feedback", {
        params: { query: { centreId: props.centreId, status: "approved", limit: 200 } },
      }),
    ),
  );
  const eventItems = events.data?.items ?? [];
  const feedbackItems = feedback.data?.items ?? [];

  function add() {
    if (!kind) return;
    const figure = kind === "figure" ? picked.current : null;
    if (kind === "figure" && !figure) return;
    const chosen =
      kind === "event"
        ? reference || eventItems[0]?.id || ""
        : kind === "feedback"
          ? reference || feedbackItems[0]?.id || ""
          : reference;
    const item: Evidence = figure
      ? {
          kind,
          reference: `${figure.report}:${figure.period}:${figure.breakdown}`,
          description,
          strength,
          figure,
        }
      : { kind, reference: chosen, description, strength };
    props.onChange([...props.evidence, item]);
    setKind("");
    setReference("");
    setDescription("");
  }

  return (
    <fieldset>
      <legend>{t("evidence")}</legend>
      <EvidenceList
        t={t}
        locale={props.locale}
        evidence={props.evidence}
        onChange={props.onChange}
        errorAt={props.errorAt}
      />
      <KindSelect
        t={t}
        kind={kind}
        mayCiteFeedback={roleCan(role, "feedback:moderate")}
        onChange={(chosen) => {
          setKind(chosen);
          setReference("");
        }}
      />
      {kind === "figure" &&
        (roleCan(role, "reports:read") ? (
          <FigurePicker t={t} locale={props.locale} centreId={props.centreId} picked={picked} />
        ) : (
          <p>{t("figureNoReports")}</p>
        ))}
      <ReferenceField
        t={t}
        kind={kind}
        reference={reference}
        setReference={setReference}
        events={eventItems}
        feedback={feedbackItems}
      />
      {kind && (
        <>
          <label for="lesson-evidence-description">{t("evidenceDescription")}</label>
          <input
            id="lesson-evidence-description"
            maxLength={1000}
            value={description}
            onInput={(event) => setDescription((event.target as HTMLInputElement).value)}
          />
          <label for="lesson-evidence-strength">{t("evidenceStrength")}</label>
          <select
            id="lesson-evidence-strength"
            value={strength}
            onChange={(event) =>
              setStrength((event.target as HTMLSelectElement).value as Evidence["strength"])
            }
          >
            {STRENGTHS.map(([value, key]) => (
              <option key={value} value={value}>
                {t(key)}
              </option>
            ))}
          </select>
          <button type="button" onClick={add}>
            {t("evidenceAdd")}
          </button>
        </>
      )}
    </fieldset>
  );
}

/** The evidence already added, each with a button to remove it. */
function EvidenceList(props: {
  t: LessonsT;
  locale: StaffPageProps["locale"];
  evidence: Evidence[];
  onChange: (evidence: Evidence[]) => void;
  errorAt: (index: number) => string | undefined;
}) {
  const { t } = props;
  return (
    <>
      {props.evidence.length === 0 ? (
        <p>{t("evidenceNone")}</p>
      ) : (
        <ol class="evidence-list">
          {props.evidence.map((item, index) => (
            <li key={`${item.kind}-${item.reference}-${index}`}>
              <EvidenceText t={t} locale={props.locale} evidence={item} />
              {props.errorAt(index) && <span class="error"> {props.errorAt(index)}</span>}{" "}
              <button
                type="button"
                onClick={() => props.onChange(props.evidence.filter((_, other) => other !== index))}
              >
                {t("evidenceRemove", { n: index + 1 })}
              </button>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

/** What a document, an event or a piece of feedback is cited by: typed, or chosen from the centre's. */
function ReferenceField(props: {
  t: LessonsT;
  kind: Kind | "";
  reference: string;
  setReference: (reference: string) => void;
  events: Array<{ id: string; title: string; startsOn: string }>;
  feedback: Array<{ id: string; text: string; createdAt: string }>;
}) {
  const { t, kind, reference, setReference } = props;
  const eventItems = props.events;
  const feedbackItems = props.feedback;
  return (
    <>
      {kind === "report" && (
        <>
          <label for="lesson-evidence-reference">{t("evidenceReference")}</label>
          <input
            id="lesson-evidence-reference"
            maxLength={500}
            value={reference}
            onInput={(event) => setReference((event.target as HTMLInputElement).value)}
          />
        </>
      )}
      {kind === "event" && (
        <>
          <label for="lesson-evidence-reference">{t("evidenceEventChoice")}</label>
          <select
            id="lesson-evidence-reference"
            value={reference}
            onChange={(event) => setReference((event.target as HTMLSelectElement).value)}
          >
            {eventItems.map((item) => (
              <option key={item.id} value={item.id}>
                {item.startsOn} — {item.title}
              </option>
            ))}
          </select>
        </>
      )}
      {kind === "feedback" && (
        <>
          <label for="lesson-evidence-reference">{t("evidenceFeedbackChoice")}</label>
          <select
            id="lesson-evidence-reference"
            value={reference}
            onChange={(event) => setReference((event.target as HTMLSelectElement).value)}
          >
            {feedbackItems.map((item) => (
              <option key={item.id} value={item.id}>
                {item.createdAt.slice(0, 10)} — {item.text.slice(0, 80)}
              </option>
            ))}
          </select>
        </>
      )}
    </>
  );
}

/** The kinds of evidence the user may add; feedback only for those who moderate it. */
function KindSelect(props: {
  t: LessonsT;
  kind: Kind | "";
  mayCiteFeedback: boolean;
  onChange: (kind: Kind | "") => void;
}) {
  const { t, kind } = props;
  return (
    <>
      <label for="lesson-evidence-kind">{t("evidenceKind")}</label>
      <select
        id="lesson-evidence-kind"
        value={kind}
        onChange={(event) => props.onChange((event.target as HTMLSelectElement).value as Kind | "")}
      >
        <option value="">–</option>
        <option value="figure">{t("evidenceFigure")}</option>
        <option value="report">{t("evidenceReport")}</option>
        <option value="event">{t("evidenceEvent")}</option>
        {props.mayCiteFeedback && <option value="feedback">{t("evidenceFeedback")}</option>}
      </select>
    </>
  );
}
