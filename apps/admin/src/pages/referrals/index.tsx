import {
  AgeBand,
  allowedTransitions,
  ConsentMethod,
  type ConsentScope,
  FailureReason,
  Gender,
  type ReferralActor,
  ReferralNeed,
  ReferralStatus,
  RejectionReason,
  roleCan,
} from "@halte/core";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, dataOrThrow, type Problem, type Schemas } from "../../api.js";
import {
  errorAt,
  errorUnder,
  Field,
  FormActions,
  formatInstant,
  generalError,
  useCentreId,
} from "../../components/form.js";
import { type ReferralsT, referralsTranslator } from "../../i18n/pages/referrals.js";
import { navigate, useLocation } from "../../router.js";
import type { StaffPageProps } from "../../staff-page.js";
import { ReferralPrivacyActions } from "./privacy-actions.js";

/** A referral as the API returns it: `contact` is null for callers who may not read it. */
type ReferralRecord = Schemas["Referral"];
type ReferralHistoryEntry = Schemas["ReferralHistoryEntry"];
type Named = Pick<Schemas["Partner"], "id" | "name">;
type ServiceRef = Pick<Schemas["Service"], "id" | "name" | "organizationId">;

const NEEDS = ReferralNeed.options;
const STATUSES = ReferralStatus.options;
const METHODS = ConsentMethod.options;
const AGE_BANDS = AgeBand.options;
const GENDERS = Gender.options;
// The reasons a status needs.
const REASONS: Partial<Record<ReferralStatus, readonly string[]>> = {
  rejected: RejectionReason.options,
  failed: FailureReason.options,
};

function problemOf(t: ReferralsT, error: unknown): Problem {
  return error instanceof ApiError ? error.problem : { title: t("networkError"), status: 0 };
}

export function ReferralsPage({ locale, session, onSignedOut }: StaffPageProps) {
  // The shell passes a new callback on each render: kept in a ref so it does not re-trigger the loads.
  const signedOut = useRef(onSignedOut);
  signedOut.current = onSignedOut;
  const t = referralsTranslator(locale);
  const url = useLocation();
  const centreId = useCentreId(session);
  const [partners, setPartners] = useState<Named[]>([]);
  const [services, setServices] = useState<ServiceRef[]>([]);
  const [creating, setCreating] = useState(false);
  const selected = url.searchParams.get("id");

  useEffect(() => {
    if (!centreId) return;
    dataOrThrow(
      api.GET("/api/partners", { params: { query: { centreId, limit: 200, includeArchived: "true" } } }),
    )
      .then((page) => setPartners(page.items))
      .catch((error) => error instanceof ApiError && error.problem.status === 401 && signedOut.current());
    dataOrThrow(api.GET("/api/services", { params: { query: { centreId, limit: 200 } } }))
      .then((page) => setServices(page.items))
      .catch(() => undefined);
  }, [centreId]);

  if (!centreId) return <p>{t("noCentre")}</p>;
  const partnerName = (id: string) => partners.find((partner) => partner.id === id)?.name ?? id;
  if (selected) {
    return (
      <ReferralDetail
        t={t}
        locale={locale}
        id={selected}
        actor={
          roleCan(session.user.role, "referrals:update")
            ? "centre"
            : roleCan(session.user.role, "referrals:respond")
              ? "partner"
              : null
        }
        partnerName={partnerName}
        serviceName={(id) => services.find((service) => service.id === id)?.name ?? id}
      />
    );
  }
  if (creating) {
    return (
      <ReferralCreator
        t={t}
        centreId={centreId}
        partners={partners}
        services={services}
        onCancel={() => setCreating(false)}
        onCreated={(referral) => {
          setCreating(false);
          navigate(`/referrals?id=${referral.id}`);
        }}
      />
    );
  }
  return (
    <ReferralList
      t={t}
      locale={locale}
      centreId={centreId}
      partners={partners}
      partnerName={partnerName}
      canCreate={roleCan(session.user.role, "referrals:create")}
      onCreate={() => setCreating(true)}
    />
  );
}

function ReferralList(props: {
  t: ReferralsT;
  locale: string;
  centreId: string;
  partners: Named[];
  partnerName: (id: string) => string;
  canCreate: boolean;
  onCreate: () => void;
}) {
  const { t } = props;
  const [filters, setFilters] = useState({ need: "", partnerId: "", status: "" });
  const [referrals, setReferrals] = useState<ReferralRecord[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  const load = useCallback(async () => {
    // The selects offer only the document's values.
    const query = {
      centreId: props.centreId,
      limit: 100,
      ...(filters.need ? { need: filters.need as ReferralRecord["need"] } : {}),
      ...(filters.partnerId ? { partnerId: filters.partnerId } : {}),
      ...(filters.status ? { status: filters.status as ReferralRecord["status"] } : {}),
    };
    try {
      setReferrals((await dataOrThrow(api.GET("/api/referrals", { params: { query } }))).items);
      setProblem(null);
    } catch (error) {
      setProblem(problemOf(t, error));
    }
  }, [props.centreId, filters]);
  useEffect(() => {
    void load();
  }, [load]);

  const filter = (key: keyof typeof filters, label: string, options: Array<[string, string]>) => (
    <Field id={`filter-${key}`} label={label} error={errorAt(problem, "query", key)}>
      {(a11y) => (
        <select
          {...a11y}
          value={filters[key]}
          onChange={(e) => setFilters({ ...filters, [key]: (e.target as HTMLSelectElement).value })}
        >
          <option value="">{t("any")}</option>
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  return (
    <section class="staff-page" aria-labelledby="referrals-title">
      <h1 id="referrals-title">{t("title")}</h1>
      {props.canCreate && (
        <div class="toolbar">
          <button type="button" class="primary" onClick={props.onCreate}>
            {t("newReferral")}
          </button>
        </div>
      )}
      <fieldset class="filters">
        <legend>{t("filters")}</legend>
        {filter(
          "need",
          t("need"),
          NEEDS.map((need) => [need, t(`need_${need}`)]),
        )}
        {filter(
          "partnerId",
          t("partner"),
          props.partners.map((partner) => [partner.id, partner.name]),
        )}
        {filter(
          "status",
          t("status"),
          STATUSES.map((status) => [status, t(`status_${status}`)]),
        )}
      </fieldset>
      {problem && (
        <p class="error" role="alert">
          {problem.detail ?? problem.title}
        </p>
      )}
      {referrals === null ? (
        <p class="loading">{t("loading")}</p>
      ) : referrals.length === 0 ? (
        <p>{t("noReferrals")}</p>
      ) : (
        <div class="table-scroll">
          <table class="referrals">
            <caption class="visually-hidden">{t("title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("created")}</th>
                <th scope="col">{t("need")}</th>
                <th scope="col">{t("partner")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col">
                  <span class="visually-hidden">{t("open")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {referrals.map((referral) => (
                <tr key={referral.id}>
                  <td>{formatInstant(props.locale, referral.createdAt)}</td>
                  <td>{t(`need_${referral.need}`)}</td>
                  <td>{props.partnerName(referral.partnerId)}</td>
                  <td>{t(`status_${referral.status}`)}</td>
                  <td>
                    <a
                      href={`/referrals?id=${referral.id}`}
                      onClick={(event) => {
                        event.preventDefault();
                        navigate(`/referrals?id=${referral.id}`);
                      }}
                      aria-label={t("openOf", {
                        need: t(`need_${referral.need}`),
                        partner: props.partnerName(referral.partnerId),
                      })}
                    >
                      {t("open")}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

interface ConsentForm {
  scopes: ConsentScope[];
  method: ConsentMethod;
  language: string;
  givenAt: string;
}

function ReferralCreator(props: {
  t: ReferralsT;
  centreId: string;
  partners: Named[];
  services: ServiceRef[];
  onCancel: () => void;
  onCreated: (referral: ReferralRecord) => void;
}) {
  const { t } = props;
  const [consent, setConsent] = useState<ConsentForm>({
    scopes: [],
    method: "verbal",
    language: "",
    givenAt: "",
  });
  const [step, setStep] = useState<"consent" | "form">("consent");
  const [consentError, setConsentError] = useState<string | null>(null);
  const [form, setForm] = useState({
    // Chosen on purpose, never defaulted: a referral (and maybe a contact) must not go to the wrong partner.
    partnerId: "",
    serviceId: "",
    need: "accommodation" as ReferralRecord["need"],
    note: "",
    name: "",
    phone: "",
    email: "",
    preferredLanguage: "",
    ageBand: "" as NonNullable<ReferralRecord["ageBand"]> | "",
    gender: "" as NonNullable<ReferralRecord["gender"]> | "",
    send: true,
  });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [step]);
  const set = (patch: Partial<typeof form>) => setForm({ ...form, ...patch });
  const mayStoreContact = consent.scopes.includes("store_contact");

  function toggleScope(scope: ConsentScope, on: boolean) {
    setConsent({
      ...consent,
      scopes: on ? [...consent.scopes, scope] : consent.scopes.filter((s) => s !== scope),
    });
  }

  if (step === "consent") {
    return (
      <form
        class="staff-page record-form"
        aria-labelledby="consent-title"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (consent.scopes.length === 0) {
            setConsentError(t("consentNeedsScope"));
            return;
          }
          setConsentError(null);
          setConsent({ ...consent, givenAt: new Date().toISOString() });
          setStep("form");
        }}
      >
        <h1 id="consent-title" tabIndex={-1} ref={heading}>
          {t("consentTitle")}
        </h1>
        <p>{t("consentIntro")}</p>
        <fieldset class="group" aria-describedby={consentError ? "consent-scopes-error" : undefined}>
          <legend>{t("consentScopes")}</legend>
          {(
            [
              ["store_contact", t("consentStore")],
              ["share_with_partner", t("consentShare")],
            ] as const
          ).map(([scope, label]) => (
            <label key={scope} class="inline">
              <input
                type="checkbox"
                checked={consent.scopes.includes(scope)}
                onChange={(e) => toggleScope(scope, (e.target as HTMLInputElement).checked)}
              />{" "}
              {label}
            </label>
          ))}
          <p class="hint">{t("consentRetention")}</p>
          {consentError && (
            <p id="consent-scopes-error" class="error" role="alert">
              {consentError}
            </p>
          )}
        </fieldset>
        <fieldset class="group">
          <legend>{t("consentMethod")}</legend>
          {METHODS.map((method) => (
            <label key={method} class="inline">
              <input
                type="radio"
                name="consent-method"
                value={method}
                checked={consent.method === method}
                onChange={() => setConsent({ ...consent, method })}
              />{" "}
              {t(`method_${method}`)}
            </label>
          ))}
        </fieldset>
        <Field id="consent-language" label={t("consentLanguage")}>
          {(a11y) => (
            <input
              {...a11y}
              class="short"
              value={consent.language}
              onInput={(e) => setConsent({ ...consent, language: (e.target as HTMLInputElement).value })}
            />
          )}
        </Field>
        <FormActions submit={t("consentGiven")} cancel={t("cancel")} onCancel={props.onCancel} />
      </form>
    );
  }

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const trimmed = (value: string) => value.trim();
    const contact = {
      ...(trimmed(form.name) ? { name: trimmed(form.name) } : {}),
      ...(trimmed(form.phone) ? { phone: trimmed(form.phone) } : {}),
      ...(trimmed(form.email) ? { email: trimmed(form.email) } : {}),
      ...(trimmed(form.preferredLanguage) ? { preferredLanguage: trimmed(form.preferredLanguage) } : {}),
    };
    const body = {
      centreId: props.centreId,
      partnerId: form.partnerId,
      ...(form.serviceId ? { serviceId: form.serviceId } : {}),
      need: form.need,
      ...(trimmed(form.note) ? { note: trimmed(form.note) } : {}),
      ...(mayStoreContact && Object.keys(contact).length > 0 ? { contact } : {}),
      consent: {
        givenAt: consent.givenAt,
        method: consent.method,
        scopes: consent.scopes,
        ...(trimmed(consent.language) ? { language: trimmed(consent.language) } : {}),
      },
      ...(form.ageBand ? { ageBand: form.ageBand } : {}),
      ...(form.gender ? { gender: form.gender } : {}),
      send: form.send,
    };
    try {
      props.onCreated(await dataOrThrow(api.POST("/api/referrals", { body })));
    } catch (error) {
      setProblem(problemOf(t, error));
    } finally {
      setBusy(false);
    }
  }

  const shown = (path: string) =>
    ["partnerId", "serviceId", "need", "note", "ageBand", "gender"].includes(path) ||
    path.startsWith("contact.");
  const general = generalError(problem, shown);
  const partnerServices = props.services.filter((service) => service.organizationId === form.partnerId);
  const select = (
    key: "partnerId" | "serviceId" | "need" | "ageBand" | "gender",
    label: string,
    options: Array<[string, string]>,
  ) => (
    <Field id={`referral-${key}`} label={label} error={errorAt(problem, key)}>
      {(a11y) => (
        <select
          {...a11y}
          value={form[key]}
          onChange={(e) =>
            set({
              [key]: (e.target as HTMLSelectElement).value,
              ...(key === "partnerId" ? { serviceId: "" } : {}),
            })
          }
        >
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  const contactInput = (key: "name" | "phone" | "email" | "preferredLanguage", label: string) => (
    <Field id={`contact-${key}`} label={label} error={errorAt(problem, "contact", key) ?? undefined}>
      {(a11y) => (
        <input
          {...a11y}
          inputMode={key === "phone" ? "tel" : key === "email" ? "email" : "text"}
          autocomplete="off"
          value={form[key]}
          onInput={(e) => set({ [key]: (e.target as HTMLInputElement).value })}
        />
      )}
    </Field>
  );

  return (
    <form class="staff-page record-form" onSubmit={submit} noValidate aria-labelledby="referral-form-title">
      <h1 id="referral-form-title" tabIndex={-1} ref={heading}>
        {t("formTitle")}
      </h1>
      <p class="notice">
        {t("consentSummary", {
          scopes: consent.scopes
            .map((s) => (s === "store_contact" ? t("consentStore") : t("consentShare")))
            .join(" "),
          method: t(`method_${consent.method}`),
        })}
      </p>
      {problem && (
        <p class="error" role="alert">
          {general ?? t("fixErrors")}
        </p>
      )}
      {errorUnder(problem, "consent") && <p class="error">{errorUnder(problem, "consent")}</p>}
      {select("partnerId", t("partner"), [
        ["", t("choosePartner")],
        ...props.partners.map((partner): [string, string] => [partner.id, partner.name]),
      ])}
      {select("serviceId", t("service"), [
        ["", t("noService")],
        ...partnerServices.map((service): [string, string] => [service.id, service.name]),
      ])}
      {select(
        "need",
        t("need"),
        NEEDS.map((need) => [need, t(`need_${need}`)]),
      )}
      <Field id="referral-note" label={t("note")} error={errorAt(problem, "note")}>
        {(a11y) => (
          <textarea
            {...a11y}
            rows={3}
            value={form.note}
            onInput={(e) => set({ note: (e.target as HTMLTextAreaElement).value })}
          />
        )}
      </Field>
      <fieldset class="group">
        <legend>{t("contact")}</legend>
        {mayStoreContact ? (
          <>
            {errorAt(problem, "contact") && <p class="error">{errorAt(problem, "contact")}</p>}
            {contactInput("name", t("contactName"))}
            {contactInput("phone", t("contactPhone"))}
            {contactInput("email", t("contactEmail"))}
            {contactInput("preferredLanguage", t("contactLanguage"))}
          </>
        ) : (
          <p>{t("contactNotAllowed")}</p>
        )}
      </fieldset>
      {select("ageBand", t("ageBand"), [
        ["", t("unknown")],
        ...AGE_BANDS.map((band): [string, string] => [band, band]),
      ])}
      {select("gender", t("gender"), [
        ["", t("unknown")],
        ...GENDERS.map((gender): [string, string] => [gender, t(`gender_${gender}`)]),
      ])}
      <label class="inline">
        <input
          type="checkbox"
          checked={form.send}
          onChange={(e) => set({ send: (e.target as HTMLInputElement).checked })}
        />{" "}
        {t("send")}
      </label>
      <FormActions
        submit={busy ? t("saving") : t("create")}
        cancel={t("cancel")}
        busy={busy}
        onCancel={props.onCancel}
      />
    </form>
  );
}

function ReferralDetail(props: {
  t: ReferralsT;
  locale: string;
  id: string;
  actor: ReferralActor | null;
  partnerName: (id: string) => string;
  serviceName: (id: string) => string;
}) {
  const { t, locale } = props;
  const [referral, setReferral] = useState<ReferralRecord | null>(null);
  const [history, setHistory] = useState<ReferralHistoryEntry[]>([]);
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);
  const [target, setTarget] = useState<ReferralStatus | "">("");
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);

  const load = useCallback(async () => {
    try {
      const [found, changes] = await Promise.all([
        dataOrThrow(api.GET("/api/referrals/{referralId}", { params: { path: { referralId: props.id } } })),
        dataOrThrow(
          api.GET("/api/referrals/{referralId}/history", {
            params: { path: { referralId: props.id }, query: { limit: 200 } },
          }),
        ),
      ]);
      setReferral(found);
      setHistory(changes.items);
      setLoadProblem(null);
    } catch (error) {
      setLoadProblem(problemOf(t, error));
    }
  }, [props.id]);
  useEffect(() => {
    void load().then(() => heading.current?.focus());
  }, [load]);

  const back = (
    <p>
      <a
        href="/referrals"
        onClick={(event) => {
          event.preventDefault();
          navigate("/referrals");
        }}
      >
        {t("back")}
      </a>
    </p>
  );
  if (loadProblem) {
    return (
      <section class="staff-page">
        {back}
        <p class="error" role="alert">
          {loadProblem.detail ?? loadProblem.title}
        </p>
      </section>
    );
  }
  if (!referral) return <p class="loading">{t("loading")}</p>;

  const moves = props.actor ? allowedTransitions(referral.status, props.actor) : [];
  const reasons = target ? REASONS[target] : undefined;
  async function change(event: Event) {
    event.preventDefault();
    if (!referral || !target) return;
    setProblem(null);
    try {
      const changed = await dataOrThrow(
        api.POST("/api/referrals/{referralId}/status", {
          params: { path: { referralId: referral.id } },
          body: {
            status: target,
            ...(reason ? { reason: reason as NonNullable<ReferralRecord["statusReason"]> } : {}),
            ...(note.trim() ? { note: note.trim() } : {}),
          },
        }),
      );
      setAnnouncement(t("statusChanged", { status: t(`status_${changed.status}`) }));
      setTarget("");
      setReason("");
      setNote("");
      await load();
    } catch (error) {
      setProblem(problemOf(t, error));
    }
  }
  const reasonText = (code: string | null) => (code ? t(`reason_${code}` as Parameters<ReferralsT>[0]) : "");

  return (
    <section class="staff-page" aria-labelledby="referral-title">
      {back}
      <h1 id="referral-title" tabIndex={-1} ref={heading}>
        {t("detailTitle", { need: t(`need_${referral.need}`) })}
      </h1>
      <p class="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <p>
        <span class="badge referral-status" id="referral-status">
          {t(`status_${referral.status}`)}
        </span>
      </p>
      <h2>{t("details")}</h2>
      <dl class="facts">
        <dt>{t("partner")}</dt>
        <dd>{props.partnerName(referral.partnerId)}</dd>
        {referral.serviceId && (
          <>
            <dt>{t("service")}</dt>
            <dd>{props.serviceName(referral.serviceId)}</dd>
          </>
        )}
        {referral.note && (
          <>
            <dt>{t("note")}</dt>
            <dd>{referral.note}</dd>
          </>
        )}
        <dt>{t("created")}</dt>
        <dd>{formatInstant(locale, referral.createdAt)}</dd>
        {referral.requestedAt && (
          <>
            <dt>{t("requestedAt")}</dt>
            <dd>{formatInstant(locale, referral.requestedAt)}</dd>
          </>
        )}
        {referral.closedAt && (
          <>
            <dt>{t("closedAt")}</dt>
            <dd>{formatInstant(locale, referral.closedAt)}</dd>
          </>
        )}
        {referral.partnerReference && (
          <>
            <dt>{t("partnerReference")}</dt>
            <dd>{referral.partnerReference}</dd>
          </>
        )}
        <dt>{t("ageBand")}</dt>
        <dd>{referral.ageBand ?? t("unknown")}</dd>
        <dt>{t("gender")}</dt>
        <dd>{referral.gender ? t(`gender_${referral.gender}`) : t("unknown")}</dd>
        <dt>{t("contactShown")}</dt>
        <dd>
          {referral.contact
            ? [
                referral.contact.name,
                referral.contact.phone,
                referral.contact.email,
                referral.contact.preferredLanguage,
              ]
                .filter(Boolean)
                .join(" · ")
            : referral.hasContact
              ? t("contactHidden")
              : t("noContact")}
        </dd>
      </dl>

      <h2 id="timeline-title">{t("timeline")}</h2>
      <ol class="timeline" aria-labelledby="timeline-title">
        <li>
          <strong>{t("timelineCreated")}</strong> · {formatInstant(locale, referral.createdAt)}
        </li>
        {history.map((entry) => (
          <li key={`${entry.at}-${entry.event ?? ""}-${entry.to}`}>
            <strong>
              {entry.event === "consent_withdrawn"
                ? t("timelineConsentWithdrawn")
                : entry.event === "erased"
                  ? t("timelineErased")
                  : t("timelineEntry", { from: t(`status_${entry.from}`), to: t(`status_${entry.to}`) })}
            </strong>{" "}
            · {t(`actor_${entry.actor}`)} · {formatInstant(locale, entry.at)}
            {entry.reason && ` · ${t("reason")} : ${reasonText(entry.reason)}`}
            {entry.note && <p class="hint">{entry.note}</p>}
          </li>
        ))}
      </ol>

      {props.actor === "centre" && (
        <ReferralPrivacyActions
          t={t}
          referral={referral}
          hasLiveConsent={
            referral.consentId !== null && !history.some((entry) => entry.event === "consent_withdrawn")
          }
          onDone={async (done) => {
            setAnnouncement(done);
            await load();
          }}
        />
      )}

      {props.actor && (
        <form class="record-form" onSubmit={change} noValidate aria-labelledby="change-title">
          <h2 id="change-title">{t("changeStatus")}</h2>
          {moves.length === 0 ? (
            <p>{t("noMoves")}</p>
          ) : (
            <>
              {problem && !errorAt(problem, "reason") && !errorAt(problem, "note") && (
                <p class="error" role="alert">
                  {problem.detail ?? problem.title}
                </p>
              )}
              <fieldset class="group">
                <legend>{t("status")}</legend>
                {moves.map((status) => (
                  <label key={status} class="inline">
                    <input
                      type="radio"
                      name="target-status"
                      value={status}
                      checked={target === status}
                      onChange={() => {
                        setTarget(status);
                        setReason("");
                      }}
                    />{" "}
                    {t(`status_${status}`)}
                  </label>
                ))}
              </fieldset>
              {reasons && (
                <Field id="status-reason" label={t("statusReason")} error={errorAt(problem, "reason")}>
                  {(a11y) => (
                    <select
                      {...a11y}
                      value={reason}
                      onChange={(e) => setReason((e.target as HTMLSelectElement).value)}
                    >
                      <option value="">—</option>
                      {reasons.map((code) => (
                        <option key={code} value={code}>
                          {reasonText(code)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              )}
              <Field id="status-note" label={t("statusNote")} error={errorAt(problem, "note")}>
                {(a11y) => (
                  <textarea
                    {...a11y}
                    rows={2}
                    value={note}
                    onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
                  />
                )}
              </Field>
              <button type="submit" class="primary" disabled={!target}>
                {target ? t("moveTo", { status: t(`status_${target}`) }) : t("changeStatus")}
              </button>
            </>
          )}
        </form>
      )}
    </section>
  );
}
