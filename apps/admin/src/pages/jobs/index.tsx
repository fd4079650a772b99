import { useEffect, useState } from "preact/hooks";
import { ApiError, api, dataOrThrow, type Problem, type Schemas } from "../../api.js";
import { type JobsT, jobsTranslator } from "../../i18n/pages/jobs.js";
import type { StaffPageProps } from "../../staff-page.js";

type JobRun = Schemas["JobRun"];

function problemOf(error: unknown): Problem {
  return error instanceof ApiError ? error.problem : { title: String(error), status: 0 };
}

function RunsTable(props: {
  t: JobsT;
  caption: string;
  runs: JobRun[];
  locale: string;
  centreNames: ReadonlyMap<string, string>;
}) {
  const { t, runs } = props;
  const centreOf = (run: JobRun) =>
    run.centreId === null ? t("everyCentre") : (props.centreNames.get(run.centreId) ?? run.centreId);
  const when = (iso: string) =>
    new Intl.DateTimeFormat(props.locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
  if (runs.length === 0) {
    return (
      <>
        <h2>{props.caption}</h2>
        <p>{t("none")}</p>
      </>
    );
  }
  return (
    <table>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("startedAt")}</th>
          <th scope="col">{t("centre")}</th>
          <th scope="col">{t("window")}</th>
          <th scope="col">{t("daysRolled")}</th>
          <th scope="col">{t("rowsRead")}</th>
          <th scope="col">{t("duration")}</th>
          <th scope="col">{t("status")}</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id}>
            <td>{when(run.startedAt)}</td>
            <td>{centreOf(run)}</td>
            <td>
              {run.watermarkFrom.slice(0, 16).replace("T", " ")} –{" "}
              {run.watermarkTo.slice(0, 16).replace("T", " ")}
            </td>
            <td>{run.daysRolled}</td>
            <td>{run.rowsRead}</td>
            <td>{run.durationMs}</td>
            <td>
              {run.status === "succeeded"
                ? t("statusSucceeded")
                : run.status === "failed"
                  ? t("statusFailed", { kind: run.errorKind ?? "other" })
                  : t("statusDeadLettered")}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The scheduled jobs' last runs, and a button that runs the roll-up now (admins of every centre). */
export function JobsPage({ locale }: StaffPageProps) {
  const t = jobsTranslator(locale);
  const [runs, setRuns] = useState<{ rollup: JobRun[]; purge: JobRun[] } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [centreNames, setCentreNames] = useState<ReadonlyMap<string, string>>(new Map());

  const load = () =>
    dataOrThrow(api.GET("/api/jobs/runs"))
      .then((found) => {
        setRuns(found);
        setProblem(null);
      })
      .catch((error) => setProblem(problemOf(error)));
  useEffect(() => {
    void load();
    // Each run names its centre; without the names (a failed read) the table shows ids.
    dataOrThrow(api.GET("/api/centres", { params: { query: { limit: 200, includeArchived: "true" } } }))
      .then((page) => setCentreNames(new Map(page.items.map((centre) => [centre.id, centre.name]))))
      .catch(() => undefined);
  }, []);

  async function runRollup() {
    setBusy(true);
    setNotice(null);
    try {
      const run = await dataOrThrow(api.POST("/api/jobs/rollup"));
      const failed = run.centres.filter((centre) => centre.status === "failed").length;
      const done = t("rollupDone", { days: run.daysRolled, rows: run.rowsRead, ms: run.durationMs });
      setNotice(failed > 0 ? `${done} ${t("failedCentres", { count: failed })}` : done);
      await load();
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="staff-page">
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      <p>
        <button type="button" class="primary" disabled={busy} onClick={runRollup}>
          {busy ? t("running") : t("runRollup")}
        </button>
      </p>
      <p role="status">{notice}</p>
      {problem && (
        <p class="error" role="alert">
          {t("loadError", { detail: problem.detail ?? problem.title })}
        </p>
      )}
      {!runs && !problem && <p class="loading">{t("loading")}</p>}
      {runs && (
        <>
          <RunsTable
            t={t}
            caption={t("rollupCaption")}
            runs={runs.rollup}
            locale={locale}
            centreNames={centreNames}
          />
          <RunsTable
            t={t}
            caption={t("purgeCaption")}
            runs={runs.purge}
            locale={locale}
            centreNames={centreNames}
          />
        </>
      )}
    </section>
  );
}
