import { api, dataOrThrow } from "../../api.js";
import { useGet } from "../../components/report-parts.js";
import type { LessonsT } from "../../i18n/pages/lessons.js";
import type { StaffPageProps } from "../../staff-page.js";
import { languageName } from "./figure-picker.js";
import type { Evidence } from "./shared.js";

const kindKey = {
  figure: "evidenceFigure",
  report: "evidenceReport",
  event: "evidenceEvent",
  feedback: "evidenceFeedback",
} as const;
const strengthKey = { weak: "strengthWeak", moderate: "strengthModerate", strong: "strengthStrong" } as const;

/** What a context event shows beside the evidence that cites it. */
export interface EventSummary {
  title: string;
  startsOn: string;
  peopleConcerned?: number | null;
}

/** The centre's events by id, so evidence citing one shows its title, date and people concerned. */
export function useEventSummaries(
  centreId: string | null,
  version: number,
): ReadonlyMap<string, EventSummary> {
  const events = useGet(centreId ? `${centreId}@${version}` : null, () =>
    dataOrThrow(api.GET("/api/events", { params: { query: { centreId: centreId ?? "", limit: 200 } } })),
  );
  return new Map((events.data?.items ?? []).map((event) => [event.id, event]));
}

/**
 * One piece of evidence as the workspace shows it: its kind and strength, what it shows, and its source — a
 * figure with its published value and period, an event with its title, date and people concerned.
 */
export function EvidenceText(props: {
  t: LessonsT;
  locale: StaffPageProps["locale"];
  evidence: Evidence;
  events?: ReadonlyMap<string, EventSummary>;
}) {
  const { t, evidence } = props;
  const number = new Intl.NumberFormat(props.locale === "fr" ? "fr-FR" : "en-GB");
  let source = evidence.reference;
  const figure = evidence.figure;
  if (figure) {
    const name = figure.breakdown.startsWith("language:")
      ? t("breakdownLanguage", { language: languageName(figure.breakdown.slice(9), props.locale) })
      : t(
          figure.breakdown === "visits"
            ? "breakdownVisits"
            : figure.breakdown === "firstVisits"
              ? "breakdownFirstVisits"
              : "breakdownUniqueVisitors",
        );
    const value = figure.value === null ? t("figureHidden") : number.format(figure.value);
    source = `${name}, ${figure.period}: ${value}`;
  }
  const event = evidence.kind === "event" ? props.events?.get(evidence.reference) : undefined;
  if (event) {
    source = `${event.startsOn} — ${event.title}`;
    if (typeof event.peopleConcerned === "number") {
      source += ` (${t("evidenceEventPeople", { people: number.format(event.peopleConcerned) })})`;
    }
  }
  return (
    <span class="evidence">
      <strong>
        {t(kindKey[evidence.kind])} · {t(strengthKey[evidence.strength])}
      </strong>
      {evidence.description && <> — {evidence.description}</>} <span class="evidence-source">[{source}]</span>
    </span>
  );
}
