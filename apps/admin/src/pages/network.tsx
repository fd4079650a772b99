import { addDays } from "@halte/core";
import { referralStatusLabels } from "../i18n/pages/dashboards.js";
import { networkTranslator } from "../i18n/pages/network.js";
import type { StaffPageProps } from "../main.js";
import {
  CaptionedTable,
  CellValue,
  CentrePicker,
  cellNumber,
  ExportLinks,
  problemText,
  type ReportCell,
  type ReportTable,
  useCentreChoice,
  useGet,
} from "./dashboards/report-parts.js";

interface Named {
  id: string;
  name: string;
}
interface ServiceItem extends Named {
  organizationId: string | null;
}
interface ReferralsReport {
  k: number;
  byPartner: Array<{ partnerId: string; partnerName: string | null; count: ReportCell }>;
  /** Partner × status, when the API publishes it (rows: partner ids, columns: statuses). */
  partnerStatus?: ReportTable;
}

/** The last twelve months up to today: the network is a slow-moving picture. */
function range(): { from: string; to: string } {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  const to = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  return { from: addDays(to, -364), to };
}

/** Shading proportional to the count; dark text stays readable on every shade. */
function shade(value: number | null, max: number): string | undefined {
  if (value === null || value === 0 || max === 0) return undefined;
  return `rgba(11, 83, 148, ${(0.08 + 0.52 * (value / max)).toFixed(2)})`;
}

export function NetworkPage({ locale, session }: StaffPageProps) {
  const t = networkTranslator(locale);
  const statusLabels = referralStatusLabels[locale];
  const { centreId, centres, choose } = useCentreChoice(session.user);
  const { from, to } = range();
  const scope = centreId ? new URLSearchParams({ centreId, limit: "200" }) : null;
  const partners = useGet<{ items: Named[] }>(scope ? `/api/partners?${scope}` : null);
  const services = useGet<{ items: ServiceItem[] }>(scope ? `/api/services?${scope}` : null);
  const centre = useGet<Named>(centreId ? `/api/centres/${centreId}` : null);
  const reportQuery = new URLSearchParams({ centreId: centreId ?? "", from, to });
  const referrals = useGet<ReferralsReport>(centreId ? `/api/reports/referrals?${reportQuery}` : null);

  const problem = partners.problem ?? services.problem ?? referrals.problem;
  const report = referrals.data;
  const matrix = report?.partnerStatus;
  const counts = new Map((report?.byPartner ?? []).map((row) => [row.partnerId, row.count]));
  const rowsOf = new Map(matrix?.rowLabels.map((id, i) => [id, i]) ?? []);
  // The table waits for the partners, their services and the referral figures, so no row shows "none"
  // or a dash for a moment before its figures arrive.
  const settled = (loaded: { data: unknown; problem: unknown }) =>
    loaded.data !== null || loaded.problem !== null;
  const ready = settled(partners) && settled(services) && settled(referrals);
  const partnerList = ready ? (partners.data?.items ?? []) : [];
  const max = Math.max(
    0,
    ...(matrix
      ? matrix.cells.flatMap((row) => row.map((cell) => cellNumber(cell) ?? 0))
      : [...counts.values()].map((cell) => cellNumber(cell) ?? 0)),
  );
  const cells = {
    suppressedLabel: locale === "fr" ? "masqué" : "suppressed",
    suppressedTitle: () => t("suppressedNote", { k: report?.k ?? 5 }),
  };

  return (
    <section class="network" aria-labelledby="network-title">
      <h1 id="network-title">{t("title")}</h1>
      <p>{t("intro", { from, to })}</p>
      <CentrePicker label={t("centre")} centres={centres} value={centreId} onChange={choose} />
      {problem && (
        <p class="error" role="alert">
          {t("loadError", { detail: problemText(problem) })}
        </p>
      )}
      {centre.data && <p class="hub">{t("hub", { centre: centre.data.name })}</p>}
      {ready && partners.data && partnerList.length === 0 && <p>{t("noPartners")}</p>}
      {partnerList.length > 0 && (
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
            {partnerList.map((partner) => {
              const provided = (services.data?.items ?? []).filter(
                (service) => service.organizationId === partner.id,
              );
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
      )}
      {report && !matrix && <p class="note">{t("byStatusMissing")}</p>}
      {report && <p class="note">{t("suppressedNote", { k: report.k })}</p>}
      {centreId && (
        <ExportLinks
          path="/api/reports/referrals"
          query={reportQuery}
          label={t("export")}
          csvLabel={t("export")}
          hxlLabel={t("exportHxl")}
        />
      )}
    </section>
  );
}
