import type { ComponentChildren } from "preact";
import type { Schemas } from "../../api.js";
import { directionOf, fill, type PublicLocale } from "../../i18n/locales.js";
import type { PublicMessages } from "../../i18n/public-messages.js";
import { centreDay, languageNameText, listText, openingTimeText } from "./page-format.js";

type PublicService = Schemas["PublicService"];

// Service texts are keyed by the codes centres use: Dari is often entered as `prs`.
const textCodes: Record<PublicLocale, string[]> = {
  fr: ["fr"],
  en: ["en"],
  ar: ["ar"],
  fa: ["fa", "prs"],
  ps: ["ps"],
  ti: ["ti"],
};

/**
 * A text in the reader's language when the service has one, else the service's own text in the centre's
 * first language, isolated in `<bdi>` with its own `lang` and `dir`: French inside an Arabic page keeps its
 * full stop at its end and is read aloud with a French voice.
 */
function Text(props: { text: string; lang: string; pageLocale: PublicLocale }): ComponentChildren {
  if (props.lang === props.pageLocale || textCodes[props.pageLocale].includes(props.lang)) return props.text;
  return (
    <bdi lang={props.lang} dir={directionOf(props.lang)}>
      {props.text}
    </bdi>
  );
}

function statusText(
  status: PublicService["openingStatus"],
  locale: PublicLocale,
  m: PublicMessages,
  timeZone: string,
) {
  const sameDay = (iso: string) => centreDay(new Date(iso), timeZone) === centreDay(new Date(), timeZone);
  if (status.open) {
    return status.closesAt
      ? `${m.openNow} · ${fill(m.openUntil, { time: openingTimeText(status.closesAt, locale, timeZone, !sameDay(status.closesAt)) })}`
      : m.openNow;
  }
  return `${m.closed} · ${
    status.nextOpensAt
      ? fill(m.nextOpens, { when: openingTimeText(status.nextOpensAt, locale, timeZone, true) })
      : m.notScheduled
  }`;
}

/** One service of the directory: its name, whether it is open, what it is, where, in which languages. */
export function ServiceCard(props: {
  service: PublicService;
  locale: PublicLocale;
  /** The language of the service's own texts: the centre's first language. */
  sourceLanguage: string;
  m: PublicMessages;
  timeZone: string;
}) {
  const { service, locale, m, timeZone, sourceLanguage } = props;
  const code = textCodes[locale].find((candidate) => service.translations[candidate]);
  const translated = code ? service.translations[code] : undefined;
  const pick = (own: string | null | undefined, theirs: string | undefined) =>
    theirs !== undefined && code
      ? { text: theirs, lang: code }
      : own
        ? { text: own, lang: sourceLanguage }
        : null;
  const name = pick(service.name, translated?.name);
  const description = pick(service.description, translated?.description);
  const location = pick(service.location, translated?.location);
  return (
    <li class="service">
      <h2>{name && <Text {...name} pageLocale={locale} />}</h2>
      <p class={service.openingStatus.open ? "badge open" : "badge closed"}>
        {statusText(service.openingStatus, locale, m, timeZone)}
      </p>
      {description && (
        <p>
          <Text {...description} pageLocale={locale} />
        </p>
      )}
      {location && (
        <p>
          {m.where}: <Text {...location} pageLocale={locale} />
        </p>
      )}
      {service.languages.length > 0 && (
        <p>
          {m.languages}:{" "}
          {listText(
            service.languages.map((language) => languageNameText(language, locale)),
            locale,
            m.and,
            m.listSeparator,
          )}
        </p>
      )}
    </li>
  );
}
