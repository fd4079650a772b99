// One partner's integration: webhook endpoints and their delivery log, webhook signing secrets, API tokens.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, dataOrThrow, type Problem, type Schemas } from "../../../api.js";
import { errorAt, Field, formatInstant } from "../../../components/form.js";
import type { PartnersT } from "../../../i18n/pages/partners.js";

type Partner = Schemas["Partner"];
type Endpoint = Schemas["WebhookEndpoint"];
type Delivery = Schemas["WebhookDelivery"];
type Secret = Schemas["WebhookSecret"];
type Token = Schemas["ApiToken"];

type Props = { t: PartnersT; locale: string };

function messageOf(t: PartnersT, error: unknown): Problem {
  return error instanceof ApiError ? error.problem : { title: t("networkError"), status: 0 };
}

export function PartnerIntegration(props: Props & { partner: Partner; onBack: () => void }) {
  const { t, partner } = props;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section class="staff-page" aria-labelledby="partner-title">
      <p>
        <button type="button" class="link" onClick={props.onBack}>
          {t("back")}
        </button>
      </p>
      <h1 id="partner-title" tabIndex={-1} ref={heading}>
        {partner.name}
      </h1>
      <Endpoints t={t} locale={props.locale} partnerId={partner.id} />
      <Secrets t={t} locale={props.locale} partnerId={partner.id} />
      <Tokens t={t} locale={props.locale} partnerId={partner.id} />
    </section>
  );
}

/** A secret shown this once, with a copy button and the warning that it will not be shown again. */
function ShownOnce(props: { t: PartnersT; title: string; value: string; onDismiss: () => void }) {
  const { t } = props;
  const [copied, setCopied] = useState(false);
  return (
    <section class="shown-once" aria-label={props.title}>
      <h3>{props.title}</h3>
      <p class="warning">{t("shownOnce")}</p>
      <p>
        <code class="secret" data-secret>
          {props.value}
        </code>
      </p>
      <div class="actions">
        <button
          type="button"
          class="primary"
          onClick={() =>
            void navigator.clipboard
              ?.writeText(props.value)
              .then(() => setCopied(true))
              .catch(() => undefined)
          }
        >
          {copied ? t("copied") : t("copy")}
        </button>
        <button type="button" onClick={props.onDismiss}>
          {t("dismiss")}
        </button>
      </div>
      <p class="visually-hidden" aria-live="polite">
        {copied ? t("copied") : ""}
      </p>
    </section>
  );
}

/** A list `load`ed again when `key` changes or on `reload`. */
function useList<T>(
  key: string,
  load: () => Promise<{ items: T[] }>,
): [T[] | null, () => Promise<void>, Problem | null] {
  const loader = useRef(load);
  loader.current = load;
  const [items, setItems] = useState<T[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const reload = useCallback(async () => {
    try {
      setItems((await loader.current()).items);
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem : { title: "Error", status: 0 });
    }
  }, [key]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return [items, reload, problem];
}

function Endpoints({ t, locale, partnerId }: Props & { partnerId: string }) {
  const [endpoints, reload, loadProblem] = useList(partnerId, () =>
    dataOrThrow(
      api.GET("/api/partners/{partnerId}/webhook-endpoints", {
        params: { path: { partnerId }, query: { limit: 200 } },
      }),
    ),
  );
  const [url, setUrl] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  async function add(event: Event) {
    event.preventDefault();
    setProblem(null);
    try {
      await dataOrThrow(
        api.POST("/api/partners/{partnerId}/webhook-endpoints", {
          params: { path: { partnerId } },
          body: { url: url.trim() },
        }),
      );
      setUrl("");
      await reload();
    } catch (error) {
      setProblem(messageOf(t, error));
    }
  }
  async function disable(endpoint: Endpoint) {
    try {
      await dataOrThrow(
        api.POST("/api/webhook-endpoints/{endpointId}/disable", {
          params: { path: { endpointId: endpoint.id } },
        }),
      );
      await reload();
    } catch (error) {
      setProblem(messageOf(t, error));
    }
  }
  const urlError = errorAt(problem, "url");
  return (
    <section aria-labelledby="endpoints-title" class="panel">
      <h2 id="endpoints-title">{t("endpoints")}</h2>
      <p class="hint">{t("endpointsHint")}</p>
      {(loadProblem || (problem && !urlError)) && (
        <p class="error" role="alert">
          {(problem ?? loadProblem)?.detail ?? (problem ?? loadProblem)?.title}
        </p>
      )}
      {endpoints?.length === 0 && <p>{t("noEndpoints")}</p>}
      <ul class="records">
        {endpoints?.map((endpoint) => (
          <li key={endpoint.id} class="record">
            <p>
              <code>{endpoint.url}</code>
              {endpoint.disabledAt && (
                <span class="tag">
                  {" "}
                  {t("disabled", { reason: t(`reason_${endpoint.disabledReason ?? "manual"}`) })}
                </span>
              )}
            </p>
            <div class="actions">
              <button
                type="button"
                aria-expanded={open === endpoint.id}
                onClick={() => setOpen(open === endpoint.id ? null : endpoint.id)}
              >
                {open === endpoint.id ? t("hideDeliveries") : t("showDeliveries")}
              </button>
              {!endpoint.disabledAt && (
                <button type="button" onClick={() => void disable(endpoint)}>
                  {t("disableEndpoint")}
                </button>
              )}
            </div>
            {open === endpoint.id && <Deliveries t={t} locale={locale} endpointId={endpoint.id} />}
          </li>
        ))}
      </ul>
      <form class="inline-form" onSubmit={add} noValidate>
        <Field id={`endpoint-url-${partnerId}`} label={t("endpointUrl")} error={urlError}>
          {(a11y) => (
            <input
              {...a11y}
              type="url"
              placeholder="https://"
              value={url}
              onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
            />
          )}
        </Field>
        <button type="submit">{t("addEndpoint")}</button>
      </form>
    </section>
  );
}

function Deliveries({ t, locale, endpointId }: Props & { endpointId: string }) {
  const [deliveries, reload, loadProblem] = useList(endpointId, () =>
    dataOrThrow(
      api.GET("/api/webhook-endpoints/{endpointId}/deliveries", {
        params: { path: { endpointId }, query: { limit: 50 } },
      }),
    ),
  );
  const [notice, setNotice] = useState("");
  async function resend(delivery: Delivery) {
    try {
      await dataOrThrow(
        api.POST("/api/webhook-deliveries/{deliveryId}/resend", {
          params: { path: { deliveryId: delivery.id } },
        }),
      );
      setNotice(t("resent"));
      await reload();
    } catch (error) {
      const problem = messageOf(t, error);
      setNotice(problem.detail ?? problem.title);
    }
  }
  if (loadProblem) return <p class="error">{loadProblem.detail ?? loadProblem.title}</p>;
  if (!deliveries) return <p class="loading">{t("loading")}</p>;
  if (deliveries.length === 0) return <p>{t("noDeliveries")}</p>;
  return (
    <div class="deliveries">
      <p aria-live="polite">{notice}</p>
      {deliveries.map((delivery) => (
        <div key={delivery.id} class="delivery">
          <p>
            <strong>{delivery.eventType}</strong> · {t(`status_${delivery.status}`)} · {t("attempts")}{" "}
            {delivery.attempts} · {formatInstant(locale, delivery.createdAt)}{" "}
            <button type="button" onClick={() => void resend(delivery)}>
              {t("resend")}
            </button>
          </p>
          {delivery.log.length > 0 && (
            <div class="table-scroll">
              <table>
                <caption class="visually-hidden">{`${t("delivery")} ${delivery.id}`}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("attempt")}</th>
                    <th scope="col">{t("at")}</th>
                    <th scope="col">{t("responseStatus")}</th>
                    <th scope="col">{t("latency")}</th>
                    <th scope="col">{t("error")}</th>
                  </tr>
                </thead>
                <tbody>
                  {delivery.log.map((attempt) => (
                    <tr key={attempt.attempt}>
                      <td>{attempt.attempt}</td>
                      <td>{formatInstant(locale, attempt.at)}</td>
                      <td>{attempt.responseStatus ?? "—"}</td>
                      <td>{t("latencyMs", { n: attempt.latencyMs })}</td>
                      <td>{attempt.error ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ))}
    </div>
  );
}

function Secrets({ t, locale, partnerId }: Props & { partnerId: string }) {
  const [secrets, reload, loadProblem] = useList(partnerId, () =>
    dataOrThrow(
      api.GET("/api/partners/{partnerId}/webhook-secrets", {
        params: { path: { partnerId }, query: { limit: 200 } },
      }),
    ),
  );
  const [overlap, setOverlap] = useState("1440");
  const [shown, setShown] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const live = secrets?.filter((secret) => !secret.revokedAt) ?? [];

  async function create() {
    setProblem(null);
    try {
      const overlapMinutes = Number(overlap);
      const created = await dataOrThrow(
        api.POST("/api/partners/{partnerId}/webhook-secrets", {
          params: { path: { partnerId } },
          // Text that is not a number goes as typed, so the API's field error names it (hence the cast).
          body: {
            overlapMinutes: (Number.isFinite(overlapMinutes) && overlap.trim() !== ""
              ? overlapMinutes
              : overlap) as number,
          },
        }),
      );
      await reload();
      setShown(created.secret);
    } catch (error) {
      setProblem(messageOf(t, error));
    }
  }
  async function revoke(secret: Secret) {
    if (!confirm(t("revokeSecretConfirm"))) return;
    try {
      await dataOrThrow(
        api.POST("/api/webhook-secrets/{secretId}/revoke", { params: { path: { secretId: secret.id } } }),
      );
      await reload();
    } catch (error) {
      setProblem(messageOf(t, error));
    }
  }
  const overlapError = errorAt(problem, "overlapMinutes");
  return (
    <section aria-labelledby="secrets-title" class="panel">
      <h2 id="secrets-title">{t("secrets")}</h2>
      <p class="hint">{t("secretsHint")}</p>
      {(loadProblem || (problem && !overlapError)) && (
        <p class="error" role="alert">
          {(problem ?? loadProblem)?.detail ?? (problem ?? loadProblem)?.title}
        </p>
      )}
      {shown && <ShownOnce t={t} title={t("newSecret")} value={shown} onDismiss={() => setShown(null)} />}
      {secrets?.length === 0 && <p>{t("noSecrets")}</p>}
      <ul class="records">
        {secrets?.map((secret) => (
          <li key={secret.id} class="record">
            <p>
              {t("createdAt", { at: formatInstant(locale, secret.createdAt) })}
              {secret.expiresAt && ` · ${t("expiresAt", { at: formatInstant(locale, secret.expiresAt) })}`}
              {secret.revokedAt && ` · ${t("revokedAt", { at: formatInstant(locale, secret.revokedAt) })}`}
            </p>
            {!secret.revokedAt && (
              <button type="button" onClick={() => void revoke(secret)}>
                {t("revoke")}
              </button>
            )}
          </li>
        ))}
      </ul>
      <div class="inline-form">
        {live.length > 0 && (
          <Field id={`overlap-${partnerId}`} label={t("overlapMinutes")} error={overlapError}>
            {(a11y) => (
              <input
                {...a11y}
                class="short"
                inputMode="numeric"
                value={overlap}
                onInput={(e) => setOverlap((e.target as HTMLInputElement).value)}
              />
            )}
          </Field>
        )}
        <button type="button" onClick={() => void create()}>
          {live.length > 0 ? t("rotateSecret") : t("createSecret")}
        </button>
      </div>
    </section>
  );
}

function Tokens({ t, locale, partnerId }: Props & { partnerId: string }) {
  const [tokens, reload, loadProblem] = useList(partnerId, () =>
    dataOrThrow(
      api.GET("/api/partners/{partnerId}/tokens", { params: { path: { partnerId }, query: { limit: 200 } } }),
    ),
  );
  const [name, setName] = useState("");
  const [expires, setExpires] = useState("");
  const [shown, setShown] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function issue(event: Event) {
    event.preventDefault();
    setProblem(null);
    try {
      // A date picked in the form ends at the end of that day, on this device's clock.
      const expiresAt = expires ? new Date(`${expires}T23:59:59`).toISOString() : undefined;
      const created = await dataOrThrow(
        api.POST("/api/partners/{partnerId}/tokens", {
          params: { path: { partnerId } },
          body: { name, ...(expiresAt ? { expiresAt } : {}) },
        }),
      );
      setName("");
      setExpires("");
      await reload();
      setShown(created.token);
    } catch (error) {
      setProblem(messageOf(t, error));
    }
  }
  async function revoke(token: Token) {
    if (!confirm(t("revokeTokenConfirm"))) return;
    try {
      await dataOrThrow(
        api.POST("/api/tokens/{tokenId}/revoke", { params: { path: { tokenId: token.id } } }),
      );
      await reload();
    } catch (error) {
      setProblem(messageOf(t, error));
    }
  }
  const nameError = errorAt(problem, "name");
  const expiresError = errorAt(problem, "expiresAt");
  return (
    <section aria-labelledby="tokens-title" class="panel">
      <h2 id="tokens-title">{t("tokens")}</h2>
      <p class="hint">{t("tokensHint")}</p>
      {(loadProblem || (problem && !nameError && !expiresError)) && (
        <p class="error" role="alert">
          {(problem ?? loadProblem)?.detail ?? (problem ?? loadProblem)?.title}
        </p>
      )}
      {shown && <ShownOnce t={t} title={t("newToken")} value={shown} onDismiss={() => setShown(null)} />}
      {tokens?.length === 0 && <p>{t("noTokens")}</p>}
      <ul class="records">
        {tokens?.map((token) => (
          <li key={token.id} class="record">
            <p>
              <strong>{token.name}</strong> · {t("createdAt", { at: formatInstant(locale, token.createdAt) })}{" "}
              ·{" "}
              {token.lastUsedAt
                ? t("lastUsedAt", { at: formatInstant(locale, token.lastUsedAt) })
                : t("neverUsed")}
              {token.expiresAt && ` · ${t("expiresAt", { at: formatInstant(locale, token.expiresAt) })}`}
              {token.revokedAt && ` · ${t("revokedAt", { at: formatInstant(locale, token.revokedAt) })}`}
            </p>
            {!token.revokedAt && (
              <button type="button" onClick={() => void revoke(token)}>
                {`${t("revoke")}`}
                <span class="visually-hidden"> {token.name}</span>
              </button>
            )}
          </li>
        ))}
      </ul>
      <form class="inline-form" onSubmit={issue} noValidate>
        <Field id={`token-name-${partnerId}`} label={t("tokenName")} error={nameError}>
          {(a11y) => (
            <input {...a11y} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          )}
        </Field>
        <Field id={`token-expires-${partnerId}`} label={t("tokenExpires")} error={expiresError}>
          {(a11y) => (
            <input
              {...a11y}
              type="date"
              value={expires}
              onInput={(e) => setExpires((e.target as HTMLInputElement).value)}
            />
          )}
        </Field>
        <button type="submit">{t("issueToken")}</button>
      </form>
    </section>
  );
}
