import { roleCan } from "@halte/core";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, dataOrThrow, type Problem, type Schemas } from "../../api.js";
import { enqueueTap, type QueuedTap, type QueuedVisit } from "../../door-queue.js";
import { lastUndoable, rememberTap } from "../../door-recent.js";
import { doorCardTranslator } from "../../i18n/pages/door.js";
import type { StaffPageProps } from "../../staff-page.js";
import { CardCodeField } from "./card-code.js";
import { DetailChips, type Details, ServiceChips } from "./chips.js";
import { DeviceSetup } from "./device-setup.js";
import { countsWithQueue, useMonotoneCounts } from "./door-counts.js";
import type { DoorLanguagesEditor } from "./door-languages-editor.js";
import { UndoButton } from "./undo.js";
import { useDoorQueue } from "./use-door-queue.js";
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
  const [centreId, setCentreId] = useState<string | null>(session.user.centreId);
  const [details, setDetails] = useState<Details>({});
  // The visitor card code goes with one tap only: cleared at once, never listed (the API keeps only a keyed hash).
  const [cardCode, setCardCode] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [announcement, setAnnouncement] = useState("");
  // The clock the open/closed state of services is read against, moved on every half minute.
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);

  // An admin of every centre records at the first centre the API lists.
  useEffect(() => {
    if (centreId) return;
    dataOrThrow(api.GET("/api/centres", { params: { query: { limit: 1 } } }))
      .then((page) => setCentreId(page.items[0]?.id ?? null))
      .catch(() => undefined);
  }, [centreId]);

  const { today, queued, setQueued, online, sync, refresh, applyUndo } = useDoorQueue({
    t,
    centreId,
    onSignedOut,
    setProblem,
    setAnnouncement,
  });
  const counts = useMonotoneCounts(today?.day ?? "", countsWithQueue(today, queued));
  const shown = useRef(counts);
  shown.current = counts;
  const [undoable, setUndoable] = useState(() => lastUndoable(Date.now()));
  // The door languages editor (with the language table) is its own chunk, fetched only for admins.
  const [LanguagesEditor, setLanguagesEditor] = useState<typeof DoorLanguagesEditor | null>(null);
  useEffect(() => {
    if (!roleCan(session.user.role, "centre:manage")) return;
    void import("./door-languages-editor.js").then((module) =>
      setLanguagesEditor(() => module.DoorLanguagesEditor),
    );
  }, [session.user.role]);

  /** Shows the tap at once (optimistic), then makes it durable and sends it. */
  function record(tap: QueuedTap, serviceIds: string[]) {
    setQueued((list) => [...list, tap]);
    rememberTap({
      idempotencyKey: tap.idempotencyKey,
      kind: "kind" in tap ? "use" : "visit",
      serviceIds,
      at: Date.now(),
    });
    setUndoable(lastUndoable(Date.now()));
    void enqueueTap(tap).then(() => (navigator.onLine ? sync() : refresh()));
  }

  function recordArrival() {
    if (!centreId) return;
    const code = cardCode.trim();
    const visit: QueuedVisit = {
      idempotencyKey: crypto.randomUUID(),
      centreId,
      arrivedAt: new Date().toISOString(),
      ...(code ? { visitorCode: code } : {}),
      ...(details.ageBand ? { ageBand: details.ageBand } : {}),
      ...(details.gender ? { gender: details.gender } : {}),
      ...(details.language ? { languages: [details.language] } : {}),
      ...(details.firstVisit ? { firstVisit: true } : {}),
      ...(details.services?.length ? { uses: details.services.map((serviceId) => ({ serviceId })) } : {}),
    };
    setDetails({});
    setCardCode("");
    setAnnouncement(t("arrivalRecorded", { count: shown.current.arrivals + 1 }));
    record(visit, details.services ?? []);
  }

  function recordUse(service: DoorService) {
    if (!centreId) return;
    const key = crypto.randomUUID();
    const count = (shown.current.uses.get(service.serviceId) ?? service.uses) + 1;
    setAnnouncement(cardT("useRecorded", { name: service.name, count }));
    record(
      {
        kind: "use",
        idempotencyKey: key,
        centreId,
        serviceId: service.serviceId,
        usedAt: new Date().toISOString(),
      },
      [service.serviceId],
    );
  }

  if (!centreId) return <p>{t("noCentre")}</p>;
  const general =
    problem && !(problem.errors ?? []).some((error) => error.path.length > 0)
      ? (problem.detail ?? problem.title)
      : problem && problem.status !== 422
        ? (problem.detail ?? problem.title)
        : null;
  return (
    <section class="door" aria-labelledby="door-title">
      <h1 id="door-title">{t("doorTitle")}</h1>
      <p class={online ? "status online" : "status offline"} role="status">
        {online ? t("online") : t("offline")}
      </p>
      <dl class="counts">
        <div>
          <dt>{t("todayArrivals")}</dt>
          <dd id="today-count">{counts.arrivals}</dd>
        </div>
        <div>
          <dt>{t("pending")}</dt>
          <dd id="pending-count">{queued.length}</dd>
        </div>
      </dl>
      {today?.capacity != null && (
        <p>
          {t("capacity", {
            remaining: Math.max(0, today.capacity - counts.arrivals),
            capacity: today.capacity,
          })}
        </p>
      )}
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
          setUndoable(lastUndoable(Date.now()));
          void refresh();
        }}
        refreshUndoable={() => setUndoable(lastUndoable(Date.now()))}
      />
      <p class="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {general && (
        <p class="error" role="alert">
          {problem?.status === 401 ? t("sessionExpired") : t("rejected", { detail: general })}
        </p>
      )}
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
