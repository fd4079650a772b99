import { addDays, parsePeriod, roleCan } from "@halte/core";
import type { ComponentType } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { fieldError, type Problem } from "../api.js";
import { type DashboardsT, dashboardsTranslator, referralStatusLabels } from "../i18n/pages/dashboards.js";
import type { StaffPageProps } from "../main.js";
import type { AttendanceChart, ChartMarker, ChartPoint } from "./dashboards/attendance-chart.js";
import {
  CaptionedTable,
  CellValue,
  CentrePicker,
  cellNumber,
  ExportLinks,
  type Loaded,
  problemText,
  type ReportCell,
  type ReportTable,
  useCentreChoice,
  useGet,
} from "./dashboards/report-parts.js";

const PERIODS = [
  ["day", "periodDay"],
  ["week", "periodWeek"],
  ["month", "periodMonth"],
  ["quarter", "periodQuarter"],
  ["year", "periodYear"],
] as const;
type PeriodType = (typeof PERIODS)[number][0];

interface VisitItem {
  period: string;
  visits: ReportTable | number;
  firstVisits: ReportCell | number;
  uniqueVisitors: ReportCell | number;
}
interface VisitReport {
  suppressed: boolean;
  k: number;
  items: VisitItem[];
}
interface EventPage {
  items: Array<{ id: string; title: string; kind: string; startsOn: string; endsOn: string | null }>;
}
interface ServiceRow {
  period: string;
  serviceId: string;
  serviceName: string | null;
  uses: ReportCell;
  quantity: ReportCell;
  used: ReportCell;
  capacity: number;
  utilisation: number | null;
  saturatedDayCount: number;
}
interface ServicesReport {
  items: ServiceRow[];
}
interface ArrivalsReport {
  daysWithData: number;
  table: ReportTable;
}
interface ReferralsReport {
  total: ReportCell;
  funnel: Array<{ status: string; count: ReportCell }>;
  timeToOutcome: Array<
    | {
        outcome: string;
        suppressed: false;
        count: number;
        medianSeconds: number | null;
        p90Seconds: number | null;
      }
    | { outcome: string; suppressed: true; reason: "primary" | "secondary" }
  >;
}

/** Today on this device's calendar, YYYY-MM-DD. */
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

function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The period's first day at 00:00 UTC in seconds (the chart's x). */
function periodStartSeconds(code: string): number | null {
  const parsed = parsePeriod(code);
  if (!parsed.ok) return null;
  const [y, m, d] = parsed.value.start.split("-").map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / 1000;
}

function dayStartSeconds(day: string): number {
  const [y, m, d] = day.split("-").map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / 1000;
}

function visitsCell(item: VisitItem): ReportCell | number {
  return typeof item.visits === "number" ? item.visits : item.visits.grandTotal;
}

export function DashboardsPage({ locale, session }: StaffPageProps) {
  const t = dashboardsTranslator(locale);
  const { centreId, centres, choose } = useCentreChoice(session.user);
  const [period, setPeriod] = useState<PeriodType>("day");
  const [from, setFrom] = useState(() => addDays(today(), -27));
  const [to, setTo] = useState(today);
  const [internal, setInternal] = useState(false);
  const mayUnsuppress = roleCan(session.user.role, "reports:read-unsuppressed");
  const unsuppressed = internal && mayUnsuppress;

  const query = useMemo(() => {
    const q = new URLSearchParams();
    if (centreId) q.set("centreId", centreId);
    q.set("from", from);
    q.set("to", to);
    if (unsuppressed) q.set("disclosure", "none");
    return q;
  }, [centreId, from, to, unsuppressed]);
  const withPeriod = useMemo(() => {
    const q = new URLSearchParams(query);
    q.set("period", period);
    return q;
  }, [query, period]);
  const ready = centreId !== null && from !== "" && to !== "";

  const visits = useGet<VisitReport>(ready ? `/api/reports/visits?${withPeriod}` : null);
  const events = useGet<EventPage>(
    ready ? `/api/events?${new URLSearchParams({ centreId: centreId ?? "", from, to, limit: "200" })}` : null,
  );
  const services = useGet<ServicesReport>(ready ? `/api/reports/services?${withPeriod}` : null);
  const arrivals = useGet<ArrivalsReport>(ready ? `/api/reports/arrivals?${query}` : null);
  const referrals = useGet<ReferralsReport>(ready ? `/api/reports/referrals?${query}` : null);

  const rangeProblem = visits.problem;
  const fromError = fieldError(rangeProblem, "from");
  const toError = fieldError(rangeProblem, "to");
  const k = visits.data?.k;

  return (
    <section class="dashboards" aria-labelledby="dashboards-title">
      <h1 id="dashboards-title">{t("title")}</h1>
      <form class="report-controls" onSubmit={(event) => event.preventDefault()}>
        <CentrePicker label={t("centre")} centres={centres} value={centreId} onChange={choose} />
        <label class="field">
          <span>{t("periodType")}</span>
          <select
            name="period"
            value={period}
            onChange={(event) => setPeriod((event.target as HTMLSelectElement).value as PeriodType)}
          >
            {PERIODS.map(([value, key]) => (
              <option key={value} value={value}>
                {t(key)}
              </option>
            ))}
          </select>
        </label>
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
        k !== undefined && <p class="note">{t("suppressedNote", { max: k - 1 })}</p>
      )}

      <AttendancePanel t={t} visits={visits} events={events} query={withPeriod} period={period} />
      <ServicesPanels t={t} services={services} query={withPeriod} />
      <ArrivalsPanel t={t} arrivals={arrivals} query={query} />
      <ReferralsPanel t={t} locale={locale} referrals={referrals} query={query} />
    </section>
  );
}

function suppressedProps(t: DashboardsT) {
  return {
    suppressedLabel: t("suppressed"),
    suppressedTitle: (reason: string) =>
      t("suppressedTitle", { reason: reason === "primary" ? t("reasonPrimary") : t("reasonSecondary") }),
  };
}

function Failure(props: { t: DashboardsT; what: string; problem: Problem | null }) {
  const { problem, t } = props;
  if (!problem) return null;
  // A range the API refused is explained beside the date fields; the panels only say nothing was loaded.
  if (problem.status === 404 && !problem.code) return <p class="note">{t("notYet")}</p>;
  return (
    <p class="error" role="alert">
      {t("loadError", { what: props.what, detail: problemText(problem) })}
    </p>
  );
}

function Panel(props: {
  id: string;
  title: string;
  t: DashboardsT;
  report: string;
  query: URLSearchParams;
  children: preact.ComponentChildren;
}) {
  const { t } = props;
  return (
    <section class="report-panel" aria-labelledby={`${props.id}-title`} id={props.id}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.children}
      <ExportLinks
        path={`/api/reports/${props.report}`}
        query={props.query}
        label={t("exportOf", { what: props.title })}
        csvLabel={t("exportCsv")}
        hxlLabel={t("exportHxl")}
      />
    </section>
  );
}

/** The chart module (uPlot) is fetched on first use, so no other page carries it. */
function useChartComponent(): typeof AttendanceChart | null {
  const [chart, setChart] = useState<{ Chart: ComponentType<Parameters<typeof AttendanceChart>[0]> } | null>(
    null,
  );
  useEffect(() => {
    let live = true;
    void import("./dashboards/attendance-chart.js").then(
      (module) => live && setChart({ Chart: module.AttendanceChart }),
    );
    return () => {
      live = false;
    };
  }, []);
  return (chart?.Chart as typeof AttendanceChart | undefined) ?? null;
}

function AttendancePanel(props: {
  t: DashboardsT;
  visits: Loaded<VisitReport>;
  events: Loaded<EventPage>;
  query: URLSearchParams;
  period: PeriodType;
}) {
  const { t, visits, events } = props;
  const Chart = useChartComponent();
  const items = visits.data?.items ?? [];
  const points = useMemo<ChartPoint[]>(
    () =>
      items.flatMap((item) => {
        const x = periodStartSeconds(item.period);
        return x === null ? [] : [{ x, y: cellNumber(visitsCell(item)) }];
      }),
    [visits.data],
  );
  const eventList = events.data?.items ?? [];
  const markers = useMemo<ChartMarker[]>(
    () => eventList.map((event) => ({ x: dayStartSeconds(event.startsOn), label: event.title })),
    [events.data],
  );
  const cells = suppressedProps(t);
  return (
    <Panel id="attendance" title={t("attendance")} t={t} report="visits" query={props.query}>
      <Failure t={t} what={t("attendance")} problem={visits.problem} />
      {visits.data && items.length === 0 && <p class="note">{t("noData")}</p>}
      {items.length > 0 &&
        (Chart ? (
          <Chart
            points={points}
            markers={markers}
            seriesLabel={t("visits")}
            label={t("attendanceChart")}
            monthly={props.period !== "day" && props.period !== "week"}
          />
        ) : (
          <p class="loading">{t("chartLoading")}</p>
        ))}
      <h3>{t("events")}</h3>
      {eventList.length === 0 ? (
        <p class="note">{t("noEvents")}</p>
      ) : (
        <ul class="event-list">
          {eventList.map((event) => (
            <li key={event.id}>
              <time dateTime={event.startsOn}>{event.startsOn}</time>
              {event.endsOn && event.endsOn !== event.startsOn ? ` → ${event.endsOn}` : ""} — {event.title}
            </li>
          ))}
        </ul>
      )}
      {items.length > 0 && (
        <CaptionedTable
          id="attendance-table"
          class="figures"
          caption={t("attendanceTable")}
          headers={[t("period"), t("visits"), t("firstVisits"), t("uniqueVisitors")]}
        >
          <tbody>
            {items.map((item) => (
              <tr key={item.period}>
                <th scope="row">{item.period}</th>
                <td>
                  <CellValue cell={visitsCell(item)} {...cells} />
                </td>
                <td>
                  <CellValue cell={item.firstVisits} {...cells} />
                </td>
                <td>
                  <CellValue cell={item.uniqueVisitors} {...cells} />
                </td>
              </tr>
            ))}
          </tbody>
        </CaptionedTable>
      )}
    </Panel>
  );
}

function serviceLabel(row: ServiceRow): string {
  return row.serviceName ?? row.serviceId;
}

function ServicesPanels(props: { t: DashboardsT; services: Loaded<ServicesReport>; query: URLSearchParams }) {
  const { t, services } = props;
  // Periods where a service had no use at all would fill the page with zeros: they are left out (a
  // suppressed figure is not zero, so its row stays).
  const used = (row: ServiceRow) => row.uses.suppressed || row.uses.value > 0 || row.saturatedDayCount > 0;
  const rows = (services.data?.items ?? []).filter(used);
  const withCapacity = rows.filter((row) => row.capacity > 0);
  const cells = suppressedProps(t);
  return (
    <>
      <Panel id="service-use" title={t("serviceUse")} t={t} report="services" query={props.query}>
        <Failure t={t} what={t("serviceUse")} problem={services.problem} />
        {services.data && rows.length === 0 && <p class="note">{t("noUse")}</p>}
        {rows.length > 0 && <p class="note">{t("zeroRowsLeftOut")}</p>}
        {rows.length > 0 && (
          <CaptionedTable
            id="service-use"
            class="figures"
            caption={t("serviceUse")}
            headers={[t("period"), t("service"), t("uses"), t("peopleServed")]}
          >
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.period}-${row.serviceId}`}>
                  <th scope="row">{row.period}</th>
                  <td>{serviceLabel(row)}</td>
                  <td>
                    <CellValue cell={row.uses} {...cells} />
                  </td>
                  <td>
                    <CellValue cell={row.quantity} {...cells} />
                  </td>
                </tr>
              ))}
            </tbody>
          </CaptionedTable>
        )}
      </Panel>
      <Panel id="saturation" title={t("capacitySaturation")} t={t} report="services" query={props.query}>
        {services.data && withCapacity.length === 0 && <p class="note">{t("noUse")}</p>}
        {withCapacity.length > 0 && (
          <CaptionedTable
            id="saturation"
            class="figures"
            caption={t("capacitySaturation")}
            headers={[
              t("period"),
              t("service"),
              t("peopleServed"),
              t("capacity"),
              t("utilisation"),
              t("saturatedDays"),
            ]}
          >
            <tbody>
              {withCapacity.map((row) => (
                <tr key={`${row.period}-${row.serviceId}`}>
                  <th scope="row">{row.period}</th>
                  <td>{serviceLabel(row)}</td>
                  <td>
                    <CellValue cell={row.used} {...cells} />
                  </td>
                  <td>{row.capacity}</td>
                  <td>
                    {row.utilisation === null ? (
                      <CellValue cell={row.used.suppressed ? row.used : null} {...cells} />
                    ) : (
                      <span class="meter-cell">
                        <span
                          class="meter"
                          style={{ width: `${Math.min(100, Math.round(row.utilisation * 100))}%` }}
                        />
                        <span>{Math.round(row.utilisation * 100)} %</span>
                      </span>
                    )}
                  </td>
                  <td>{row.saturatedDayCount}</td>
                </tr>
              ))}
            </tbody>
          </CaptionedTable>
        )}
      </Panel>
    </>
  );
}

/** Shading of a heatmap cell: light to mid blue, always dark text on it (contrast ≥ 4.5:1). */
function shade(value: number | null, max: number): string | undefined {
  if (value === null || value === 0 || max === 0) return undefined;
  return `rgba(11, 83, 148, ${(0.08 + 0.52 * (value / max)).toFixed(2)})`;
}

function ArrivalsPanel(props: { t: DashboardsT; arrivals: Loaded<ArrivalsReport>; query: URLSearchParams }) {
  const { t, arrivals } = props;
  const table = arrivals.data?.table;
  const weekdays = t("weekdays").split(",");
  const cells = suppressedProps(t);
  const max = table
    ? Math.max(0, ...table.cells.flatMap((row) => row.map((cell) => cellNumber(cell) ?? 0)))
    : 0;
  return (
    <Panel id="arrivals" title={t("arrivals")} t={t} report="arrivals" query={props.query}>
      <Failure t={t} what={t("arrivals")} problem={arrivals.problem} />
      {table && (
        <CaptionedTable
          id="arrivals"
          class="heatmap"
          caption={t("arrivalsCaption", { days: arrivals.data?.daysWithData ?? 0 })}
          headers={[t("hour"), ...table.rowLabels.map((weekday, i) => weekdays[i] ?? weekday), t("total")]}
        >
          <tbody>
            {table.columnLabels.map((hour, j) => (
              <tr key={hour}>
                <th scope="row">{hour}</th>
                {table.rowLabels.map((weekday, i) => {
                  const cell = table.cells[i]?.[j];
                  return (
                    <td key={weekday} style={{ background: shade(cellNumber(cell), max) }}>
                      <CellValue cell={cell} {...cells} />
                    </td>
                  );
                })}
                <td class="total">
                  <CellValue cell={table.columnTotals[j]} {...cells} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t("total")}</th>
              {table.rowLabels.map((weekday, i) => (
                <td key={weekday} class="total">
                  <CellValue cell={table.rowTotals[i]} {...cells} />
                </td>
              ))}
              <td class="total">
                <CellValue cell={table.grandTotal} {...cells} />
              </td>
            </tr>
          </tfoot>
        </CaptionedTable>
      )}
    </Panel>
  );
}

function duration(t: DashboardsT, seconds: number | null): string {
  if (seconds === null) return "–";
  if (seconds >= 2 * 86_400) return t("days", { n: Math.round(seconds / 8640) / 10 });
  if (seconds >= 3600) return t("hours", { n: Math.round(seconds / 360) / 10 });
  return t("minutes", { n: Math.max(1, Math.round(seconds / 60)) });
}

function ReferralsPanel(props: {
  t: DashboardsT;
  locale: StaffPageProps["locale"];
  referrals: Loaded<ReferralsReport>;
  query: URLSearchParams;
}) {
  const { t, referrals } = props;
  const data = referrals.data;
  const labels = referralStatusLabels[props.locale];
  const cells = suppressedProps(t);
  const total = data ? cellNumber(data.total) : null;
  const label = (code: string) => (code === "all" ? t("allOutcomes") : (labels[code] ?? code));
  return (
    <Panel id="referrals" title={t("referrals")} t={t} report="referrals" query={props.query}>
      <Failure t={t} what={t("referrals")} problem={referrals.problem} />
      {data && (
        <>
          <CaptionedTable
            id="funnel"
            class="figures funnel"
            caption={t("referralFunnel")}
            headers={[t("status"), t("count")]}
          >
            <tbody>
              {data.funnel.map((step) => {
                const n = cellNumber(step.count);
                return (
                  <tr key={step.status}>
                    <th scope="row">{label(step.status)}</th>
                    <td>
                      <span class="meter-cell">
                        {n !== null && total ? (
                          <span class="meter" style={{ width: `${Math.round((100 * n) / total)}%` }} />
                        ) : null}
                        <CellValue cell={step.count} {...cells} />
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t("total")}</th>
                <td>
                  <CellValue cell={data.total} {...cells} />
                </td>
              </tr>
            </tfoot>
          </CaptionedTable>
          <CaptionedTable
            id="outcome"
            class="figures"
            caption={t("timeToOutcome")}
            headers={[t("outcome"), t("count"), t("median"), t("p90")]}
          >
            <tbody>
              {data.timeToOutcome.map((row) => (
                <tr key={row.outcome}>
                  <th scope="row">{label(row.outcome)}</th>
                  {row.suppressed ? (
                    [0, 1, 2].map((i) => (
                      <td key={i}>
                        <CellValue cell={row} {...cells} />
                      </td>
                    ))
                  ) : (
                    <>
                      <td>{row.count}</td>
                      <td>{duration(t, row.medianSeconds)}</td>
                      <td>{duration(t, row.p90Seconds)}</td>
                    </>
                  )}
                </tr>
              ))}
            </tbody>
          </CaptionedTable>
        </>
      )}
    </Panel>
  );
}
