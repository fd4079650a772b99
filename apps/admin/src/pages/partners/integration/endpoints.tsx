// One partner's integration: webhook endpoints and their delivery log, webhook signing secrets, API tokens.
import { useState } from "preact/hooks";
import { api, dataOrThrow, type Problem } from "../../../api.js";
import { errorAt, Field, formatInstant } from "../../../components/form.js";

import { type Delivery, type Endpoint, messageOf, type Props, useList } from "./shared.js";

/** The partner's webhook endpoints, each with its delivery log and a re-send. */
export function Endpoints({ t, locale, partnerId }: Props & { partnerId: string }) {
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
  const [done, setDone] = useState("");

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
      setDone(t("endpointAdded", { url: url.trim() }));
      setUrl("");
      await reload();
    } catch (error) {
      setProblem(messageOf(t, error));
    }
  }
  async function disable(endpoint: Endpoint) {
    if (!confirm(t("disableEndpointConfirm", { url: endpoint.url }))) return;
    try {
      await dataOrThrow(
        api.POST("/api/webhook-endpoints/{endpointId}/disable", {
          params: { path: { endpointId: endpoint.id } },
        }),
      );
      setDone(t("endpointDisabled", { url: endpoint.url }));
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
      {done && (
        <p class="notice" role="status">
          {done}
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
