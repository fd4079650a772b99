import { useEffect, useRef, useState } from "preact/hooks";
import { api, dataOrThrow, type Problem } from "../../api.js";
import { enqueueVisit, type QueuedVisit } from "../../door-queue.js";
import { doorCardTranslator } from "../../i18n/pages/door.js";
import type { StaffPageProps } from "../../staff-page.js";
import { CardCodeField } from "./card-code.js";
import { DetailChips, type Details, ServiceChips } from "./chips.js";
import { useDoorQueue } from "./use-door-queue.js";

export function DoorPage({ t, locale, session, onSignedOut }: StaffPageProps) {
  const cardT = doorCardTranslator(locale);
  const [centreId, setCentreId] = useState<string | null>(session.user.centreId);
  const [details, setDetails] = useState<Details>({});
  // The visitor card code goes with one tap only: cleared at once, never listed (the API keeps only a keyed hash).
  const [cardCode, setCardCode] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const shown = useRef({ today: 0, pending: 0 });

  // An admin of every centre records at the first centre the API lists.
  useEffect(() => {
    if (centreId) return;
    dataOrThrow(api.GET("/api/centres", { params: { query: { limit: 1 } } }))
      .then((page) => setCentreId(page.items[0]?.id ?? null))
      .catch(() => undefined);
  }, [centreId]);

  const { today, pending, setPending, online, sync, refresh } = useDoorQueue({
    t,
    centreId,
    onSignedOut,
    setProblem,
    setAnnouncement,
  });
  const arrivals = (today?.visits ?? 0) + pending;
  shown.current = { today: today?.visits ?? 0, pending };

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
    // Optimistic: the count moves in this frame; the durable write and the send follow.
    setPending((count) => count + 1);
    setDetails({});
    setCardCode("");
    setAnnouncement(t("arrivalRecorded", { count: shown.current.today + shown.current.pending + 1 }));
    void enqueueVisit(visit).then(() => (navigator.onLine ? sync() : refresh()));
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
      <CardCodeField
        cardT={cardT}
        problem={problem}
        value={cardCode}
        onInput={setCardCode}
        onEnter={recordArrival}
      />
      <button type="button" class="tap" onClick={recordArrival}>
        {t("recordArrival")}
      </button>
      <p class="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      {general && (
        <p class="error" role="alert">
          {problem?.status === 401 ? t("sessionExpired") : t("rejected", { detail: general })}
        </p>
      )}
      <dl class="counts">
        <div>
          <dt>{t("todayArrivals")}</dt>
          <dd id="today-count">{arrivals}</dd>
        </div>
        <div>
          <dt>{t("pending")}</dt>
          <dd id="pending-count">{pending}</dd>
        </div>
      </dl>
      {today?.capacity != null && today.remaining != null && (
        <p>
          {t("capacity", { remaining: Math.max(0, today.remaining - pending), capacity: today.capacity })}
        </p>
      )}
      <DetailChips t={t} problem={problem} details={details} setDetails={setDetails} />
      {today && today.services.length > 0 && (
        <ServiceChips
          t={t}
          cardT={cardT}
          problem={problem}
          services={today.services}
          details={details}
          setDetails={setDetails}
        />
      )}
    </section>
  );
}
