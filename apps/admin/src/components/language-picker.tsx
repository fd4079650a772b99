// A searchable list of languages, shown by their own names (core's KNOWN_LANGUAGES), for the staff forms that
// take ISO 639 codes: a service's languages, a person's languages, the door's language buttons.
import { KNOWN_LANGUAGES, knownLanguage, LanguageCode, languageAutonym, searchLanguages } from "@halte/core";
import { useState } from "preact/hooks";
import type { StaffLocale } from "../i18n/locales.js";

const messages = {
  fr: {
    search: "Chercher une langue (nom ou code ISO 639)",
    add: "Ajouter",
    remove: "Retirer {name}",
    none: "Aucune langue choisie.",
    unknown: "« {query} » n'est ni une langue de la liste ni un code ISO 639 (2 ou 3 lettres).",
  },
  en: {
    search: "Search a language (name or ISO 639 code)",
    add: "Add",
    remove: "Remove {name}",
    none: "No language chosen.",
    unknown: "“{query}” is neither a language of the list nor an ISO 639 code (2 or 3 letters).",
  },
} satisfies Record<StaffLocale, Record<string, string>>;

/** A language's name for staff: its own name, with the staff language's name beside it when they differ. */
export function languageLabel(code: string, locale: StaffLocale): string {
  const known = knownLanguage(code);
  if (!known) return code;
  const local = locale === "fr" ? known.french : known.english;
  return local === known.autonym ? `${known.autonym} (${code})` : `${known.autonym} — ${local} (${code})`;
}

/** The code a typed search stands for: a listed label, a code, or the single language the search finds. */
function codeOf(query: string, locale: StaffLocale): string | null {
  const trimmed = query.trim();
  const listed = KNOWN_LANGUAGES.find((language) => languageLabel(language.code, locale) === trimmed);
  if (listed) return listed.code;
  const lower = trimmed.toLowerCase();
  if (LanguageCode.safeParse(lower).success) return lower;
  const found = searchLanguages(trimmed);
  return found.length === 1 && found[0] ? found[0].code : null;
}

/**
 * Chosen languages as removable chips and a search box over the known languages (any other ISO 639 code is
 * accepted as typed). `value` is the list of codes, in the order chosen.
 */
export function LanguagePicker(props: {
  id: string;
  locale: StaffLocale;
  value: readonly string[];
  onChange: (codes: string[]) => void;
  describedBy?: string;
  invalid?: boolean;
}) {
  const t = messages[props.locale];
  const [query, setQuery] = useState("");
  const [unknown, setUnknown] = useState<string | null>(null);
  const listId = `${props.id}-list`;

  const add = () => {
    if (query.trim() === "") return;
    const code = codeOf(query, props.locale);
    if (!code) {
      setUnknown(t.unknown.replace("{query}", query.trim()));
      return;
    }
    setUnknown(null);
    setQuery("");
    if (!props.value.includes(code)) props.onChange([...props.value, code]);
  };

  return (
    <div class="language-picker">
      {props.value.length === 0 ? (
        <p class="hint">{t.none}</p>
      ) : (
        <ul class="picked-languages" aria-live="polite">
          {props.value.map((code) => (
            <li key={code} class="picked-language">
              <span lang={code} dir="auto">
                {languageAutonym(code)}
              </span>
              <button
                type="button"
                class="remove-language"
                aria-label={t.remove.replace("{name}", languageLabel(code, props.locale))}
                onClick={() => props.onChange(props.value.filter((chosen) => chosen !== code))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="picker-search">
        <input
          id={props.id}
          list={listId}
          value={query}
          aria-label={t.search}
          placeholder={t.search}
          {...(props.describedBy ? { "aria-describedby": props.describedBy } : {})}
          {...(props.invalid || unknown ? { "aria-invalid": true } : {})}
          onInput={(e) => setQuery((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" onClick={add}>
          {t.add}
        </button>
      </div>
      <datalist id={listId}>
        {KNOWN_LANGUAGES.map((language) => (
          <option key={language.code} value={languageLabel(language.code, props.locale)} />
        ))}
      </datalist>
      {unknown && (
        <p class="error" role="alert">
          {unknown}
        </p>
      )}
    </div>
  );
}
