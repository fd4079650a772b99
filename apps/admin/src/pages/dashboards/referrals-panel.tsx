// Referrals: the funnel by current status and the time from request to outcome.

import {
  CaptionedTable,
  CellValue,
  cellNumber,
  type GridRange,
  type Loaded,
} from "../../components/report-parts.js";
import { type DashboardsT, referralStatusLabels } from "../../i18n/pages/dashboards.js";
import type { StaffPageProps } from "../../staff-page.js";
import { Failure, Panel, suppressedProps } from "./panel.js";
import type { ReferralsReport } from "./schema.js";

function duration(t: DashboardsT, seconds: number | null): string {
  if (seconds === null) return "–";
  if (seconds >= 2 * 86_400) return t("days", { n: Math.round(seconds / 8640) / 10 });
  if (seconds >= 3600) return t("hours", { n: Math.round(seconds / 360) / 10 });
  return t("minutes", { n: Math.max(1, Math.round(seconds / 60)) });
}

export function ReferralsPanel(props: {
  t: DashboardsT;
  locale: StaffPageProps["locale"];
  referrals: Loaded<ReferralsReport>;
  query: URLSearchParams;
  range: GridRange;
  internal: boolean;
}) {
  const { t, referrals } = props;
  const data = referrals.data;
  const labels = referralStatusLabels[props.locale];
  const cells = suppressedProps(t);
  const total = data ? cellNumber(data.total) : null;
  const label = (code: string) => (code === "all" ? t("allOutcomes") : (labels[code] ?? code));
  return (
    <Panel
      id="referrals"
      title={t("referrals")}
      t={t}
      report="referrals"
      query={props.query}
      range={props.range}
      internal={props.internal}
    >
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
