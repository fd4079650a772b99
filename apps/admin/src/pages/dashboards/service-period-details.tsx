// The service-use figures per period and service, folded under the totals.
import { CaptionedTable, CellValue } from "../../components/report-parts.js";
import type { DashboardSummaryT } from "../../i18n/pages/dashboard-summary.js";
import type { DashboardsT } from "../../i18n/pages/dashboards.js";
import { GroupsTable } from "./groups-table.js";
import { suppressedProps } from "./panel.js";
import { type ServiceRow, serviceLabel } from "./schema.js";

/** One row per period and service, folded: long, and only for whoever needs the detail. */
export function ServicePeriodDetails(props: { t: DashboardsT; ts: DashboardSummaryT; rows: ServiceRow[] }) {
  const { t, ts, rows } = props;
  const cells = suppressedProps(t);
  return (
    <details class="per-period">
      <summary>{ts("perPeriodDetails")}</summary>
      <p class="note">{t("zeroRowsLeftOut")}</p>
      <CaptionedTable
        id="service-use-periods"
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
      <GroupsTable
        t={t}
        id="service-users-periods"
        caption={t("usesByGroup")}
        rowHeader={`${t("period")} · ${t("service")}`}
        rows={rows.map((row) => {
          const table = row.usesBy.ageBandGender;
          return {
            key: `${row.period}-${row.serviceId}`,
            label: `${row.period} · ${serviceLabel(row)}`,
            ages: new Map(table.rowLabels.map((age, i) => [age, table.rowTotals[i] ?? 0])),
            genders: new Map(table.columnLabels.map((gender, j) => [gender, table.columnTotals[j] ?? 0])),
          };
        })}
      />
    </details>
  );
}
