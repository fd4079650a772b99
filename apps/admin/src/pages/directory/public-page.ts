import { useEffect } from "preact/hooks";
import { directionOf, type PublicLocale, publicLocales } from "../../i18n/locales.js";
import {
  type PublicMessages,
  publicAr,
  publicEn,
  publicFa,
  publicFr,
  publicPs,
  publicTi,
} from "../../i18n/public-messages.js";

const catalogues: Record<PublicLocale, PublicMessages> = {
  fr: publicFr,
  en: publicEn,
  ar: publicAr,
  fa: publicFa,
  ps: publicPs,
  ti: publicTi,
};

/** The reader's language: `?lang=`, else the first of the browser's languages we have, else French. */
export function chosenLocale(): { locale: PublicLocale; m: PublicMessages } {
  const asked = new URLSearchParams(location.search).get("lang");
  const candidates = [asked, ...navigator.languages.map((tag) => tag.slice(0, 2).toLowerCase())];
  for (const candidate of candidates) {
    if (candidate === "prs") return { locale: "fa", m: catalogues.fa };
    if ((publicLocales as readonly string[]).includes(candidate ?? "")) {
      const locale = candidate as PublicLocale;
      return { locale, m: catalogues[locale] };
    }
  }
  return { locale: "fr", m: catalogues.fr };
}

/** Sets the document's language, direction, title and description for a public page. */
export function usePageHead(locale: PublicLocale, title: string | null, description: string | null) {
  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = directionOf(locale);
    if (title) document.title = title;
    const meta = document.querySelector('meta[name="description"]');
    if (meta && description) meta.setAttribute("content", description);
  }, [locale, title, description]);
}
