// Service use and capacity saturation, per period and service.

import { CaptionedTable, CellValue, type GridRange, type Loaded } from "../../components/report-parts.js";
import type { DashboardsT } from "../../i18n/pages/dashboards.js";
import { Failure, Panel, suppressedProps } from "./panel.js";
import type { ServiceRow, ServicesReport } from "./schema.js";

function serviceLabel(row: ServiceRow): string {
  return row.serviceName ?? row.serviceId;
}

export function ServicesPanels(props: {
  t: DashboardsT;
  services: Loaded<ServicesReport>;
  query: URLSearchParams;
  range: GridRange;
  internal: boolean;
}) {
  const { t, services } = props;
  // Periods where a service had no use at all would fill the page with zeros: they are left out (a
  // hidden figure is not zero, so its row stays; a protected count of 1…k−1 reads 0 and is left out too).
  const used = (row: ServiceRow) => row.uses.suppressed || row.uses.value > 0 || row.saturatedDayCount > 0;
  const rows = (services.data?.items ?? []).filter(used);
  const withCapacity = rows.filter((row) => row.capacity > 0);
  const cells = suppressedProps(t);
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
      <Panel
        id="saturation"
        title={t("capacitySaturation")}
        t={t}
        report="services"
        query={props.query}
        range={props.range}
        internal={props.internal}
      >
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
