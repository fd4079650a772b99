import { localDateOf, periodOfDate, roleCan } from "@halte/core";
import { useState } from "preact/hooks";
import { api, dataOrThrow } from "../../api.js";
import {
  CentrePicker,
  ExportLinks,
  problemText,
  useCentreChoice,
  useGet,
} from "../../components/report-parts.js";
import { referralStatusLabels } from "../../i18n/pages/dashboards.js";
import { networkTranslator } from "../../i18n/pages/network.js";
import type { StaffPageProps } from "../../staff-page.js";
import { NetworkTable } from "./network-table.js";

/**
 * The current calendar year on the centre's calendar, so far: the network is a slow-moving picture, and
 * protected figures are only published for whole grid periods (docs/disclosure.md), so a rolling twelve
 * months cannot be asked for. The year in progress holds this week's referrals, which the last full
 * quarter would not.
 */
function currentYear(timeZone: string): { code: string; from: string; to: string } {
  const year = periodOfDate("year", localDateOf(new Date(), timeZone));
  return { code: year.code, from: year.start, to: year.end };
}

/** Whether any figure of the network table reads "suppressed": the page then says what that means. */
function hasHiddenCell(report: {
  byPartner?: Array<{ count: unknown }>;
  partnerStatus?: { cells: unknown[][] } | null;
}): boolean {
  const hidden = (cell: unknown) =>
    typeof cell === "object" && cell !== null && (cell as { suppressed?: boolean }).suppressed === true;
  return (
    (report.byPartner ?? []).some((row) => hidden(row.count)) ||
    (report.partnerStatus?.cells ?? []).some((row) => row.some(hidden))
  );
}

export function NetworkPage({ locale, session }: StaffPageProps) {
  const t = networkTranslator(locale);
  const statusLabels = referralStatusLabels[locale];
  const { centreId, centres, choose, centre, timeZone } = useCentreChoice(session.user);
  const year = timeZone === null ? null : currentYear(timeZone);
  const from = year?.from ?? "";
  const to = year?.to ?? "";
  const scope = { centreId: centreId ?? "", limit: 200 };
  const partners = useGet(centreId ? `partners ${centreId}` : null, () =>
    dataOrThrow(api.GET("/api/partners", { params: { query: scope } })),
  );
  const services = useGet(centreId ? `services ${centreId}` : null, () =>
    dataOrThrow(api.GET("/api/services", { params: { query: scope } })),
  );
  const [internal, setInternal] = useState(false);
  // As on the dashboards: staff who may read exact figures can switch to them; the page says so.
  const mayUnsuppress = roleCan(session.user.role, "reports:read-unsuppressed");
  const unsuppressed = internal && mayUnsuppress;
  const reportQuery = { centreId: centreId ?? "", from, to };
  const askedQuery = { ...reportQuery, ...(unsuppressed ? { disclosure: "none" as const } : {}) };
  const referrals = useGet(centreId && year ? JSON.stringify(askedQuery) : null, () =>
    dataOrThrow(api.GET("/api/reports/referrals", { params: { query: askedQuery } })),
  );

  const problem = partners.problem ?? services.problem ?? referrals.problem;
  const report = referrals.data;
  // The table waits for the partners, their services and the referral figures, so no row shows "none"
  // or a dash for a moment before its figures arrive.
  const settled = (loaded: { data: unknown; problem: unknown }) =>
    loaded.data !== null || loaded.problem !== null;
  const ready = settled(partners) && settled(services) && settled(referrals);
  const partnerList = ready ? (partners.data?.items ?? []) : [];
  const cells = {
    suppressedLabel: locale === "fr" ? "masqué" : "suppressed",
    suppressedTitle: () => t("suppressedTitle"),
  };

  return (
    <section class="network" aria-labelledby="network-title">
      <h1 id="network-title">{t("title")}</h1>
      <p>{year ? t("intro", { year: year.code, from, to }) : null}</p>
      <CentrePicker label={t("centre")} centres={centres} value={centreId} onChange={choose} />
      {mayUnsuppress && (
        <label class="check">
          <input
            type="checkbox"
            name="unsuppressed"
            checked={internal}
            onChange={(event) => setInternal((event.target as HTMLInputElement).checked)}
          />{" "}
          {t("unsuppressed")}
        </label>
      )}
      {unsuppressed && (
        <p class="internal-banner" role="status">
          {t("unsuppressedBanner")}
        </p>
      )}
      {problem && (
        <p class="error" role="alert">
          {t("loadError", { detail: problemText(problem) })}
        </p>
      )}
      {centre?.name && <p class="hub">{t("hub", { centre: centre.name })}</p>}
      {ready && partners.data && partnerList.length === 0 && <p>{t("noPartners")}</p>}
      {partnerList.length > 0 && (
        <NetworkTable
          t={t}
          statusLabels={statusLabels}
          partners={partnerList}
          services={services.data?.items ?? []}
          report={report}
          cells={cells}
        />
      )}
      {report && !report.partnerStatus && <p class="note">{t("byStatusMissing")}</p>}
      {report?.suppressed && !unsuppressed && (
        <p class="note protection-note">
          {t("protectedNote", { k: report.k, max: report.k - 1, noise: report.maxNoise ?? 0 })}
        </p>
      )}
      {report && !unsuppressed && hasHiddenCell(report) && (
        <p class="note suppressed-note">{t("suppressedNote", { k: report.k })}</p>
      )}
      {centreId && year && (
        <ExportLinks
          path="/api/reports/referrals"
          query={new URLSearchParams(reportQuery)}
          label={t("export")}
          csvLabel={t("export")}
          hxlLabel={t("exportHxl")}
        />
      )}
    </section>
  );
}
