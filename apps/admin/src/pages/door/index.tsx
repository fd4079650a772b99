import { useRef, useState } from "preact/hooks";
import type { Problem, Schemas } from "../../api.js";
import type { QueuedTicketAct } from "../../door-queue.js";
import { ticketKit } from "../../door-tickets-cache.js";
import { doorCardTranslator } from "../../i18n/pages/door.js";
import type { StaffPageProps } from "../../staff-page.js";
import { CardCodeField } from "./card-code.js";
import { DetailChips, type Details, ServiceChips } from "./chips.js";
import { DeviceSetup } from "./device-setup.js";
import { countsWithQueue, useMonotoneCounts } from "./door-counts.js";
import {
  arrivalOf,
  queuedUseOf,
  useDoorCentre,
  useHalfMinuteClock,
  useLanguagesEditor,
  useTicketQueues,
} from "./door-hooks.js";
import { DoorSummary, GeneralProblem } from "./door-summary.js";
import { UndoButton } from "./undo.js";
import { useDoorQueue } from "./use-door-queue.js";
import { useDoorRecorder } from "./use-door-recorder.js";
import "./door.css";

type DoorService = Schemas["DoorToday"]["services"][number];

// Until the first answer (and with no day cached): the API's own default list (core DEFAULT_DOOR_LANGUAGES).
const FALLBACK_LANGUAGES: Schemas["DoorToday"]["languages"] = [
  { code: "fr", name: "Français", dir: "ltr" },
  { code: "en", name: "English", dir: "ltr" },
  { code: "ar", name: "العربية", dir: "rtl" },
  { code: "prs", name: "دری", dir: "rtl" },
  { code: "ps", name: "پښتو", dir: "rtl" },
  { code: "ti", name: "ትግርኛ", dir: "ltr" },
];

export function DoorPage({ t, locale, session, onSignedOut }: StaffPageProps) {
  const cardT = doorCardTranslator(locale);
  const centreId = useDoorCentre(session.user.centreId);
  const [details, setDetails] = useState<Details>({});
  // The visitor card code goes with one tap only: cleared at once, never listed (the API keeps only a keyed hash).
  const [cardCode, setCardCode] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const now = useHalfMinuteClock();

  const queue = useDoorQueue({ t, centreId, onSignedOut, setProblem, setAnnouncement });
  const { today, queued, setQueued, online, sync, refresh, applyUndo } = queue;
  const counts = useMonotoneCounts(today?.day ?? "", countsWithQueue(today, queued));
  const shown = useRef(counts);
  shown.current = counts;
  const { undoable, refreshUndoable, record, ...recorder } = useDoorRecorder({ setQueued, sync, refresh });
  const LanguagesEditor = useLanguagesEditor(session.user.role);
  const Tickets = useTicketQueues(today?.services.some((service) => service.ticketQueue) ?? false);

  /** Says aloud a service's new count, after a "+1" or a ticket call (which counts as one use). */
  function announceUse(serviceId: string) {
    const service = today?.services.find((s) => s.serviceId === serviceId);
    const count = (shown.current.uses.get(serviceId) ?? service?.uses ?? 0) + 1;
    setAnnouncement(cardT("useRecorded", { name: service?.name ?? "", count }));
  }

  function recordArrival() {
    if (!centreId) return;
    const visit = arrivalOf(centreId, cardCode, details);
    setDetails({});
    setCardCode("");
    setAnnouncement(t("arrivalRecorded", { count: shown.current.arrivals + 1 }));
    record(visit, details.services ?? []);
  }

  function recordUse(service: DoorService) {
    if (!centreId) return;
    announceUse(service.serviceId);
    record(queuedUseOf(centreId, service.serviceId), [service.serviceId]);
  }

  if (!centreId) return <p>{t("noCentre")}</p>;
  return (
    <section class="door" aria-labelledby="door-title">
      <DoorSummary t={t} online={online} arrivals={counts.arrivals} pending={queued.length} today={today} />
      {today && today.services.length > 0 && (
        <ServiceChips
          t={t}
          cardT={cardT}
          problem={problem}
          services={today.services}
          uses={counts.uses}
          now={now}
          details={details}
          setDetails={setDetails}
          onUse={recordUse}
        />
      )}
      <button type="button" class="tap" onClick={recordArrival}>
        {t("recordArrival")}
      </button>
      <UndoButton
        cardT={cardT}
        locale={locale}
        timeZone={today?.timeZone}
        services={today?.services ?? []}
        tap={undoable}
        onUndone={(tap, outcome) => {
          const arrivals = shown.current.arrivals - (tap.kind === "visit" ? 1 : 0);
          if (tap.kind === "visit") counts.lower("arrivals");
          for (const serviceId of tap.serviceIds) counts.lower(serviceId);
          applyUndo(tap, outcome);
          setAnnouncement(cardT("undone", { count: Math.max(0, arrivals) }));
          refreshUndoable();
          void refresh();
        }}
        refreshUndoable={refreshUndoable}
      />
      {Tickets && today && (
        <Tickets
          kit={ticketKit}
          locale={locale}
          centreId={centreId}
          holderId={session.user.id}
          today={today}
          queued={queued}
          uses={counts.uses}
          now={now}
          onAct={(act: QueuedTicketAct) => {
            if (act.kind === "call") announceUse(act.serviceId);
            recorder.recordTicketAct(act);
          }}
        />
      )}
      <p class="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <GeneralProblem t={t} problem={problem} />
      <CardCodeField
        cardT={cardT}
        problem={problem}
        value={cardCode}
        onInput={setCardCode}
        onEnter={recordArrival}
      />
      <DetailChips
        t={t}
        problem={problem}
        details={details}
        setDetails={setDetails}
        languages={today?.languages ?? FALLBACK_LANGUAGES}
      />
      <DeviceSetup cardT={cardT} user={session.user} centreId={centreId} />
      {LanguagesEditor && (
        <LanguagesEditor cardT={cardT} locale={locale} centreId={centreId} onSaved={() => void refresh()} />
      )}
    </section>
  );
}
