import { fieldError } from "../../api.js";
import { CentrePicker } from "../../components/report-parts.js";
import { dashboardSummaryTranslator } from "../../i18n/pages/dashboard-summary.js";
import { dashboardsTranslator } from "../../i18n/pages/dashboards.js";
import type { StaffPageProps } from "../../staff-page.js";
import { ArrivalsPanel } from "./arrivals-panel.js";
import { AttendancePanel } from "./attendance-panel.js";
import { LearningPanel } from "./learning-panel.js";
import { PeriodSummary } from "./period-summary.js";
import { ReferralsPanel } from "./referrals-panel.js";
import { PERIODS, type ReportHead, type ReportPeriod } from "./schema.js";
import { ServicesPanels } from "./services-panels.js";
import { useDashboardData } from "./use-dashboard-data.js";

/** How the figures are grouped: by day, week, month, quarter or year. */
function PeriodField(props: {
  t: ReturnType<typeof dashboardsTranslator>;
  value: ReportPeriod;
  onChange: (period: ReportPeriod) => void;
}) {
  const { t } = props;
  return (
    <label class="field">
      <span>{t("periodType")}</span>
      <select
        name="period"
        value={props.value}
        onChange={(event) => props.onChange((event.target as HTMLSelectElement).value as ReportPeriod)}
      >
        {PERIODS.map(([value, key]) => (
          <option key={value} value={value}>
            {t(key)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** One end of the report range: a date input with its label and, when set, its error. */
function DateField(props: {
  name: string;
  label: string;
  value: string;
  min?: string;
  max?: string;
  error: string | null | undefined;
  onChange: (value: string) => void;
}) {
  const errorId = `${props.name}-error`;
  return (
    <label class="field">
      <span>{props.label}</span>
      <input
        type="date"
        name={props.name}
        value={props.value}
        min={props.min}
        max={props.max}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? errorId : undefined}
        onChange={(event) => props.onChange((event.target as HTMLInputElement).value)}
      />
      {props.error && (
        <span id={errorId} class="error">
          {props.error}
        </span>
      )}
    </label>
  );
}

export function DashboardsPage({ locale, session }: StaffPageProps) {
  const t = dashboardsTranslator(locale);
  const ts = dashboardSummaryTranslator(locale);
  const {
    centreId,
    centres,
    choose,
    chosenPeriod,
    setPeriod,
    setFrom,
    setTo,
    from,
    to,
    period,
    internal,
    setInternal,
    mayUnsuppress,
    unsuppressed,
    byPeriodRange,
    onePeriodRange,
    shown,
    periodQuery,
    oneQuery,
    visits,
    events,
    services,
    arrivals,
    referrals,
  } = useDashboardData(session.user);
  const rangeProblem = visits.problem;
  const fromError = fieldError(rangeProblem, "from");
  const toError = fieldError(rangeProblem, "to");
  const head: ReportHead | null = visits.data ?? arrivals.data ?? referrals.data ?? services.data;
  const frame = { t, internal: unsuppressed };

  return (
    <section class="dashboards" aria-labelledby="dashboards-title">
      <h1 id="dashboards-title">{t("title")}</h1>
      <form class="report-controls" onSubmit={(event) => event.preventDefault()}>
        <CentrePicker label={t("centre")} centres={centres} value={centreId} onChange={choose} />
        <PeriodField t={t} value={period} onChange={setPeriod} />
        <DateField name="from" label={t("from")} value={from} max={to} error={fromError} onChange={setFrom} />
        <DateField name="to" label={t("to")} value={to} min={from} error={toError} onChange={setTo} />
        {mayUnsuppress && (
          <label class="check">
            <input
              type="checkbox"
              name="unsuppressed"
              checked={internal}
              onChange={(event) => setInternal((event.target as HTMLInputElement).checked)}
            />{" "}
            {t("unsuppressed")}
          </label>
        )}
      </form>
      {unsuppressed ? (
        <p class="internal-banner" role="status">
          {t("unsuppressedBanner")}
        </p>
      ) : (
        head?.suppressed && (
          <>
            <p class="note protection-note">
              {t("protectedNote", { k: head.k, max: head.k - 1, noise: head.maxNoise ?? 0 })}
            </p>
            <p class="note hidden-note">{ts("hiddenExplained", { k: head.k })}</p>
          </>
        )
      )}
      {chosenPeriod === null && period === "week" && <p class="note">{ts("autoPeriod")}</p>}
      <PeriodSummary
        t={t}
        ts={ts}
        locale={locale}
        visits={visits}
        range={shown(byPeriodRange)}
        internal={unsuppressed}
      />

      <AttendancePanel
        {...frame}
        ts={ts}
        locale={locale}
        visits={visits}
        events={events}
        query={periodQuery}
        range={byPeriodRange}
        period={period}
      />
      <ServicesPanels {...frame} ts={ts} services={services} query={periodQuery} range={byPeriodRange} />
      <ArrivalsPanel {...frame} arrivals={arrivals} query={oneQuery} range={onePeriodRange} />
      <ReferralsPanel
        {...frame}
        locale={locale}
        referrals={referrals}
        query={oneQuery}
        range={onePeriodRange}
      />
      <LearningPanel locale={locale} session={session} centreId={centreId} />
    </section>
  );
}
