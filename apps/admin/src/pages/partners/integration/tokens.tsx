// One partner's integration: webhook endpoints and their delivery log, webhook signing secrets, API tokens.
import { useState } from "preact/hooks";
import { api, dataOrThrow, type Problem } from "../../../api.js";
import { errorAt, Field, formatInstant } from "../../../components/form.js";

import { messageOf, type Props, ShownOnce, type Token, useList } from "./shared.js";

/** The partner's API tokens: issue (shown once), revoke. */
export function Tokens({ t, locale, partnerId }: Props & { partnerId: string }) {
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
