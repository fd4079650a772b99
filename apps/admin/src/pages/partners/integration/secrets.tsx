// One partner's integration: webhook endpoints and their delivery log, webhook signing secrets, API tokens.
import { useState } from "preact/hooks";
import { api, dataOrThrow, type Problem } from "../../../api.js";
import { errorAt, Field, formatInstant } from "../../../components/form.js";

import { messageOf, type Props, type Secret, ShownOnce, useList } from "./shared.js";

/** The partner's webhook signing secrets: create (shown once), rotate with an overlap, revoke. */
export function Secrets({ t, locale, partnerId }: Props & { partnerId: string }) {
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
