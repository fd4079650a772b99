// The referrals report as CSV (and HXL-tagged CSV): one row per published figure, a section column saying
// which table it belongs to. Hidden cells print as the suppressed mark, never as a number.
import {
  type CsvValue,
  csvLines,
  type DisclosedCell,
  hxlTag,
  type ReferralFigures,
  SUPPRESSED_MARK,
} from "@halte/core";
import { centresLabel, type ReportScope } from "./scope.js";

function shown(cell: DisclosedCell | undefined): CsvValue {
  if (cell === undefined) return "";
  return cell.suppressed ? SUPPRESSED_MARK : cell.value;
}

interface CsvRow {
  section: string;
  group?: string;
  need?: string;
  status?: string;
  partner?: string | null;
  outcome?: string;
  count: CsvValue;
  median?: CsvValue;
  p90?: CsvValue;
}

/** The tables of the JSON answer that the CSV repeats, as the route assembled them. */
export interface ReferralReportTables {
  published: ReferralFigures;
  people: {
    byAgeBand: Array<{ ageBand: string; count: DisclosedCell }>;
    byGender: Array<{ gender: string; count: DisclosedCell }>;
    byLanguage: Array<{ language: string; count: DisclosedCell }>;
  };
  funnel: Array<{ status: string; count: DisclosedCell }>;
  byNeed: Array<{ need: string; count: DisclosedCell }>;
  partnerRows: Array<{ partnerId: string; partnerName: string | null; count: DisclosedCell }>;
  names: ReadonlyMap<string, string>;
}

/** The CSV lines of the referrals report. */
export function referralCsvLines(
  scope: ReportScope,
  tables: ReferralReportTables,
  format: "csv" | "csv-hxl",
): Iterable<string> {
  const { published, people, funnel, byNeed, partnerRows, names } = tables;
  const { needStatus, byPartner, timeToOutcome } = published;
  const rows: CsvRow[] = [
    { section: "total", count: shown(needStatus.grandTotal) },
    ...funnel.map((f) => ({ section: "status", status: f.status, count: shown(f.count) })),
    ...byNeed.map((n) => ({ section: "need", need: n.need, count: shown(n.count) })),
    ...needStatus.rowLabels.flatMap((need, i) =>
      needStatus.columnLabels.map((status, j) => ({
        section: "need_status",
        need,
        status,
        count: shown(needStatus.cells[i]?.[j]),
      })),
    ),
    ...partnerRows.map((p) => ({
      section: "partner",
      partner: p.partnerName ?? p.partnerId,
      count: shown(p.count),
    })),
    ...byPartner.rowLabels.flatMap((partnerId, i) =>
      byPartner.columnLabels.map((status, j) => ({
        section: "partner_status",
        partner: names.get(partnerId) ?? partnerId,
        status,
        count: shown(byPartner.cells[i]?.[j]),
      })),
    ),
    ...people.byAgeBand.map((p) => ({ section: "age_band", group: p.ageBand, count: shown(p.count) })),
    ...people.byGender.map((p) => ({ section: "gender", group: p.gender, count: shown(p.count) })),
    ...people.byLanguage.map((p) => ({ section: "language", group: p.language, count: shown(p.count) })),
    ...timeToOutcome.map((t) =>
      t.suppressed
        ? {
            section: "time_to_outcome",
            outcome: t.outcome,
            count: SUPPRESSED_MARK,
            median: SUPPRESSED_MARK,
            p90: SUPPRESSED_MARK,
          }
        : {
            section: "time_to_outcome",
            outcome: t.outcome,
            count: t.count,
            median: t.medianSeconds,
            p90: t.p90Seconds,
          },
    ),
  ];
  const centre = centresLabel(scope);
  return csvLines<CsvRow>(
    [
      { header: "Centre", hxl: "#org", value: () => centre },
      { header: "From", hxl: "#date +start", value: () => scope.from },
      { header: "To", hxl: "#date +end", value: () => scope.to },
      { header: "Section", hxl: "#meta +section", value: (row) => row.section },
      { header: "Group", hxl: "#meta +group", value: (row) => row.group },
      { header: "Need", hxl: "#sector +need", value: (row) => row.need },
      { header: "Status", hxl: "#status", value: (row) => row.status },
      { header: "Partner", hxl: "#org +partner", value: (row) => row.partner },
      { header: "Outcome", hxl: "#status +outcome", value: (row) => row.outcome },
      { header: "Referrals", hxl: hxlTag("#reached", "+ind", "+referred"), value: (row) => row.count },
      { header: "Median seconds", hxl: "#indicator +median_seconds", value: (row) => row.median },
      { header: "P90 seconds", hxl: "#indicator +p90_seconds", value: (row) => row.p90 },
    ],
    rows,
    { hxl: format === "csv-hxl" },
  );
}
