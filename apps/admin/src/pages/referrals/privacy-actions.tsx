import { ConsentMethod } from "@halte/core";
import { useState } from "preact/hooks";
import { ApiError, api, dataOrThrow, type Schemas } from "../../api.js";
import type { ReferralsT } from "../../i18n/pages/referrals.js";

const METHODS = ConsentMethod.options;

/**
 * The two requests a person can make about their data, for the centre's coordinators: withdraw their consent
 * (the partner then gets no detail and is told so) and erase their details now (counts stay). Each asks for
 * confirmation, then calls the API and lets the page reload the referral and its timeline.
 */
export function ReferralPrivacyActions(props: {
  t: ReferralsT;
  referral: Schemas["Referral"];
  hasLiveConsent: boolean;
  onDone: (announcement: string) => Promise<void>;
}) {
  const { t, referral } = props;
  const [method, setMethod] = useState<ConsentMethod>("verbal");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(confirmText: string, request: () => Promise<unknown>, done: string) {
    if (!confirm(confirmText)) return;
    setBusy(true);
    setProblem(null);
    try {
      await request();
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
                    () =>
                      dataOrThrow(
                        api.POST("/api/referrals/{referralId}/consent/withdraw", {
                          params: { path: { referralId: referral.id } },
                          body: { method },
                        }),
                      ),
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
                run(
                  t("eraseConfirm"),
                  () =>
                    dataOrThrow(
                      api.POST("/api/referrals/{referralId}/erase", {
                        params: { path: { referralId: referral.id } },
                      }),
                    ),
                  t("detailsErased"),
                )
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
