// A labelled group around the language picker for the staff forms: several languages (a service's, the
// languages a person speaks) or one (a consent's language, a contact's preferred language).

import type { StaffLocale } from "../i18n/locales.js";
import { LanguagePicker } from "./language-picker.js";

/** A labelled group around the picker: the legend names what the languages are for. */
export function LanguagesField(props: {
  id: string;
  label: string;
  locale: StaffLocale;
  value: readonly string[];
  onChange: (codes: string[]) => void;
  error?: string | undefined;
}) {
  return (
    <fieldset class="group" aria-describedby={props.error ? `${props.id}-error` : undefined}>
      <legend>{props.label}</legend>
      <LanguagePicker
        id={props.id}
        locale={props.locale}
        value={props.value}
        onChange={props.onChange}
        invalid={props.error !== undefined}
        {...(props.error ? { describedBy: `${props.id}-error` } : {})}
      />
      {props.error && (
        <p id={`${props.id}-error`} class="error">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}

/** One language: choosing another replaces it. */
export function LanguageField(props: {
  id: string;
  label: string;
  locale: StaffLocale;
  value: string;
  onChange: (code: string) => void;
  error?: string | undefined;
}) {
  return (
    <LanguagesField
      id={props.id}
      label={props.label}
      locale={props.locale}
      value={props.value ? [props.value] : []}
      onChange={(codes) => props.onChange(codes.at(-1) ?? "")}
      error={props.error}
    />
  );
}
