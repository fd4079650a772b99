import { useEffect, useState } from "preact/hooks";
import { ApiError, api, dataOrThrow, type Schemas } from "../../api.js";
import { directionOf, endonyms, fill, type PublicLocale, publicLocales } from "../../i18n/locales.js";
import {
  type PublicMessages,
  publicAr,
  publicEn,
  publicFa,
  publicFr,
  publicPs,
  publicTi,
} from "../../i18n/public-messages.js";
import { FeedbackLink } from "./feedback-link.js";

type PublicService = Schemas["PublicService"];
type PublicDirectory = Schemas["PublicDirectory"];

const catalogues: Record<PublicLocale, PublicMessages> = {
  fr: publicFr,
  en: publicEn,
  ar: publicAr,
  fa: publicFa,
  ps: publicPs,
  ti: publicTi,
};
// Service texts are keyed by the codes centres use: Dari is often entered as `prs`.
const textCodes: Record<PublicLocale, string[]> = {
  fr: ["fr"],
  en: ["en"],
  ar: ["ar"],
  fa: ["fa", "prs"],
  ps: ["ps"],
  ti: ["ti"],
};

function chosenLocale(): PublicLocale {
  const asked = new URLSearchParams(location.search).get("lang");
  const candidates = [asked, ...navigator.languages.map((tag) => tag.slice(0, 2).toLowerCase())];
  for (const candidate of candidates) {
    if (candidate === "prs") return "fa";
    if ((publicLocales as readonly string[]).includes(candidate ?? "")) return candidate as PublicLocale;
  }
  return "fr";
}

function languageName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale, "en"], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

function listText(items: string[], locale: string): string {
  try {
    return new Intl.ListFormat(locale, { type: "conjunction" }).format(items);
  } catch {
    return items.join(", ");
  }
}

function whenText(iso: string, locale: string, timeZone: string, withDay: boolean): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    ...(withDay ? { weekday: "long", day: "numeric", month: "long" } : {}),
  }).format(new Date(iso));
}

/** The public directory of one centre: no sign-in, six languages, right-to-left where the script is. */
export function DirectoryPage({ slug }: { slug: string }) {
  const locale = chosenLocale();
  const m = catalogues[locale];
  const [directory, setDirectory] = useState<PublicDirectory | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = directionOf(locale);
  }, [locale]);

  useEffect(() => {
    dataOrThrow(api.GET("/api/public/centres/{slug}/services", { params: { path: { slug } } }))
      .then((found) => {
        setDirectory(found);
        document.title = fill(m.directoryTitle, { centre: found.centre.name });
      })
      .catch((error) =>
        setFailure(error instanceof ApiError && error.problem.status === 404 ? m.notFound : m.loadError),
      );
  }, [slug, m]);

  return (
    <main id="main" class="directory">
      <nav aria-label={m.language} class="languages">
        <ul>
          {publicLocales.map((code) => (
            <li key={code}>
              <a
                href={`?lang=${code}`}
                lang={code}
                dir={directionOf(code)}
                aria-current={code === locale ? "true" : undefined}
              >
                {endonyms[code]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {failure && (
        <p class="error" role="alert">
          {failure}
        </p>
      )}
      {!directory && !failure && <p class="loading">{m.loading}</p>}
      {directory && (
        <>
          <h1>{fill(m.directoryTitle, { centre: directory.centre.name })}</h1>
          {directory.centre.address && (
            <p>
              {m.address}: {directory.centre.address}
            </p>
          )}
          <FeedbackLink slug={slug} locale={locale} />
          {directory.services.length === 0 && <p>{m.noServices}</p>}
          <ul class="services">
            {directory.services.map((service) => (
              <ServiceCard
                key={service.id}
                service={service}
                locale={locale}
                m={m}
                timeZone={directory.centre.timeZone}
              />
            ))}
          </ul>
        </>
      )}
    </main>
  );
}

function ServiceCard(props: {
  service: PublicService;
  locale: PublicLocale;
  m: PublicMessages;
  timeZone: string;
}) {
  const { service, locale, m, timeZone } = props;
  const code = textCodes[locale].find((candidate) => service.translations[candidate]);
  const translated = code ? service.translations[code] : undefined;
  const name = translated?.name ?? service.name;
  const description = translated ? translated.description : (service.description ?? undefined);
  const status = service.openingStatus;
  const sameDay = (iso: string) =>
    new Date(iso).toDateString() === new Date().toDateString() &&
    new Date(iso).getTime() - Date.now() < 86_400_000;
  const statusText = status.open
    ? status.closesAt
      ? `${m.openNow} · ${fill(m.openUntil, { time: whenText(status.closesAt, locale, timeZone, !sameDay(status.closesAt)) })}`
      : m.openNow
    : `${m.closed} · ${
        status.nextOpensAt
          ? fill(m.nextOpens, { when: whenText(status.nextOpensAt, locale, timeZone, true) })
          : m.notScheduled
      }`;
  return (
    <li class="service">
      <h2 lang={code ?? undefined}>{name}</h2>
      <p class={status.open ? "badge open" : "badge closed"}>{statusText}</p>
      {description && <p lang={code ?? undefined}>{description}</p>}
      {service.location && (
        <p>
          {m.where}: {service.location}
        </p>
      )}
      {service.languages.length > 0 && (
        <p>
          {m.languages}:{" "}
          {listText(
            service.languages.map((language) => languageName(language, locale)),
            locale,
          )}
        </p>
      )}
    </li>
  );
}
