// Service use and capacity saturation, per period and service.

import { CaptionedTable, CellValue, type GridRange, type Loaded } from "../../components/report-parts.js";
import type { DashboardSummaryT } from "../../i18n/pages/dashboard-summary.js";
import type { DashboardsT } from "../../i18n/pages/dashboards.js";
import { GroupsTable } from "./groups-table.js";
import { Failure, Panel, suppressedProps } from "./panel.js";
import { SaturationPanel } from "./saturation-panel.js";
import { type ServiceRow, type ServicesReport, serviceLabel } from "./schema.js";
import { ServicePeriodDetails } from "./service-period-details.js";
import { addTo, newTally, type Tally, tallyTotal } from "./totals.js";

/** Each service's uses and people served over the whole range, and its uses by age band and gender. */
function serviceTotals(rows: readonly ServiceRow[]) {
  const byService = new Map<
    string,
    { label: string; uses: Tally; quantity: Tally; ages: Tally; genders: Tally }
  >();
  for (const row of rows) {
    let entry = byService.get(row.serviceId);
    if (!entry) {
      entry = {
        label: serviceLabel(row),
        uses: newTally(),
        quantity: newTally(),
        ages: newTally(),
        genders: newTally(),
      };
      byService.set(row.serviceId, entry);
    }
    addTo(entry.uses, "all", row.uses);
    addTo(entry.quantity, "all", row.quantity);
    const table = row.usesBy.ageBandGender;
    table.rowLabels.forEach((age, i) => {
      addTo(entry.ages, age, table.rowTotals[i]);
    });
    table.columnLabels.forEach((gender, j) => {
      addTo(entry.genders, gender, table.columnTotals[j]);
    });
  }
  return [...byService.entries()].sort(([, a], [, b]) => tallyTotal(b.uses) - tallyTotal(a.uses));
}

/** A total over periods: the sum, or "suppressed" when every figure behind it was hidden. */
function TotalValue(props: { tally: Tally; cells: ReturnType<typeof suppressedProps> }) {
  const { tally } = props;
  if (tally.hidden && tallyTotal(tally) === 0) {
    return <CellValue cell={{ suppressed: true, reason: "primary" }} {...props.cells} />;
  }
  return <span>{tallyTotal(tally)}</span>;
}

export function ServicesPanels(props: {
  t: DashboardsT;
  ts: DashboardSummaryT;
  services: Loaded<ServicesReport>;
  query: URLSearchParams;
  range: GridRange;
  internal: boolean;
}) {
  const { t, ts, services } = props;
  // Periods where a service had no use at all would fill the page with zeros: they are left out (a
  // hidden figure is not zero, so its row stays; a protected count of 1…k−1 reads 0 and is left out too).
  const used = (row: ServiceRow) => row.uses.suppressed || row.uses.value > 0 || row.saturatedDayCount > 0;
  const rows = (services.data?.items ?? []).filter(used);
  const withCapacity = rows.filter((row) => row.capacity > 0);
  const cells = suppressedProps(t);
  const totals = serviceTotals(rows);
  return (
    <>
      <Panel
        id="service-use"
        title={t("serviceUse")}
        t={t}
        report="services"
        query={props.query}
        range={props.range}
        internal={props.internal}
      >
        <Failure t={t} what={t("serviceUse")} problem={services.problem} />
        {services.data && rows.length === 0 && <p class="note">{t("noUse")}</p>}
        {rows.length > 0 && (
          <CaptionedTable
            id="service-totals"
            class="figures"
            caption={ts("serviceTotals")}
            headers={[t("service"), t("uses"), t("peopleServed")]}
          >
            <tbody>
              {totals.map(([serviceId, total]) => (
                <tr key={serviceId}>
                  <th scope="row">{total.label}</th>
                  <td>
                    <TotalValue tally={total.uses} cells={cells} />
                  </td>
                  <td>
                    <TotalValue tally={total.quantity} cells={cells} />
                  </td>
                </tr>
              ))}
            </tbody>
          </CaptionedTable>
        )}
        {rows.length > 0 && (
          <GroupsTable
            t={t}
            id="service-users"
            caption={ts("serviceTotalsByGroup")}
            rowHeader={t("service")}
            rows={totals.map(([serviceId, total]) => ({
              key: serviceId,
              label: total.label,
              ages: total.ages.counts,
              genders: total.genders.counts,
            }))}
          />
        )}
        {rows.length > 0 && (
          // One row per period and service is long: folded, for whoever needs the detail.
          <ServicePeriodDetails t={t} ts={ts} rows={rows} />
        )}
      </Panel>
      <SaturationPanel
        t={t}
        services={services}
        rows={withCapacity}
        query={props.query}
        range={props.range}
        internal={props.internal}
      />
    </>
  );
}
