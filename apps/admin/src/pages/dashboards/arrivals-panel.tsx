// Arrivals by local hour and weekday: a heatmap that is a table, its numbers written in its cells.

import {
  CaptionedTable,
  CellValue,
  cellNumber,
  type GridRange,
  type Loaded,
} from "../../components/report-parts.js";
import type { DashboardsT } from "../../i18n/pages/dashboards.js";
import { Failure, Panel, suppressedProps } from "./panel.js";
import type { ArrivalsReport } from "./schema.js";

/** Shading of a heatmap cell: light to mid blue, always dark text on it (contrast ≥ 4.5:1). */
function shade(value: number | null, max: number): string | undefined {
  if (value === null || value === 0 || max === 0) return undefined;
  return `rgba(11, 83, 148, ${(0.08 + 0.52 * (value / max)).toFixed(2)})`;
}

export function ArrivalsPanel(props: {
  t: DashboardsT;
  arrivals: Loaded<ArrivalsReport>;
  query: URLSearchParams;
  range: GridRange;
  internal: boolean;
}) {
  const { t, arrivals } = props;
  const table = arrivals.data?.table;
  const weekdays = t("weekdays").split(",");
  const cells = suppressedProps(t);
  const max = table
    ? Math.max(0, ...table.cells.flatMap((row) => row.map((cell) => cellNumber(cell) ?? 0)))
    : 0;
  return (
    <Panel
      id="arrivals"
      title={t("arrivals")}
      t={t}
      report="arrivals"
      query={props.query}
      range={props.range}
      internal={props.internal}
    >
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
