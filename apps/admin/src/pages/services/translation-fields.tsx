import type { Problem } from "../../api.js";
import { errorAt, Field } from "../../components/form.js";
import { directionOf } from "../../i18n/locales.js";
import type { ServicesT } from "../../i18n/pages/services.js";
import { type ServiceForm, TRANSLATION_LANGUAGES, type TranslationForm } from "./form-model.js";

const emptyTranslation: TranslationForm = { name: "", description: "", location: "" };

function languageName(code: string, staffLocale: string): string {
  try {
    return new Intl.DisplayNames([staffLocale], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * The service's name, description and place in each language of the public directory. A text left empty
 * shows the French one in the directory, marked as French.
 */
export function TranslationFields(props: {
  t: ServicesT;
  staffLocale: string;
  form: ServiceForm;
  problem: Problem | null;
  set: (patch: Partial<ServiceForm>) => void;
}) {
  const { t, form, problem, set } = props;
  const codes = [
    ...TRANSLATION_LANGUAGES,
    ...Object.keys(form.translations).filter(
      (code) => !(TRANSLATION_LANGUAGES as readonly string[]).includes(code),
    ),
  ];
  const update = (code: string, patch: Partial<TranslationForm>) =>
    set({
      translations: {
        ...form.translations,
        [code]: { ...(form.translations[code] ?? emptyTranslation), ...patch },
      },
    });
  return (
    <fieldset class="translations">
      <legend>{t("translations")}</legend>
      <p class="hint">{t("translationsHint")}</p>
      {codes.map((code) => {
        const language = languageName(code, props.staffLocale);
        const text = form.translations[code] ?? emptyTranslation;
        const input = (key: keyof TranslationForm, label: string, multiline = false) => (
          <Field
            id={`service-translation-${code}-${key}`}
            label={label}
            error={errorAt(problem, "translations", code, key)}
          >
            {(a11y) =>
              multiline ? (
                <textarea
                  {...a11y}
                  rows={2}
                  lang={code}
                  dir={directionOf(code === "prs" ? "fa" : code)}
                  value={text[key]}
                  onInput={(e) => update(code, { [key]: (e.target as HTMLTextAreaElement).value })}
                />
              ) : (
                <input
                  {...a11y}
                  lang={code}
                  dir={directionOf(code === "prs" ? "fa" : code)}
                  value={text[key]}
                  onInput={(e) => update(code, { [key]: (e.target as HTMLInputElement).value })}
                />
              )
            }
          </Field>
        );
        return (
          <fieldset key={code} class="translation">
            <legend>{language}</legend>
            {input("name", t("translationName", { language }))}
            {input("description", t("translationDescription", { language }), true)}
            {input("location", t("translationLocation", { language }))}
          </fieldset>
        );
      })}
    </fieldset>
  );
}
