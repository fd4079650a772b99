import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../../api.js";
import { fill } from "../../i18n/locales.js";
import { CentresPage } from "./centres-page.js";
import { type LoadedDirectory, loadDirectory } from "./directory-data.js";
import { FeedbackLink } from "./feedback-link.js";
import { LanguageMenu } from "./language-menu.js";
import { openingTimeText } from "./page-format.js";
import { chosenLocale, usePageHead } from "./public-page.js";
import { ServiceCard } from "./service-card.js";

/** The public directory of one centre: no sign-in, six languages, right-to-left where the script is. */
export function DirectoryPage({ slug }: { slug: string }) {
  const { locale, m } = chosenLocale();
  const [loaded, setLoaded] = useState<LoadedDirectory | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const title = loaded ? fill(m.directoryTitle, { centre: loaded.directory.centre.name }) : null;
  usePageHead(locale, title, title);

  useEffect(() => {
    setFailure(null);
    loadDirectory(slug)
      .then(setLoaded)
      .catch((error) =>
        setFailure(error instanceof ApiError && error.problem.status === 404 ? m.notFound : m.loadError),
      );
  }, [slug, m, attempt]);

  const retry = (
    <button type="button" class="retry" onClick={() => setAttempt(attempt + 1)}>
      {m.retry}
    </button>
  );
  const directory = loaded?.directory;
  return (
    <main id="main" class="directory">
      <LanguageMenu label={m.language} locale={locale} />
      {failure && (
        <div role="alert" class="error">
          <p>{failure}</p>
          {retry}
        </div>
      )}
      {!loaded && !failure && <p class="loading">{m.loading}</p>}
      {loaded && directory && (
        <>
          <h1>{title}</h1>
          {directory.centre.address && (
            <p>
              {m.address}: <bdi>{directory.centre.address}</bdi>
            </p>
          )}
          <div class={loaded.saved ? "freshness saved" : "freshness"} role="status">
            {loaded.saved && <p>{m.savedCopy}</p>}
            <p>
              {fill(m.updatedAt, {
                when: openingTimeText(loaded.updatedAt, locale, directory.centre.timeZone, true),
              })}
            </p>
            {loaded.saved && !failure && retry}
          </div>
          {directory.services.length === 0 && <p>{m.noServices}</p>}
          <ul class="services">
            {directory.services.map((service) => (
              <ServiceCard
                key={service.id}
                service={service}
                locale={locale}
                sourceLanguage={directory.centre.languages[0] ?? "fr"}
                m={m}
                timeZone={directory.centre.timeZone}
              />
            ))}
          </ul>
          <FeedbackLink slug={slug} locale={locale} />
          <p>
            <a href={`/directory?lang=${locale}`}>{m.allCentres}</a>
          </p>
        </>
      )}
    </main>
  );
}

/** `/directory/{slug}` shows that centre's directory; `/directory` lists every centre. */
export function PublicPage({ slug }: { slug: string }) {
  return slug === "" ? <CentresPage /> : <DirectoryPage slug={slug} />;
}
