import { addDays, daysBetween, localDateOf, roleCan } from "@halte/core";
import { useState } from "preact/hooks";
import { api, dataOrThrow, fieldError } from "../../api.js";
import {
  CentrePicker,
  type GridRange,
  gridRange,
  useCentreChoice,
  useGet,
} from "../../components/report-parts.js";
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

/** A report's query string: the centre, a range and, for the internal view, `disclosure=none`. */
function reportQuery(
  centreId: string | null,
  range: { from: string; to: string },
  extra: Record<string, string>,
): URLSearchParams {
  const q = new URLSearchParams();
  if (centreId) q.set("centreId", centreId);
  q.set("from", range.from);
  q.set("to", range.to);
  for (const [key, value] of Object.entries(extra)) q.set(key, value);
  return q;
}

export function DashboardsPage({ locale, session }: StaffPageProps) {
  const t = dashboardsTranslator(locale);
  const ts = dashboardSummaryTranslator(locale);
  const { centreId, centres, choose, timeZone } = useCentreChoice(session.user);
  const [chosenPeriod, setPeriod] = useState<ReportPeriod | null>(null);
  // The dates the user picked; until then, the last 28 days up to today on the centre's calendar (not the
  // device's: a laptop in another zone must not shift the centre's days). Empty until the zone is known.
  const [chosenFrom, setFrom] = useState<string | null>(null);
  const [chosenTo, setTo] = useState<string | null>(null);
  const todayThere = timeZone === null ? null : localDateOf(new Date(), timeZone);
  const to = chosenTo ?? todayThere ?? "";
  const from = chosenFrom ?? (todayThere === null ? "" : addDays(todayThere, -27));
  // Until a grouping is chosen: by day up to two weeks, by week beyond (28 rows of days made the page
  // thousands of pixels tall for figures better read by the week).
  const autoWeeks = from !== "" && to !== "" && from <= to && daysBetween(from, to) + 1 > 14;
  const period: ReportPeriod = chosenPeriod ?? (autoWeeks ? "week" : "day");
  const [internal, setInternal] = useState(false);
  const mayUnsuppress = roleCan(session.user.role, "reports:read-unsuppressed");
  const unsuppressed = internal && mayUnsuppress;

  // Protected figures are only published for ranges on the grid: visits and services for whole periods
  // of the grouping, arrivals and referrals for exactly one day, week, month, quarter or year. The range
  // chosen is widened to the smallest such range; the internal view keeps the exact dates.
  const byPeriodRange = gridRange(from, to, period);
  const onePeriodRange = gridRange(from, to);
  const exact: GridRange = { from, to, snapped: false };
  const shown = (range: GridRange) => (unsuppressed ? exact : range);
  const periodQuery = reportQuery(centreId, byPeriodRange, { period });
  const oneQuery = reportQuery(centreId, onePeriodRange, {});
  const ready = centreId !== null && from !== "" && to !== "";
  const params = (range: GridRange) => ({
    ...(centreId ? { centreId } : {}),
    from: shown(range).from,
    to: shown(range).to,
    ...(unsuppressed ? { disclosure: "none" as const } : {}),
  });
  const byPeriod = { ...params(byPeriodRange), period };
  const onePeriod = params(onePeriodRange);
  const keyOf = (query: object) => (ready ? JSON.stringify(query) : null);

  const visits = useGet(keyOf(byPeriod), () =>
    dataOrThrow(api.GET("/api/reports/visits", { params: { query: byPeriod } })),
  );
  // The events of the range the attendance chart covers.
  const chartRange = shown(byPeriodRange);
  const eventQuery = { centreId: centreId ?? "", from: chartRange.from, to: chartRange.to, limit: 200 };
  const events = useGet(keyOf(eventQuery), () =>
    dataOrThrow(api.GET("/api/events", { params: { query: eventQuery } })),
  );
  const services = useGet(keyOf(byPeriod), () =>
    dataOrThrow(api.GET("/api/reports/services", { params: { query: byPeriod } })),
  );
  const arrivals = useGet(keyOf(onePeriod), () =>
    dataOrThrow(api.GET("/api/reports/arrivals", { params: { query: onePeriod } })),
  );
  const referrals = useGet(keyOf(onePeriod), () =>
    dataOrThrow(api.GET("/api/reports/referrals", { params: { query: onePeriod } })),
  );

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
