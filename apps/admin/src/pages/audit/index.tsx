import { useEffect, useState } from "preact/hooks";
import { ApiError, api, dataOrThrow, type Problem, type Schemas } from "../../api.js";
import { CaptionedTable, problemText } from "../../components/report-parts.js";
import { auditTranslator } from "../../i18n/pages/audit.js";
import type { StaffPageProps } from "../../staff-page.js";

type AuditEntry = Schemas["AuditEntry"];

const ENTITIES = [
  "centre",
  "partner",
  "service",
  "visit",
  "service_use",
  "referral",
  "event",
  "lesson",
  "user",
  "api_token",
  "session",
  "webhook_secret",
  "webhook_endpoint",
  "webhook_delivery",
];

export function AuditPage({ locale, session }: StaffPageProps) {
  const t = auditTranslator(locale);
  const [entity, setEntity] = useState("");
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [loaded, setLoaded] = useState(false);

  async function load(cursor: string | null) {
    const query = {
      limit: 50,
      ...(session.user.centreId ? { centreId: session.user.centreId } : {}),
      ...(entity ? { entity } : {}),
      ...(cursor ? { cursor } : {}),
    };
    try {
      const page = await dataOrThrow(api.GET("/api/audit", { params: { query } }));
      setEntries((before) => (cursor ? [...before, ...page.items] : page.items));
      setNextCursor(page.nextCursor);
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem : { title: String(error), status: 0 });
    } finally {
      setLoaded(true);
    }
  }

  useEffect(() => {
    void load(null);
  }, [entity]);

  // Staff names for the "who" column: the log keeps ids only.
  useEffect(() => {
    dataOrThrow(api.GET("/api/users", { params: { query: { limit: 200, includeDisabled: "true" } } }))
      .then((page) => setNames(new Map(page.items.map((user) => [user.id, user.name]))))
      .catch(() => undefined);
  }, []);

  const actor = (entry: AuditEntry) => {
    if (entry.actorType === "system") return t("system");
    const name = entry.actorId ? names.get(entry.actorId) : undefined;
    if (entry.actorType === "partner_token" || entry.actorType === "token") {
      return `${t("partnerToken")} ${entry.actorId ?? ""}`.trim();
    }
    return name ?? entry.actorId ?? entry.actorType;
  };
  const when = new Intl.DateTimeFormat(locale === "fr" ? "fr-FR" : "en-GB", {
    dateStyle: "short",
    timeStyle: "medium",
  });

  return (
    <section class="audit" aria-labelledby="audit-title">
      <h1 id="audit-title">{t("title")}</h1>
      <p>{t("intro")}</p>
      <form class="report-controls" onSubmit={(event) => event.preventDefault()}>
        <label class="field">
          <span>{t("entity")}</span>
          <select
            name="entity"
            value={entity}
            onChange={(event) => setEntity((event.target as HTMLSelectElement).value)}
          >
            <option value="">{t("any")}</option>
            {ENTITIES.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      </form>
      {problem && (
        <p class="error" role="alert">
          {t("loadError", { detail: problemText(problem) })}
        </p>
      )}
      {loaded && entries.length === 0 && !problem && <p>{t("none")}</p>}
      {entries.length > 0 && <AuditTable t={t} entries={entries} actor={actor} when={when} />}
      {nextCursor && (
        <button type="button" onClick={() => void load(nextCursor)}>
          {t("more")}
        </button>
      )}
    </section>
  );
}

/** The log's entries: when, who, what, which record, and the change (personal fields already redacted). */
function AuditTable(props: {
  t: ReturnType<typeof auditTranslator>;
  entries: AuditEntry[];
  actor: (entry: AuditEntry) => string;
  when: Intl.DateTimeFormat;
}) {
  const { t, entries, actor, when } = props;
  return (
    <CaptionedTable
      id="audit"
      class="figures audit-log"
      caption={t("caption")}
      headers={[t("at"), t("actor"), t("action"), t("record"), t("diff")]}
    >
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.id}>
            <td>
              <time dateTime={entry.at}>{when.format(new Date(entry.at))}</time>
            </td>
            <td>{actor(entry)}</td>
            <td>{entry.action}</td>
            <td>
              {entry.entity}
              {entry.entityId && <span class="id"> {entry.entityId}</span>}
            </td>
            <td>
              {entry.diff ? (
                <details>
                  <summary>{t("showDiff")}</summary>
                  <pre>{JSON.stringify(entry.diff, null, 2)}</pre>
                </details>
              ) : (
                t("noDiff")
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </CaptionedTable>
  );
}
