import { useEffect, useState } from "preact/hooks";
import { api, dataOrThrow, type Schemas } from "../../api.js";
import { fill } from "../../i18n/locales.js";
import { LanguageMenu } from "./language-menu.js";
import { chosenLocale, usePageHead } from "./public-page.js";

/** `/directory`: every centre with a public directory, each linking to its own in the reader's language. */
export function CentresPage() {
  const { locale, m } = chosenLocale();
  const [centres, setCentres] = useState<Schemas["PublicCentre"][] | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  usePageHead(locale, m.centresTitle, m.centresTitle);

  useEffect(() => {
    setFailed(false);
    dataOrThrow(api.GET("/api/public/centres"))
      .then((answer) => setCentres(answer.centres))
      .catch(() => setFailed(true));
  }, [attempt]);

  return (
    <main id="main" class="directory">
      <LanguageMenu label={m.language} locale={locale} />
      <h1>{m.centresTitle}</h1>
      {failed && (
        <div role="alert" class="error">
          <p>{m.loadError}</p>
          <button type="button" class="retry" onClick={() => setAttempt(attempt + 1)}>
            {m.retry}
          </button>
        </div>
      )}
      {!centres && !failed && <p class="loading">{m.loading}</p>}
      {centres?.length === 0 && <p>{m.noCentres}</p>}
      {centres && centres.length > 0 && (
        <ul class="services">
          {centres.map((centre) => (
            <li key={centre.slug} class="service">
              <h2>
                <a href={`/directory/${encodeURIComponent(centre.slug)}?lang=${locale}`}>
                  {fill(m.openDirectory, { centre: centre.name })}
                </a>
              </h2>
              {centre.address && (
                <p>
                  {m.address}: <bdi>{centre.address}</bdi>
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
