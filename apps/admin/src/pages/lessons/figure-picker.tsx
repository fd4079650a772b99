import { localDateOf, periodOfDate } from "@halte/core";
import { useState } from "preact/hooks";
import { api, dataOrThrow } from "../../api.js";
import { FALLBACK_TIME_ZONE, problemText, useGet } from "../../components/report-parts.js";
import type { LessonsT } from "../../i18n/pages/lessons.js";
import type { StaffPageProps } from "../../staff-page.js";
import type { Evidence } from "./shared.js";

type Figure = NonNullable<Evidence["figure"]>;
type PeriodType = "month" | "quarter" | "year";
type Cell = { value: number; suppressed: false } | { suppressed: true; reason: string };

/** The protected visit figures of one period, as the report publishes them (never the raw counts). */
interface PublishedPeriod {
  period: string;
  visits: { grandTotal: Cell };
  firstVisits: Cell;
  uniqueVisitors: Cell;
  byLanguage: Array<{ language: string; count: Cell }>;
}

const publishedValue = (cell: Cell | undefined): number | null =>
  cell && !cell.suppressed ? cell.value : null;

function breakdowns(item: PublishedPeriod): Array<[string, number | null]> {
  return [
    ["visits", publishedValue(item.visits.grandTotal)],
    ["firstVisits", publishedValue(item.firstVisits)],
    ["uniqueVisitors", publishedValue(item.uniqueVisitors)],
    ...item.byLanguage.map(({ language, count }): [string, number | null] => [
      `language:${language}`,
      publishedValue(count),
    ]),
  ];
}

/**
 * The report year: the one in progress on the centre's calendar, not the device's (they differ around New
 * Year), until one is typed; "" while the centre's zone is unknown (Europe/Paris if it cannot be read).
 */
function useReportYear(centreId: string): [string, (year: string) => void] {
  const centre = useGet(`centre:${centreId}`, () =>
    dataOrThrow(api.GET("/api/centres/{centreId}", { params: { path: { centreId } } })),
  );
  const timeZone = centre.data
    ? centre.data.openingHours.timeZone
    : centre.problem
      ? FALLBACK_TIME_ZONE
      : null;
  const [typed, setTyped] = useState<string | null>(null);
  const current = timeZone === null ? "" : periodOfDate("year", localDateOf(new Date(), timeZone)).code;
  return [typed ?? current, setTyped];
}

/**
 * Picks a figure from the visits report as it is published (disclosure-controlled): a year, months or
 * quarters or the year, a period, a breakdown. The value shown is the one the report publishes now; it is
 * stored with the lesson with the moment it was read, so the guide prints what the contributor saw.
 */
export function FigurePicker(props: {
  t: LessonsT;
  locale: StaffPageProps["locale"];
  centreId: string;
  /** Holds the figure currently chosen; the evidence editor reads it when the evidence is added. */
  picked: { current: Figure | null };
}) {
  const { t } = props;
  const [year, setYear] = useReportYear(props.centreId);
  const [periodType, setPeriodType] = useState<PeriodType>("month");
  const [period, setPeriod] = useState("");
  const [breakdown, setBreakdown] = useState("visits");
  const validYear = /^\d{4}$/.test(year);
  const query = { centreId: props.centreId, from: `${year}-01-01`, to: `${year}-12-31`, period: periodType };
  const report = useGet(validYear ? JSON.stringify(query) : null, () =>
    dataOrThrow(api.GET("/api/reports/visits", { params: { query } })),
  );
  const items = ((report.data?.items ?? []) as unknown as PublishedPeriod[]).filter(
    (item) => "visits" in item,
  );
  const chosen = items.find((item) => item.period === period) ?? items.at(-1);
  const options = chosen ? breakdowns(chosen) : [];
  const picked = options.find(([code]) => code === breakdown) ?? options[0];
  const number = new Intl.NumberFormat(props.locale === "fr" ? "fr-FR" : "en-GB");

  const label = (code: string) =>
    code.startsWith("language:")
      ? t("breakdownLanguage", { language: languageName(code.slice(9), props.locale) })
      : t(
          ({ visits: "breakdownVisits", firstVisits: "breakdownFirstVisits" } as const)[
            code as "visits" | "firstVisits"
          ] ?? "breakdownUniqueVisitors",
        );

  const figure: Figure | null =
    chosen && picked
      ? {
          report: "visits",
          periodType,
          period: chosen.period,
          breakdown: picked[0],
          value: picked[1],
          publishedAt: new Date().toISOString(),
        }
      : null;
  props.picked.current = figure;

  return (
    <div class="figure-picker">
      <p>{t("figureReport")}</p>
      <label for="figure-year">{t("figureYear")}</label>
      <input
        id="figure-year"
        inputMode="numeric"
        maxLength={4}
        value={year}
        onInput={(event) => setYear((event.target as HTMLInputElement).value)}
      />
      <label for="figure-period-type">{t("figurePeriodType")}</label>
      <select
        id="figure-period-type"
        value={periodType}
        onChange={(event) => setPeriodType((event.target as HTMLSelectElement).value as PeriodType)}
      >
        <option value="month">{t("periodMonth")}</option>
        <option value="quarter">{t("periodQuarter")}</option>
        <option value="year">{t("periodYear")}</option>
      </select>
      {report.loading && <p class="loading">{t("figureLoading")}</p>}
      {report.problem && (
        <p class="error" role="alert">
          {t("failed", { detail: problemText(report.problem) })}
        </p>
      )}
      {items.length > 0 && (
        <>
          <label for="figure-period">{t("figurePeriod")}</label>
          <select
            id="figure-period"
            value={chosen?.period}
            onChange={(event) => setPeriod((event.target as HTMLSelectElement).value)}
          >
            {items.map((item) => (
              <option key={item.period} value={item.period}>
                {item.period}
              </option>
            ))}
          </select>
          <label for="figure-breakdown">{t("figureBreakdown")}</label>
          <select
            id="figure-breakdown"
            value={picked?.[0]}
            onChange={(event) => setBreakdown((event.target as HTMLSelectElement).value)}
          >
            {options.map(([code]) => (
              <option key={code} value={code}>
                {label(code)}
              </option>
            ))}
          </select>
          <p class="figure-value" aria-live="polite">
            {t("figureValue", {
              value:
                picked?.[1] === null || picked === undefined ? t("figureHidden") : number.format(picked[1]),
            })}
          </p>
        </>
      )}
    </div>
  );
}

export function languageName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}
