import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, dataOrThrow, type Schemas } from "../../api.js";
import { directionOf, endonyms, fill, type PublicLocale, publicLocales } from "../../i18n/locales.js";
import { feedbackCatalogues } from "../../i18n/public-feedback-messages.js";

type PublicDirectory = Schemas["PublicDirectory"];

function chosenLocale(): PublicLocale {
  const asked = new URLSearchParams(location.search).get("lang");
  const candidates = [asked, ...navigator.languages.map((tag) => tag.slice(0, 2).toLowerCase())];
  for (const candidate of candidates) {
    if (candidate === "prs") return "fa";
    if ((publicLocales as readonly string[]).includes(candidate ?? "")) return candidate as PublicLocale;
  }
  return "fr";
}

/**
 * The anonymous feedback and complaints form of the people assisted (CHS 2024 commitment 5): no account,
 * nothing personal asked (the form says not to write names), in the six directory languages. A hidden field
 * and the time the form was open hold off scripts; the API limits how often one sender may write.
 */
export function FeedbackFormPage({ slug }: { slug: string }) {
  const locale = chosenLocale();
  const m = feedbackCatalogues[locale];
  const opened = useRef(performance.now());
  const [directory, setDirectory] = useState<PublicDirectory | null>(null);
  const [state, setState] = useState<"editing" | "sending" | "sent">("editing");
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dir = directionOf(locale);
  }, [locale]);
  useEffect(() => {
    dataOrThrow(api.GET("/api/public/centres/{slug}/services", { params: { path: { slug } } }))
      .then((found) => {
        setDirectory(found);
        document.title = fill(m.title, { centre: found.centre.name });
      })
      .catch(() => setFailure(m.sendError));
  }, [slug, m]);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = String(form.get("text") ?? "").trim();
    if (text.length < 3) {
      setFailure(m.tooShort);
      return;
    }
    const serviceId = String(form.get("serviceId") ?? "");
    setState("sending");
    setFailure(null);
    try {
      await dataOrThrow(
        api.POST("/api/public/centres/{slug}/feedback", {
          params: { path: { slug } },
          body: {
            text,
            language: locale,
            website: String(form.get("website") ?? ""),
            fillSeconds: Math.round((performance.now() - opened.current) / 100) / 10,
            ...(serviceId ? { serviceId } : {}),
          },
        }),
      );
      setState("sent");
    } catch (error) {
      setState("editing");
      setFailure(error instanceof ApiError && error.problem.status === 429 ? m.tooMany : m.sendError);
    }
  }

  const centre = directory?.centre.name ?? "";
  return (
    <main id="main" class="directory feedback-form">
      <LanguageNav locale={locale} />
      <h1>{fill(m.title, { centre })}</h1>
      <p>{m.intro}</p>
      <p>
        <strong>{m.chs5}</strong>
      </p>
      {state === "sent" ? (
        <p role="status" class="notice">
          {m.thanks}
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <label for="feedback-text">{m.message}</label>
          <p id="feedback-hint" class="hint">
            {m.noNames}
          </p>
          <textarea
            id="feedback-text"
            name="text"
            rows={6}
            maxLength={2000}
            required
            aria-describedby="feedback-hint"
          />
          <label for="feedback-service">{m.service}</label>
          <select id="feedback-service" name="serviceId">
            <option value="">{m.noService}</option>
            {(directory?.services ?? []).map((service) => (
              <option key={service.id} value={service.id}>
                {service.translations[locale]?.name ?? service.name}
              </option>
            ))}
          </select>
          {/* People never see this field; scripts that fill every field do (and are ignored). */}
          <div class="honeypot" aria-hidden="true">
            <label for="feedback-website">{m.honeypot}</label>
            <input id="feedback-website" name="website" tabIndex={-1} autoComplete="off" />
          </div>
          {failure && (
            <p class="error" role="alert">
              {failure}
            </p>
          )}
          <button type="submit" class="primary" disabled={state === "sending"}>
            {state === "sending" ? m.sending : m.send}
          </button>
        </form>
      )}
      <p>
        <a href={`/directory/${encodeURIComponent(slug)}?lang=${locale}`}>{m.back}</a>
      </p>
    </main>
  );
}

/** The six directory languages, each by its own name; the one being read is marked current. */
function LanguageNav({ locale }: { locale: PublicLocale }) {
  return (
    <nav aria-label="Language" class="languages">
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
  );
}
