// Attendance: visits per period drawn as a chart with the context events, the table behind the chart,
// and visits by language spoken.
import { parsePeriod } from "@halte/core";
import type { ComponentType } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import {
  CaptionedTable,
  CellValue,
  cellNumber,
  type GridRange,
  type Loaded,
  type ReportCell,
} from "../../components/report-parts.js";
import type { DashboardSummaryT } from "../../i18n/pages/dashboard-summary.js";
import type { DashboardsT } from "../../i18n/pages/dashboards.js";
import type { StaffPageProps } from "../../staff-page.js";
import type { AttendanceChart, ChartMarker, ChartPoint } from "./attendance-chart.js";
import { AttendanceTable, EventList, visitsCell } from "./attendance-tables.js";
import { eventPeople } from "./event-people.js";
import { GroupsTable } from "./groups-table.js";
import { Failure, Panel, suppressedProps } from "./panel.js";
import { type EventPage, PERIODS, type ReportPeriod, type VisitItem, type VisitReport } from "./schema.js";

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

/** A period's visits by language: a list of cells when protected, a record of numbers in the internal view. */
function languageCounts(item: VisitItem): Map<string, ReportCell | number> {
  const raw = item.byLanguage;
  if (raw === undefined) return new Map();
  if (Array.isArray(raw)) return new Map(raw.map((row) => [row.language, row.count]));
  return new Map(Object.entries(raw));
}

/** The chart module (uPlot) is fetched on first use, so no other page carries it. */
function useChartComponent(): typeof AttendanceChart | null {
  const [chart, setChart] = useState<{ Chart: ComponentType<Parameters<typeof AttendanceChart>[0]> } | null>(
    null,
  );
  useEffect(() => {
    let live = true;
    void import("./attendance-chart.js").then(
      (module) => live && setChart({ Chart: module.AttendanceChart }),
    );
    return () => {
      live = false;
    };
  }, []);
  return (chart?.Chart as typeof AttendanceChart | undefined) ?? null;
}

/** Periods as rows, languages as columns (codes named in the staff language; "unknown" last). */
function LanguageTable(props: { t: DashboardsT; locale: StaffPageProps["locale"]; items: VisitItem[] }) {
  const { t, items } = props;
  const perPeriod = items.map((item) => [item.period, languageCounts(item)] as const);
  const languages = [...new Set(perPeriod.flatMap(([, counts]) => [...counts.keys()]))].sort((a, b) =>
    a === "unknown" ? 1 : b === "unknown" ? -1 : a.localeCompare(b),
  );
  if (languages.length === 0) return null;
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([props.locale], { type: "language" });
  } catch {
    names = null;
  }
  const name = (code: string) =>
    code === "unknown" ? t("languageNotGiven") : (safeName(names, code) ?? code);
  const cells = suppressedProps(t);
  return (
    <CaptionedTable
      id="languages"
      class="figures languages"
      caption={t("byLanguage")}
      headers={[t("period"), ...languages.map(name)]}
    >
      <tbody>
        {perPeriod.map(([period, counts]) => (
          <tr key={period}>
            <th scope="row">{period}</th>
            {languages.map((language) => (
              <td key={language}>
                <CellValue cell={counts.get(language) ?? 0} {...cells} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </CaptionedTable>
  );
}

function safeName(names: Intl.DisplayNames | null, code: string): string | undefined {
  try {
    return names?.of(code);
  } catch {
    return undefined;
  }
}

export function AttendancePanel(props: {
  t: DashboardsT;
  ts: DashboardSummaryT;
  locale: StaffPageProps["locale"];
  visits: Loaded<VisitReport>;
  events: Loaded<EventPage>;
  query: URLSearchParams;
  range: GridRange;
  internal: boolean;
  period: ReportPeriod;
}) {
  const { t, ts, visits, events } = props;
  const periodName = t(PERIODS.find(([code]) => code === props.period)?.[1] ?? "periodDay");
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
    () =>
      eventList.map((event) => ({
        x: dayStartSeconds(event.startsOn),
        label: event.title,
        ...eventPeople(event, props.locale),
      })),
    [events.data],
  );
  return (
    <Panel
      id="attendance"
      title={t("attendance")}
      t={t}
      report="visits"
      query={props.query}
      range={props.range}
      internal={props.internal}
    >
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
            xTitle={ts("axisPeriod", { period: periodName })}
            yTitle={ts("axisVisits")}
            legend={{
              series: ts("legendVisits", { period: periodName }),
              event: ts("legendEvent"),
              gap: ts("legendGap"),
            }}
          />
        ) : (
          <p class="loading">{t("chartLoading")}</p>
        ))}
      <EventList t={t} locale={props.locale} events={eventList} />
      {items.length > 0 && <AttendanceTable t={t} items={items} />}
      {items.length > 0 && <LanguageTable t={t} locale={props.locale} items={items} />}
      {items.length > 0 && (
        <GroupsTable
          t={t}
          id="unique-visitors-by-group"
          caption={t("uniqueVisitorsByGroup")}
          rowHeader={t("period")}
          rows={items.map((item) => ({
            key: item.period,
            label: item.period,
            ages: new Map(item.uniqueVisitorsBy.byAgeBand.map((entry) => [entry.group, entry.count])),
            genders: new Map(item.uniqueVisitorsBy.byGender.map((entry) => [entry.group, entry.count])),
          }))}
        />
      )}
    </Panel>
  );
}
