// The reports' answers as the dashboards read them (the API's `VisitReport`, `ServicesReport`,
// `ArrivalsReport` and `ReferralsReport`), trimmed to the fields shown.
import type { ReportCell, ReportTable } from "./report-parts.js";

export const PERIODS = [
  ["day", "periodDay"],
  ["week", "periodWeek"],
  ["month", "periodMonth"],
  ["quarter", "periodQuarter"],
  ["year", "periodYear"],
] as const;
export type ReportPeriod = (typeof PERIODS)[number][0];

/** What every report answer starts with: how its figures are protected. */
export interface ReportHead {
  /** True when protected (perturbed); false only in the internal view. */
  suppressed: boolean;
  protection?: "cell-key" | "none";
  /** No protected count is 1…k−1. */
  k: number;
  /** The largest noise on a protected count of at least k; 0 for exact figures. */
  maxNoise?: number;
}

/** One period: protected figures carry cells and a list by language, the internal view plain numbers. */
export interface VisitItem {
  period: string;
  visits: ReportTable | number;
  firstVisits: ReportCell | number;
  uniqueVisitors: ReportCell | number;
  byLanguage?: Array<{ language: string; count: ReportCell }> | Record<string, number>;
}
export interface VisitReport extends ReportHead {
  items: VisitItem[];
}
export interface EventPage {
  items: Array<{ id: string; title: string; kind: string; startsOn: string; endsOn: string | null }>;
}
export interface ServiceRow {
  period: string;
  serviceId: string;
  serviceName: string | null;
  uses: ReportCell;
  quantity: ReportCell;
  used: ReportCell;
  capacity: number;
  utilisation: number | null;
  saturatedDayCount: number;
}
export interface ServicesReport extends ReportHead {
  items: ServiceRow[];
}
export interface ArrivalsReport extends ReportHead {
  daysWithData: number;
  table: ReportTable;
}
export interface ReferralsReport extends ReportHead {
  total: ReportCell;
  funnel: Array<{ status: string; count: ReportCell }>;
  timeToOutcome: Array<
    | {
        outcome: string;
        suppressed: false;
        count: number;
        medianSeconds: number | null;
        p90Seconds: number | null;
      }
    | { outcome: string; suppressed: true; reason: "primary" | "secondary" }
  >;
}
