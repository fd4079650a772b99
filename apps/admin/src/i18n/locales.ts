import { staffEn } from "./staff-en.js";
import { type StaffMessages, staffFr } from "./staff-fr.js";

/** Languages of the staff pages. */
export const staffLocales = ["fr", "en"] as const;
export type StaffLocale = (typeof staffLocales)[number];

/** Languages of the public directory; `fa` is Dari/Persian. */
export const publicLocales = ["fr", "en", "ar", "fa", "ps", "ti"] as const;
export type PublicLocale = (typeof publicLocales)[number];

/** Each language's own name, so a person finds theirs without reading the current one. */
export const endonyms: Record<PublicLocale, string> = {
  fr: "Français",
  en: "English",
  ar: "العربية",
  fa: "دری / فارسی",
  ps: "پښتو",
  ti: "ትግርኛ",
};

const rightToLeft = new Set<string>(["ar", "fa", "ps"]);

/** The writing direction of a language, for the `dir` attribute. */
export function directionOf(locale: string): "rtl" | "ltr" {
  return rightToLeft.has(locale) ? "rtl" : "ltr";
}

/** `{name}` placeholders filled from `values`. */
export function fill(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

const staffCatalogues: Record<StaffLocale, StaffMessages> = { fr: staffFr, en: staffEn };
const STAFF_LOCALE_KEY = "halte.staff-locale";

/** The staff language chosen on this device, else the browser's if it is one of ours, else French. */
export function initialStaffLocale(): StaffLocale {
  const saved = localStorage.getItem(STAFF_LOCALE_KEY);
  if (saved === "fr" || saved === "en") return saved;
  return navigator.language.toLowerCase().startsWith("en") ? "en" : "fr";
}

export function saveStaffLocale(locale: StaffLocale): void {
  localStorage.setItem(STAFF_LOCALE_KEY, locale);
}

/** A translator for the staff pages: `t("signedInAs", { name })`. */
export function staffTranslator(locale: StaffLocale) {
  const messages = staffCatalogues[locale];
  return (key: keyof StaffMessages, values?: Record<string, string | number>) => fill(messages[key], values);
}
export type StaffT = ReturnType<typeof staffTranslator>;
