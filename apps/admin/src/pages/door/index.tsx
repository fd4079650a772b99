import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, dataOrThrow, fieldError, type Problem, type Schemas } from "../../api.js";
import { enqueueVisit, type QueuedVisit, queuedVisits } from "../../door-queue.js";
import { type SyncOutcome, syncQueuedVisits } from "../../door-sync.js";
import { doorCardTranslator } from "../../i18n/pages/door.js";
import type { StaffPageProps } from "../../staff-page.js";

type DoorToday = Schemas["DoorToday"];

interface Details {
  ageBand?: QueuedVisit["ageBand"];
  gender?: QueuedVisit["gender"];
  language?: string;
  firstVisit?: boolean;
  /** Ids of the services chosen for this arrival. */
  services?: string[];
}

const AGE_BANDS = ["0-4", "5-11", "12-17", "18-59", "60+"] as const;
const GENDERS = [
  ["female", "genderFemale"],
  ["male", "genderMale"],
  ["other", "genderOther"],
] as const;
// Language codes as the API stores them (ISO 639; `prs` is Dari), shown by their own names.
const LANGUAGES = [
  ["fr", "Français"],
  ["en", "English"],
  ["ar", "العربية"],
  ["prs", "دری"],
  ["ps", "پښتو"],
  ["ti", "ትግርኛ"],
] as const;
const SYNC_EVERY_MS = 20_000;
const ONLINE_CHECK_MS = 2_000;

export function DoorPage({ t, locale, session, onSignedOut }: StaffPageProps) {
  const cardT = doorCardTranslator(locale);
  const [centreId, setCentreId] = useState<string | null>(session.user.centreId);
  const [today, setToday] = useState<DoorToday | null>(null);
  const [pending, setPending] = useState(0);
  const [online, setOnline] = useState(navigator.onLine);
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

  const refresh = useCallback(async () => {
    const queued = (await queuedVisits()).length;
    if (navigator.onLine && centreId) {
      try {
        const counts = await dataOrThrow(api.GET("/api/visits/today", { params: { query: { centreId } } }));
        setToday(counts);
      } catch (error) {
        if (error instanceof ApiError && error.problem.status === 401) onSignedOut();
      }
    }
    setPending(queued);
  }, [centreId, onSignedOut]);

  const retries = useRef(0);
  const sync = useCallback(async (): Promise<void> => {
    const outcome: SyncOutcome = await syncQueuedVisits();
    // The first requests after the network returns often fail while the browser already says "online":
    // retry soon (1 s, 2 s, 4 s … up to the regular period) rather than wait for the next round.
    if (outcome.kind === "offline" && navigator.onLine) {
      const delay = Math.min(1000 * 2 ** retries.current, SYNC_EVERY_MS);
      retries.current += 1;
      setTimeout(() => void syncAgain.current(), delay);
    } else {
      retries.current = 0;
    }
    if (outcome.kind === "refused") {
      setProblem(outcome.problem);
      if (outcome.problem.status === 401) setAnnouncement(t("sessionExpired"));
    } else if (outcome.kind === "sent") {
      setProblem(null);
    }
    await refresh();
  }, [refresh, t]);
  const syncAgain = useRef(sync);
  syncAgain.current = sync;

  useEffect(() => {
    void sync();
    const goOnline = () => {
      setOnline(true);
      void sync();
    };
    const goOffline = () => setOnline(false);
    addEventListener("online", goOnline);
    addEventListener("offline", goOffline);
    const timer = setInterval(() => void sync(), SYNC_EVERY_MS);
    // Some browsers miss the `online` event (a page restored by the service worker, a tablet waking up):
    // a cheap look at navigator.onLine catches the return of the network within seconds.
    let wasOnline = navigator.onLine;
    const watcher = setInterval(() => {
      if (navigator.onLine === wasOnline) return;
      wasOnline = navigator.onLine;
      if (wasOnline) goOnline();
      else goOffline();
    }, ONLINE_CHECK_MS);
    return () => {
      removeEventListener("online", goOnline);
      removeEventListener("offline", goOffline);
      clearInterval(timer);
      clearInterval(watcher);
    };
  }, [sync]);

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
      <div class="card-code">
        <label for="card-code">{cardT("cardCode")}</label>
        <input
          id="card-code"
          type="text"
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          maxLength={64}
          value={cardCode}
          aria-describedby={
            fieldError(problem, "visitorCode") ? "card-code-hint card-code-error" : "card-code-hint"
          }
          aria-invalid={fieldError(problem, "visitorCode") ? true : undefined}
          onInput={(event) => setCardCode((event.target as HTMLInputElement).value)}
          onKeyDown={(event) => {
            if (event.key !== "Enter") return;
            event.preventDefault();
            recordArrival();
          }}
        />
        <p id="card-code-hint" class="hint">
          {cardT("cardCodeHint")}
        </p>
        {fieldError(problem, "visitorCode") && (
          <p id="card-code-error" class="error">
            {fieldError(problem, "visitorCode")}
          </p>
        )}
      </div>
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
      <fieldset class="chips">
        <legend>{t("optionalDetails")}</legend>
        <ChipGroup
          label={t("ageBand")}
          field="ageBand"
          problem={problem}
          options={AGE_BANDS.map((band) => [band, band])}
          value={details.ageBand}
          onChange={(ageBand) => setDetails({ ...details, ageBand })}
        />
        <ChipGroup
          label={t("gender")}
          field="gender"
          problem={problem}
          options={GENDERS.map(([value, key]) => [value, t(key)])}
          value={details.gender}
          onChange={(gender) => setDetails({ ...details, gender })}
        />
        <ChipGroup
          label={t("spokenLanguage")}
          field="languages"
          problem={problem}
          options={LANGUAGES.map(([code, name]) => [code, name])}
          value={details.language}
          onChange={(language) => setDetails({ ...details, language })}
        />
        <div class="chip-row">
          <button
            type="button"
            class="chip"
            aria-pressed={details.firstVisit === true}
            onClick={() => setDetails({ ...details, firstVisit: !details.firstVisit })}
          >
            {t("firstVisit")}
          </button>
          {fieldError(problem, "firstVisit") && <p class="error">{fieldError(problem, "firstVisit")}</p>}
        </div>
      </fieldset>
      {today && today.services.length > 0 && (
        <section aria-labelledby="services-title">
          <h2 id="services-title">{t("services")}</h2>
          <p class="hint">{cardT("servicesHint")}</p>
          <div class="chip-row">
            {today.services.map((service) => {
              const chosen = details.services?.includes(service.serviceId) === true;
              const values = { name: service.name, uses: service.uses, remaining: service.remaining ?? 0 };
              return (
                <button
                  key={service.serviceId}
                  type="button"
                  class="chip service-chip"
                  aria-pressed={chosen}
                  onClick={() =>
                    setDetails({
                      ...details,
                      services: chosen
                        ? (details.services ?? []).filter((id) => id !== service.serviceId)
                        : [...(details.services ?? []), service.serviceId],
                    })
                  }
                >
                  {cardT(service.remaining == null ? "serviceChip" : "serviceChipRemaining", values)}
                </button>
              );
            })}
          </div>
          {fieldError(problem, "uses") && <p class="error">{fieldError(problem, "uses")}</p>}
        </section>
      )}
    </section>
  );
}

function ChipGroup<V extends string>(props: {
  label: string;
  field: string;
  problem: Problem | null;
  options: Array<readonly [V, string]>;
  value: V | undefined;
  onChange: (value: V | undefined) => void;
}) {
  const error = fieldError(props.problem, props.field);
  const id = `chips-${props.field}`;
  return (
    <fieldset class="chip-row" aria-describedby={error ? `${id}-error` : undefined}>
      <legend id={id} class="chip-label">
        {props.label}
      </legend>
      {props.options.map(([value, label]) => (
        <button
          key={value}
          type="button"
          class="chip"
          aria-pressed={props.value === value}
          onClick={() => props.onChange(props.value === value ? undefined : value)}
        >
          {label}
        </button>
      ))}
      {error && (
        <p id={`${id}-error`} class="error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
