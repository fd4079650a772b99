import type { Problem } from "../../api.js";
import { errorAt, Field } from "../../components/form.js";
import { LanguageField, LanguagesField } from "../../components/language-fields.js";
import type { StaffLocale } from "../../i18n/locales.js";
import type { ReferralsT } from "../../i18n/pages/referrals.js";
import type { ConsentForm } from "./consent-step.js";
import { AGE_BANDS, GENDERS, type Named, NEEDS, type ReferralRecord, type ServiceRef } from "./shared.js";

/** The referral form as the page holds it (text as typed, empty for "not chosen"). */
export const emptyReferralForm = {
  // Chosen on purpose, never defaulted: a referral (and maybe a contact) must not go to the wrong partner.
  partnerId: "",
  serviceId: "",
  need: "accommodation" as ReferralRecord["need"],
  note: "",
  name: "",
  phone: "",
  email: "",
  preferredLanguage: "",
  ageBand: "" as NonNullable<ReferralRecord["ageBand"]> | "",
  gender: "" as NonNullable<ReferralRecord["gender"]> | "",
  languages: [] as string[],
  send: true,
};
export type ReferralFormState = typeof emptyReferralForm;

/** The body of `POST /api/referrals`: the contact only where the person agreed to keep one. */
export function referralBody(centreId: string, form: ReferralFormState, consent: ConsentForm) {
  const mayStoreContact = consent.scopes.includes("store_contact");
  const trimmed = (value: string) => value.trim();
  const contact = {
    ...(trimmed(form.name) ? { name: trimmed(form.name) } : {}),
    ...(trimmed(form.phone) ? { phone: trimmed(form.phone) } : {}),
    ...(trimmed(form.email) ? { email: trimmed(form.email) } : {}),
    ...(trimmed(form.preferredLanguage) ? { preferredLanguage: trimmed(form.preferredLanguage) } : {}),
  };
  const body = {
    centreId: centreId,
    partnerId: form.partnerId,
    ...(form.serviceId ? { serviceId: form.serviceId } : {}),
    need: form.need,
    ...(trimmed(form.note) ? { note: trimmed(form.note) } : {}),
    ...(mayStoreContact && Object.keys(contact).length > 0 ? { contact } : {}),
    consent: {
      givenAt: consent.givenAt,
      method: consent.method,
      scopes: consent.scopes,
      ...(trimmed(consent.language) ? { language: trimmed(consent.language) } : {}),
    },
    ...(form.ageBand ? { ageBand: form.ageBand } : {}),
    ...(form.gender ? { gender: form.gender } : {}),
    ...(form.languages.length > 0 ? { languages: form.languages } : {}),
    send: form.send,
  };
  return body;
}

/** The referral's fields: partner, service, need, note, the contact (when agreed to), age band, gender, languages. */
export function ReferralFields(props: {
  t: ReferralsT;
  locale: StaffLocale;
  form: ReferralFormState;
  set: (patch: Partial<ReferralFormState>) => void;
  problem: Problem | null;
  partners: Named[];
  services: ServiceRef[];
  mayStoreContact: boolean;
}) {
  const { t, form, set, problem, mayStoreContact } = props;
  const partnerServices = props.services.filter((service) => service.organizationId === form.partnerId);
  const select = (
    key: "partnerId" | "serviceId" | "need" | "ageBand" | "gender",
    label: string,
    options: Array<[string, string]>,
  ) => (
    <Field id={`referral-${key}`} label={label} error={errorAt(problem, key)}>
      {(a11y) => (
        <select
          {...a11y}
          value={form[key]}
          onChange={(e) =>
            set({
              [key]: (e.target as HTMLSelectElement).value,
              ...(key === "partnerId" ? { serviceId: "" } : {}),
            })
          }
        >
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  const contactInput = (key: "name" | "phone" | "email", label: string) => (
    <Field id={`contact-${key}`} label={label} error={errorAt(problem, "contact", key) ?? undefined}>
      {(a11y) => (
        <input
          {...a11y}
          inputMode={key === "phone" ? "tel" : key === "email" ? "email" : "text"}
          autocomplete="off"
          value={form[key]}
          onInput={(e) => set({ [key]: (e.target as HTMLInputElement).value })}
        />
      )}
    </Field>
  );

  return (
    <>
      {select("partnerId", t("partner"), [
        ["", t("choosePartner")],
        ...props.partners.map((partner): [string, string] => [partner.id, partner.name]),
      ])}
      {select("serviceId", t("service"), [
        ["", t("noService")],
        ...partnerServices.map((service): [string, string] => [service.id, service.name]),
      ])}
      {select(
        "need",
        t("need"),
        NEEDS.map((need) => [need, t(`need_${need}`)]),
      )}
      <Field id="referral-note" label={t("note")} error={errorAt(problem, "note")}>
        {(a11y) => (
          <textarea
            {...a11y}
            rows={3}
            value={form.note}
            onInput={(e) => set({ note: (e.target as HTMLTextAreaElement).value })}
          />
        )}
      </Field>
      <fieldset class="group">
        <legend>{t("contact")}</legend>
        {mayStoreContact ? (
          <>
            {errorAt(problem, "contact") && <p class="error">{errorAt(problem, "contact")}</p>}
            {contactInput("name", t("contactName"))}
            {contactInput("phone", t("contactPhone"))}
            {contactInput("email", t("contactEmail"))}
            <LanguageField
              id="contact-preferredLanguage"
              label={t("contactLanguage")}
              locale={props.locale}
              value={form.preferredLanguage}
              onChange={(preferredLanguage) => set({ preferredLanguage })}
              error={errorAt(problem, "contact", "preferredLanguage")}
            />
          </>
        ) : (
          <p>{t("contactNotAllowed")}</p>
        )}
      </fieldset>
      {select("ageBand", t("ageBand"), [
        ["", t("unknown")],
        ...AGE_BANDS.map((band): [string, string] => [band, band]),
      ])}
      {select("gender", t("gender"), [
        ["", t("unknown")],
        ...GENDERS.map((gender): [string, string] => [gender, t(`gender_${gender}`)]),
      ])}
      <LanguagesField
        id="referral-languages"
        label={t("personLanguages")}
        locale={props.locale}
        value={form.languages}
        onChange={(languages) => set({ languages })}
        error={errorAt(problem, "languages")}
      />
    </>
  );
}
