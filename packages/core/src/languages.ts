/**
 * The languages a centre meets, with their names in their own script. Browsers lack locale data for several of
 * them (Pashto, Tigrinya, Dari, Somali…), so `Intl.DisplayNames` cannot be relied on for a name a person can
 * read: this table is the one home for those names, used by the door's language buttons, the staff forms'
 * language pickers and the public directory.
 */
import type { LanguageCode } from "./common.js";

/** One language: its ISO 639 code, its own name (autonym), its names in English and French, and its direction. */
export interface KnownLanguage {
  readonly code: LanguageCode;
  /** The language's name in its own script, as a speaker writes it. */
  readonly autonym: string;
  readonly english: string;
  readonly french: string;
  readonly direction: "ltr" | "rtl";
}

const rtl = "rtl" as const;
const ltr = "ltr" as const;

/** Languages met in day centres for people in exile in France, in a stable order (French first). */
export const KNOWN_LANGUAGES: readonly KnownLanguage[] = [
  { code: "fr", autonym: "Français", english: "French", french: "Français", direction: ltr },
  { code: "en", autonym: "English", english: "English", french: "Anglais", direction: ltr },
  { code: "ar", autonym: "العربية", english: "Arabic", french: "Arabe", direction: rtl },
  { code: "prs", autonym: "دری", english: "Dari", french: "Dari", direction: rtl },
  { code: "fa", autonym: "فارسی", english: "Persian", french: "Persan", direction: rtl },
  { code: "ps", autonym: "پښتو", english: "Pashto", french: "Pachto", direction: rtl },
  { code: "ur", autonym: "اردو", english: "Urdu", french: "Ourdou", direction: rtl },
  {
    code: "ckb",
    autonym: "کوردی",
    english: "Central Kurdish (Sorani)",
    french: "Kurde sorani",
    direction: rtl,
  },
  {
    code: "kmr",
    autonym: "Kurmancî",
    english: "Northern Kurdish (Kurmanji)",
    french: "Kurde kurmandji",
    direction: ltr,
  },
  { code: "he", autonym: "עברית", english: "Hebrew", french: "Hébreu", direction: rtl },
  { code: "ti", autonym: "ትግርኛ", english: "Tigrinya", french: "Tigrigna", direction: ltr },
  { code: "am", autonym: "አማርኛ", english: "Amharic", french: "Amharique", direction: ltr },
  { code: "om", autonym: "Afaan Oromoo", english: "Oromo", french: "Oromo", direction: ltr },
  { code: "so", autonym: "Soomaali", english: "Somali", french: "Somali", direction: ltr },
  { code: "sw", autonym: "Kiswahili", english: "Swahili", french: "Swahili", direction: ltr },
  { code: "ha", autonym: "Hausa", english: "Hausa", french: "Haoussa", direction: ltr },
  { code: "ff", autonym: "Fulfulde", english: "Fula", french: "Peul", direction: ltr },
  { code: "wo", autonym: "Wolof", english: "Wolof", french: "Wolof", direction: ltr },
  { code: "bm", autonym: "Bamanankan", english: "Bambara", french: "Bambara", direction: ltr },
  { code: "sus", autonym: "Sosoxui", english: "Susu", french: "Soussou", direction: ltr },
  { code: "mnk", autonym: "Mandinka", english: "Mandinka", french: "Mandingue", direction: ltr },
  { code: "ln", autonym: "Lingála", english: "Lingala", french: "Lingala", direction: ltr },
  { code: "kg", autonym: "Kikongo", english: "Kongo", french: "Kikongo", direction: ltr },
  { code: "sg", autonym: "Sängö", english: "Sango", french: "Sango", direction: ltr },
  { code: "kab", autonym: "Taqbaylit", english: "Kabyle", french: "Kabyle", direction: ltr },
  { code: "es", autonym: "Español", english: "Spanish", french: "Espagnol", direction: ltr },
  { code: "pt", autonym: "Português", english: "Portuguese", french: "Portugais", direction: ltr },
  { code: "it", autonym: "Italiano", english: "Italian", french: "Italien", direction: ltr },
  { code: "de", autonym: "Deutsch", english: "German", french: "Allemand", direction: ltr },
  { code: "ro", autonym: "Română", english: "Romanian", french: "Roumain", direction: ltr },
  { code: "rom", autonym: "Romani čhib", english: "Romani", french: "Romani", direction: ltr },
  { code: "sq", autonym: "Shqip", english: "Albanian", french: "Albanais", direction: ltr },
  { code: "ru", autonym: "Русский", english: "Russian", french: "Russe", direction: ltr },
  { code: "uk", autonym: "Українська", english: "Ukrainian", french: "Ukrainien", direction: ltr },
  { code: "ka", autonym: "ქართული", english: "Georgian", french: "Géorgien", direction: ltr },
  { code: "hy", autonym: "Հայերեն", english: "Armenian", french: "Arménien", direction: ltr },
  { code: "tr", autonym: "Türkçe", english: "Turkish", french: "Turc", direction: ltr },
  { code: "az", autonym: "Azərbaycanca", english: "Azerbaijani", french: "Azéri", direction: ltr },
  { code: "tg", autonym: "Тоҷикӣ", english: "Tajik", french: "Tadjik", direction: ltr },
  { code: "uz", autonym: "Oʻzbekcha", english: "Uzbek", french: "Ouzbek", direction: ltr },
  { code: "mn", autonym: "Монгол", english: "Mongolian", french: "Mongol", direction: ltr },
  { code: "bn", autonym: "বাংলা", english: "Bengali", french: "Bengali", direction: ltr },
  { code: "hi", autonym: "हिन्दी", english: "Hindi", french: "Hindi", direction: ltr },
  { code: "pa", autonym: "ਪੰਜਾਬੀ", english: "Punjabi", french: "Pendjabi", direction: ltr },
  { code: "ne", autonym: "नेपाली", english: "Nepali", french: "Népalais", direction: ltr },
  { code: "ta", autonym: "தமிழ்", english: "Tamil", french: "Tamoul", direction: ltr },
  { code: "si", autonym: "සිංහල", english: "Sinhala", french: "Cingalais", direction: ltr },
  { code: "my", autonym: "မြန်မာ", english: "Burmese", french: "Birman", direction: ltr },
  { code: "vi", autonym: "Tiếng Việt", english: "Vietnamese", french: "Vietnamien", direction: ltr },
  { code: "zh", autonym: "中文", english: "Chinese", french: "Chinois", direction: ltr },
];

const byCode = new Map<string, KnownLanguage>(KNOWN_LANGUAGES.map((language) => [language.code, language]));

/** The known language with this ISO 639 code, or `undefined` for a code the table does not hold. */
export function knownLanguage(code: string): KnownLanguage | undefined {
  return byCode.get(code);
}

/**
 * A language's name in its own script (`ps` → "پښتو"), or the code itself for a language the table does not
 * hold, so a reader always sees something that is true.
 */
export function languageAutonym(code: string): string {
  return byCode.get(code)?.autonym ?? code;
}

/** The writing direction of a language: `rtl` for Arabic-script and Hebrew languages, `ltr` otherwise. */
export function languageDirection(code: string): "ltr" | "rtl" {
  return byCode.get(code)?.direction ?? "ltr";
}

/** Lower case without diacritics, so "pachto", "Pachtô" and "PACHTO" match alike. */
function folded(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * The known languages matching a search typed by staff: by code, own name, English or French name, anywhere in
 * the name and ignoring case and accents. An exact code comes first; an empty query gives every language.
 */
export function searchLanguages(query: string): KnownLanguage[] {
  const needle = folded(query.trim());
  if (needle === "") return [...KNOWN_LANGUAGES];
  const matches = KNOWN_LANGUAGES.filter((language) =>
    [language.code, language.autonym, language.english, language.french].some((name) =>
      folded(name).includes(needle),
    ),
  );
  return matches.sort((a, b) => Number(b.code === needle) - Number(a.code === needle));
}
