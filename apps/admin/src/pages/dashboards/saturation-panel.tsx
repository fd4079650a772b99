// Capacity saturation: per period and service with a daily capacity, how much of it was used.
import { CaptionedTable, CellValue, type GridRange, type Loaded } from "../../components/report-parts.js";
import type { DashboardsT } from "../../i18n/pages/dashboards.js";
import { Panel, suppressedProps } from "./panel.js";
import { type ServiceRow, type ServicesReport, serviceLabel } from "./schema.js";

/** The rows of services with a capacity, with a meter of their utilisation and their saturated days. */
export function SaturationPanel(props: {
  t: DashboardsT;
  services: Loaded<ServicesReport>;
  /** The rows shown: services used in the period that have a capacity. */
  rows: ServiceRow[];
  query: URLSearchParams;
  range: GridRange;
  internal: boolean;
}) {
  const { t, services, rows: withCapacity } = props;
  const cells = suppressedProps(t);
  return (
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
  );
}
