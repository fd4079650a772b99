import { ConsentMethod, type Referral } from "@halte/core";
import { useState } from "preact/hooks";
import { ApiError, callApi } from "../api.js";
import type { ReferralsT } from "../i18n/pages/referrals.js";

const METHODS = ConsentMethod.options;

/**
 * The two requests a person can make about their data, for the centre's coordinators: withdraw their consent
 * (the partner then gets no detail and is told so) and erase their details now (counts stay). Each asks for
 * confirmation, then calls the API and lets the page reload the referral and its timeline.
 */
export function ReferralPrivacyActions(props: {
  t: ReferralsT;
  referral: Referral & { hasContact: boolean };
  hasLiveConsent: boolean;
  onDone: (announcement: string) => Promise<void>;
}) {
  const { t, referral } = props;
  const [method, setMethod] = useState<ConsentMethod>("verbal");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(confirmText: string, path: string, body: unknown, done: string) {
    if (!confirm(confirmText)) return;
    setBusy(true);
    setProblem(null);
    try {
      await callApi("POST", path, body);
      await props.onDone(done);
    } catch (error) {
      setProblem(
        error instanceof ApiError ? (error.problem.detail ?? error.problem.title) : t("networkError"),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="record-form" aria-labelledby="privacy-title">
      <h2 id="privacy-title">{t("privacyTitle")}</h2>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
      {referral.erasedAt ? (
        <p>{t("erasedOn", { at: referral.erasedAt.slice(0, 10) })}</p>
      ) : (
        <>
          {props.hasLiveConsent && (
            <p>
              <label>
                {t("withdrawMethod")}{" "}
                <select
                  value={method}
                  onChange={(e) => setMethod((e.target as HTMLSelectElement).value as ConsentMethod)}
                >
                  {METHODS.map((m) => (
                    <option key={m} value={m}>
                      {t(`method_${m}`)}
                    </option>
                  ))}
                </select>
              </label>{" "}
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  run(
                    t("withdrawConfirm"),
                    `/api/referrals/${referral.id}/consent/withdraw`,
                    { method },
                    t("consentWithdrawn"),
                  )
                }
              >
                {t("withdrawConsent")}
              </button>
            </p>
          )}
          <p>
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                run(t("eraseConfirm"), `/api/referrals/${referral.id}/erase`, undefined, t("detailsErased"))
              }
            >
              {t("erase")}
            </button>
          </p>
        </>
      )}
    </section>
  );
}
