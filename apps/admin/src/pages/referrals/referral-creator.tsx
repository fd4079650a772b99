import { useEffect, useRef, useState } from "preact/hooks";
import { api, dataOrThrow, type Problem } from "../../api.js";
import { errorUnder, FormActions, generalError } from "../../components/form.js";
import type { StaffLocale } from "../../i18n/locales.js";
import type { ReferralsT } from "../../i18n/pages/referrals.js";
import { type ConsentForm, ConsentStep } from "./consent-step.js";
import {
  emptyReferralForm,
  ReferralFields,
  type ReferralFormState,
  referralBody,
} from "./referral-fields.js";
import { type Named, problemOf, type ReferralRecord, type ServiceRef } from "./shared.js";

/** A new referral: the consent step, then the referral and what may be kept about the person. */
export function ReferralCreator(props: {
  t: ReferralsT;
  locale: StaffLocale;
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
  const [form, setForm] = useState<ReferralFormState>(emptyReferralForm);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [step]);
  const set = (patch: Partial<ReferralFormState>) => setForm({ ...form, ...patch });
  const mayStoreContact = consent.scopes.includes("store_contact");

  if (step === "consent") {
    return (
      <ConsentStep
        t={t}
        locale={props.locale}
        consent={consent}
        setConsent={setConsent}
        onGiven={() => setStep("form")}
        onCancel={props.onCancel}
      />
    );
  }

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const body = referralBody(props.centreId, form, consent);
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
      <ReferralFields
        t={t}
        locale={props.locale}
        form={form}
        set={set}
        problem={problem}
        partners={props.partners}
        services={props.services}
        mayStoreContact={mayStoreContact}
      />
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
