import type { ConsentMethod, ConsentScope } from "@halte/core";
import { useEffect, useRef, useState } from "preact/hooks";
import { FormActions } from "../../components/form.js";
import { LanguageField } from "../../components/language-fields.js";
import type { StaffLocale } from "../../i18n/locales.js";
import type { ReferralsT } from "../../i18n/pages/referrals.js";
import { METHODS } from "./shared.js";

export interface ConsentForm {
  scopes: ConsentScope[];
  method: ConsentMethod;
  language: string;
  givenAt: string;
}

/**
 * The first step of a new referral: what the person agrees to (keep a contact, share with the partner) and
 * how they said so. Nothing is asked about the person before it.
 */
export function ConsentStep(props: {
  t: ReferralsT;
  locale: StaffLocale;
  consent: ConsentForm;
  setConsent: (consent: ConsentForm) => void;
  onGiven: () => void;
  onCancel: () => void;
}) {
  const { t, consent, setConsent } = props;
  const [consentError, setConsentError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  function toggleScope(scope: ConsentScope, on: boolean) {
    setConsent({
      ...consent,
      scopes: on ? [...consent.scopes, scope] : consent.scopes.filter((s) => s !== scope),
    });
  }

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
        props.onGiven();
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
      <LanguageField
        id="consent-language"
        label={t("consentLanguage")}
        locale={props.locale}
        value={consent.language}
        onChange={(language) => setConsent({ ...consent, language })}
      />
      <FormActions submit={t("consentGiven")} cancel={t("cancel")} onCancel={props.onCancel} />
    </form>
  );
}
