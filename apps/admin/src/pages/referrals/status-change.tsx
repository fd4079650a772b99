import { allowedTransitions, type ReferralActor, type ReferralStatus } from "@halte/core";
import { useState } from "preact/hooks";
import { api, dataOrThrow, type Problem } from "../../api.js";
import { errorAt, Field } from "../../components/form.js";
import type { ReferralsT } from "../../i18n/pages/referrals.js";
import { reasonText } from "./referral-facts.js";
import { problemOf, REASONS, type ReferralRecord } from "./shared.js";

/** The moves the caller may make from the referral's status, with a reason where the status needs one. */
export function StatusChange(props: {
  t: ReferralsT;
  referral: ReferralRecord;
  actor: ReferralActor;
  onChanged: (announcement: string) => Promise<void>;
}) {
  const { t, referral } = props;
  const [target, setTarget] = useState<ReferralStatus | "">("");
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const moves = allowedTransitions(referral.status, props.actor);
  const reasons = target ? REASONS[target] : undefined;
  async function change(event: Event) {
    event.preventDefault();
    if (!target) return;
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
      setTarget("");
      setReason("");
      setNote("");
      await props.onChanged(t("statusChanged", { status: t(`status_${changed.status}`) }));
    } catch (error) {
      setProblem(problemOf(t, error));
    }
  }
  return (
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
                      {reasonText(t, code)}
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
  );
}
