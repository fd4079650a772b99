// Who a figure counts: one row per period (or period and service), one column per age band and gender.

import { CaptionedTable, CellValue, type ReportCell } from "../../components/report-parts.js";
import type { DashboardsT } from "../../i18n/pages/dashboards.js";
import { suppressedProps } from "./panel.js";

/** One row of a {@link GroupsTable}: its label and its counts by group (`18-59`, `female`, `unknown`…). */
export interface GroupsRow {
  readonly key: string;
  readonly label: string;
  readonly ages: ReadonlyMap<string, ReportCell | number>;
  readonly genders: ReadonlyMap<string, ReportCell | number>;
}

const AGES = ["0-4", "5-11", "12-17", "18-59", "60+", "unknown"];
const GENDERS = ["female", "male", "other", "unknown"];

/** Counts by age band, then by gender; a group nobody is in reads 0, `unknown` is "not given". */
export function GroupsTable(props: {
  t: DashboardsT;
  id: string;
  caption: string;
  rowHeader: string;
  rows: readonly GroupsRow[];
}) {
  const { t } = props;
  const label = (group: string) => (group === "unknown" ? t("groupNotGiven") : group);
  const cells = suppressedProps(t);
  return (
    <CaptionedTable
      id={props.id}
      class="figures groups"
      caption={props.caption}
      headers={[
        props.rowHeader,
        ...AGES.map((age) => `${t("ageBand")} ${label(age)}`),
        ...GENDERS.map((gender) => `${t("gender")} ${label(gender)}`),
      ]}
    >
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.label}</th>
            {AGES.map((age) => (
              <td key={age}>
                <CellValue cell={row.ages.get(age) ?? 0} {...cells} />
              </td>
            ))}
            {GENDERS.map((gender) => (
              <td key={gender}>
                <CellValue cell={row.genders.get(gender) ?? 0} {...cells} />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </CaptionedTable>
  );
}
