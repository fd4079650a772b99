import { directionOf, endonyms, type PublicLocale, publicLocales } from "../../i18n/locales.js";

/** The page in another language: each language named in its own script, so a reader finds theirs. */
export function LanguageMenu(props: { label: string; locale: PublicLocale }) {
  return (
    <nav aria-label={props.label} class="languages">
      <ul>
        {publicLocales.map((code) => (
          <li key={code}>
            <a
              href={`?lang=${code}`}
              lang={code}
              dir={directionOf(code)}
              aria-current={code === props.locale ? "true" : undefined}
            >
              {endonyms[code]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
