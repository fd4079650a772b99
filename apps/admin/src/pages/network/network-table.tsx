// The network table: each partner of the centre, the services it provides, and the referrals made to it
// over the year (by status when the report has that breakdown), shaded by count.
import type { Schemas } from "../../api.js";
import { CaptionedTable, CellValue, cellNumber } from "../../components/report-parts.js";
import type { networkTranslator } from "../../i18n/pages/network.js";

/** Shading proportional to the count; dark text stays readable on every shade. */
function shade(value: number | null, max: number): string | undefined {
  if (value === null || value === 0 || max === 0) return undefined;
  return `rgba(11, 83, 148, ${(0.08 + 0.52 * (value / max)).toFixed(2)})`;
}

/** One row per partner; the referral figures as the report gives them (protected cells or exact counts). */
export function NetworkTable(props: {
  t: ReturnType<typeof networkTranslator>;
  statusLabels: Record<string, string>;
  partners: Schemas["Partner"][];
  services: Schemas["Service"][];
  report: Schemas["ReferralsReport"] | null;
  cells: { suppressedLabel: string; suppressedTitle: () => string };
}) {
  const { t, statusLabels, partners, report, cells } = props;
  const matrix = report?.partnerStatus;
  const counts = new Map((report?.byPartner ?? []).map((row) => [row.partnerId, row.count]));
  const rowsOf = new Map(matrix?.rowLabels.map((id, i) => [id, i]) ?? []);
  const max = Math.max(
    0,
    ...(matrix
      ? matrix.cells.flatMap((row) => row.map((cell) => cellNumber(cell) ?? 0))
      : [...counts.values()].map((cell) => cellNumber(cell) ?? 0)),
  );
  return (
    <CaptionedTable
      id="network"
      class="figures network-matrix"
      caption={t("matrixCaption")}
      headers={[
        t("partner"),
        t("services"),
        t("referrals"),
        ...(matrix?.columnLabels.map((status) => statusLabels[status] ?? status) ?? []),
      ]}
    >
      <tbody>
        {partners.map((partner) => {
          const provided = props.services.filter((service) => service.organizationId === partner.id);
          const row = rowsOf.get(partner.id);
          const total = counts.get(partner.id);
          return (
            <tr key={partner.id}>
              <th scope="row">{partner.name}</th>
              <td>{provided.length > 0 ? provided.map((s) => s.name).join(", ") : t("noServices")}</td>
              <td style={{ background: matrix ? undefined : shade(cellNumber(total), max) }}>
                <CellValue cell={total ?? (report ? 0 : null)} {...cells} />
              </td>
              {matrix?.columnLabels.map((status, j) => {
                const cell = row === undefined ? undefined : matrix.cells[row]?.[j];
                return (
                  <td key={status} style={{ background: shade(cellNumber(cell), max) }}>
                    <CellValue cell={cell ?? 0} {...cells} />
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </CaptionedTable>
  );
}
