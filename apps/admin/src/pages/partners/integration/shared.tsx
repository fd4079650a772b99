// What the integration sections share: the API's shapes, a secret shown once, a reloadable list.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError, type Problem, type Schemas } from "../../../api.js";
import type { PartnersT } from "../../../i18n/pages/partners.js";

export type Partner = Schemas["Partner"];
export type Endpoint = Schemas["WebhookEndpoint"];
export type Delivery = Schemas["WebhookDelivery"];
export type Secret = Schemas["WebhookSecret"];
export type Token = Schemas["ApiToken"];

export type Props = { t: PartnersT; locale: string };

export function messageOf(t: PartnersT, error: unknown): Problem {
  return error instanceof ApiError ? error.problem : { title: t("networkError"), status: 0 };
}

/** A secret shown this once, with a copy button and the warning that it will not be shown again. */
export function ShownOnce(props: { t: PartnersT; title: string; value: string; onDismiss: () => void }) {
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
export function useList<T>(
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
