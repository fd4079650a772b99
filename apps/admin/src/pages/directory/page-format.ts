// Dates, language names and lists written in the directory page's own language. A browser without locale
// data for a language (Chromium ships none for Pashto or Tigrinya) silently formats in its default one —
// French dates and English language names inside a Pashto page — so each formatter first checks that the
// browser really has the page's language and otherwise writes from the small tables below.
import type { PublicLocale } from "../../i18n/locales.js";

/**
 * The tag given to `Intl` for each page language. Dari is written with Afghanistan's own month names
 * (`fa-AF`: "دسمبر", not Iran's "دسامبر"); every tag asks for the Gregorian calendar, since the centre's
 * opening hours are Gregorian dates (Persian locales default to the Solar Hijri one).
 */
const intlTags: Record<PublicLocale, string> = {
  fr: "fr-u-ca-gregory",
  en: "en-GB-u-ca-gregory",
  ar: "ar-u-ca-gregory",
  fa: "fa-AF-u-ca-gregory",
  ps: "ps-u-ca-gregory",
  ti: "ti-u-ca-gregory",
};

type IntlKind = "date" | "names" | "list";

const supportedCache = new Map<string, boolean>();

/**
 * Whether this browser formats in `locale` itself rather than in a fallback language: the locale must be
 * listed as supported and the formatter must resolve to it, not to the browser's default.
 */
export function browserSpeaks(locale: PublicLocale, kind: IntlKind): boolean {
  const key = `${locale}:${kind}`;
  const known = supportedCache.get(key);
  if (known !== undefined) return known;
  const tag = intlTags[locale];
  let speaks = false;
  try {
    const api =
      kind === "date" ? Intl.DateTimeFormat : kind === "names" ? Intl.DisplayNames : Intl.ListFormat;
    const resolved =
      kind === "date"
        ? new Intl.DateTimeFormat(tag).resolvedOptions().locale
        : kind === "names"
          ? new Intl.DisplayNames([tag], { type: "language" }).resolvedOptions().locale
          : new Intl.ListFormat(tag).resolvedOptions().locale;
    speaks = api.supportedLocalesOf([tag]).length > 0 && resolved.split("-")[0] === locale;
  } catch {
    speaks = false;
  }
  supportedCache.set(key, speaks);
  return speaks;
}

// CLDR's Gregorian month and weekday names (weekdays from Monday), for the languages Chromium lacks.
const ownCalendarNames: Partial<Record<PublicLocale, { months: string[]; weekdays: string[] }>> = {
  ps: {
    months: [
      "جنوري",
      "فېبروري",
      "مارچ",
      "اپریل",
      "مۍ",
      "جون",
      "جولای",
      "اګست",
      "سپتمبر",
      "اکتوبر",
      "نومبر",
      "دسمبر",
    ],
    weekdays: ["دونۍ", "درېنۍ", "څلرنۍ", "پينځنۍ", "جمعه", "اونۍ", "يونۍ"],
  },
  ti: {
    months: ["ጥሪ", "ለካቲት", "መጋቢት", "ሚያዝያ", "ጉንበት", "ሰነ", "ሓምለ", "ነሓሰ", "መስከረም", "ጥቅምቲ", "ሕዳር", "ታሕሳስ"],
    weekdays: ["ሰኑይ", "ሰሉስ", "ረቡዕ", "ሓሙስ", "ዓርቢ", "ቀዳም", "ሰንበት"],
  },
};

/** An instant's wall-clock fields in `timeZone`, read with a locale every browser has. */
function wallClock(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    calendar: "gregory",
    numberingSystem: "latn",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const field = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const year = field("year");
  const month = field("month");
  const day = field("day");
  // Monday = 0, as the tables above.
  const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
  const pad = (n: number) => String(n).padStart(2, "0");
  return { year, month, day, weekday, time: `${pad(field("hour") % 24)}:${pad(field("minute"))}` };
}

/** The centre-local calendar day of an instant, `YYYY-MM-DD`: "today" is the centre's, not the phone's. */
export function centreDay(at: Date, timeZone: string): string {
  const { year, month, day } = wallClock(at, timeZone);
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * An opening time in the page's language and the centre's time zone: "10:00", or with the day
 * "Monday 7 December, 10:00". Without the browser's data for the language, the day and month names come
 * from the tables above and the time is written with 24-hour digits: never another language's words.
 */
export function openingTimeText(
  iso: string,
  locale: PublicLocale,
  timeZone: string,
  withDay: boolean,
): string {
  const at = new Date(iso);
  const names = ownCalendarNames[locale];
  if (names && !browserSpeaks(locale, "date")) {
    const clock = wallClock(at, timeZone);
    if (!withDay) return clock.time;
    const comma = locale === "ti" ? "፣" : "،";
    return `${names.weekdays[clock.weekday]} ${clock.day} ${names.months[clock.month - 1]}${comma} ${clock.time}`;
  }
  return new Intl.DateTimeFormat(intlTags[locale], {
    timeZone,
    calendar: "gregory",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    ...(withDay ? { weekday: "long", day: "numeric", month: "long" } : {}),
  }).format(at);
}

// Names of the languages centres most often list, in Pashto and Tigrinya (CLDR), for browsers without them.
const ownLanguageNames: Partial<Record<PublicLocale, Record<string, string>>> = {
  ps: {
    fr: "فرانسوي",
    en: "انګليسي",
    ar: "عربي",
    fa: "فارسي",
    prs: "دري",
    ps: "پښتو",
    ti: "تيګريني",
    so: "سومالي",
    am: "امهاري",
    ku: "کردي",
    ur: "اردو",
  },
  ti: {
    fr: "ፈረንሳይኛ",
    en: "እንግሊዝኛ",
    ar: "ዓረብኛ",
    fa: "ፋርስኛ",
    prs: "ዳሪ",
    ps: "ፓሽቶ",
    ti: "ትግርኛ",
    so: "ሶማሊ",
    am: "ኣምሓርኛ",
    ku: "ኩርዲሽ",
    ur: "ኡርዱ",
  },
};

// Each language's own name, for a code the tables above lack: a reader still finds theirs.
const endonymsByCode: Record<string, string> = {
  fr: "français",
  en: "English",
  ar: "العربية",
  fa: "فارسی",
  prs: "دری",
  ps: "پښتو",
  ti: "ትግርኛ",
  so: "Soomaali",
  am: "አማርኛ",
  ku: "kurdî",
  ur: "اردو",
  es: "español",
  ru: "русский",
  uk: "українська",
  tr: "Türkçe",
  bn: "বাংলা",
  sw: "Kiswahili",
  wo: "Wolof",
  ff: "Pulaar",
  pt: "português",
  de: "Deutsch",
  it: "italiano",
  ka: "ქართული",
  sq: "shqip",
};

/** A language's name in the page's language; where neither the browser nor our tables have it, its own. */
export function languageNameText(code: string, locale: PublicLocale): string {
  const own = ownLanguageNames[locale]?.[code];
  if (own) return own;
  if (browserSpeaks(locale, "names")) {
    try {
      const name = new Intl.DisplayNames([intlTags[locale]], { type: "language", fallback: "none" }).of(code);
      if (name && name !== code) return name;
    } catch {
      // an odd code: fall through
    }
  }
  return endonymsByCode[code] ?? code;
}

/**
 * A list joined as the page's language joins it ("a, b and c"), with the page's own conjunction where the
 * browser lacks the language.
 */
export function listText(items: string[], locale: PublicLocale, and: string, separator: string): string {
  if (browserSpeaks(locale, "list"))
    return new Intl.ListFormat(intlTags[locale], { type: "conjunction" }).format(items);
  if (items.length < 2) return items.join("");
  return `${items.slice(0, -1).join(separator)} ${and} ${items.at(-1)}`;
}
