import type { Problem } from "../../api.js";
import { errorAt, errorUnder, Field } from "../../components/form.js";
import { LanguagesField } from "../../components/language-fields.js";
import type { StaffLocale } from "../../i18n/locales.js";
import type { ServicesT } from "../../i18n/pages/services.js";
import { CATEGORIES, type ServiceForm, type ServiceInput, STATUSES } from "./form-model.js";

/** The staff language, as the shell set it on the document (the editor does not pass it down). */
function staffLocale(): StaffLocale {
  return document.documentElement.lang === "fr" ? "fr" : "en";
}

/** What the service is: name, description, provider, category, status, languages, place, ticket queue. */
export function ServiceFields(props: {
  t: ServicesT;
  codes: Record<string, string>;
  form: ServiceForm;
  problem: Problem | null;
  partners: Array<{ id: string; name: string }>;
  set: (patch: Partial<ServiceForm>) => void;
}) {
  const { t, codes, form, problem, set } = props;
  const text = (key: "name" | "description" | "location", label: string, multiline = false) => (
    <Field id={`service-${key}`} label={label} error={errorAt(problem, key)}>
      {(a11y) =>
        multiline ? (
          <textarea
            {...a11y}
            rows={3}
            value={form[key]}
            onInput={(e) => set({ [key]: (e.target as HTMLTextAreaElement).value })}
          />
        ) : (
          <input
            {...a11y}
            value={form[key]}
            onInput={(e) => set({ [key]: (e.target as HTMLInputElement).value })}
          />
        )
      }
    </Field>
  );

  return (
    <>
      {text("name", t("name"))}
      {text("description", t("description"), true)}
      <Field id="service-organizationId" label={t("provider")} error={errorAt(problem, "organizationId")}>
        {(a11y) => (
          <select
            {...a11y}
            value={form.organizationId}
            onChange={(e) => set({ organizationId: (e.target as HTMLSelectElement).value })}
          >
            <option value="">{t("chooseProvider")}</option>
            {props.partners.map((partner) => (
              <option key={partner.id} value={partner.id}>
                {partner.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="service-category" label={t("category")} error={errorAt(problem, "category")}>
        {(a11y) => (
          <select
            {...a11y}
            value={form.category}
            onChange={(e) =>
              set({ category: (e.target as HTMLSelectElement).value as ServiceInput["category"] })
            }
          >
            {CATEGORIES.map((code) => (
              <option key={code} value={code}>
                {codes[code]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="service-status" label={t("status")} error={errorAt(problem, "status")}>
        {(a11y) => (
          <select
            {...a11y}
            value={form.status}
            onChange={(e) => set({ status: (e.target as HTMLSelectElement).value as ServiceInput["status"] })}
          >
            {STATUSES.map((code) => (
              <option key={code} value={code}>
                {codes[code]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <LanguagesField
        id="service-languages"
        label={t("languages")}
        locale={staffLocale()}
        value={form.languages.split(/[\s,]+/).filter(Boolean)}
        onChange={(languages) => set({ languages: languages.join(", ") })}
        error={errorUnder(problem, "languages")}
      />
      {text("location", t("location"))}
      <label class="inline">
        <input
          type="checkbox"
          checked={form.ticketQueue}
          onChange={(e) => set({ ticketQueue: (e.target as HTMLInputElement).checked })}
        />{" "}
        {t("ticketQueue")}
      </label>
    </>
  );
}
