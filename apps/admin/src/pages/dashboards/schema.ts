// The reports' answers as the dashboards read them: names for the generated API types (api-schema.gen.ts).
import type { Schemas } from "../../api.js";

export const PERIODS = [
  ["day", "periodDay"],
  ["week", "periodWeek"],
  ["month", "periodMonth"],
  ["quarter", "periodQuarter"],
  ["year", "periodYear"],
] as const;
export type ReportPeriod = (typeof PERIODS)[number][0];

export type VisitReport = Schemas["VisitReport"];
/** One period: protected figures carry cells and a list by language, the internal view plain numbers. */
export type VisitItem = VisitReport["items"][number];
export type EventPage = Schemas["EventPage"];
export type ServiceRow = Schemas["ServiceReportRow"];
export type ServicesReport = Schemas["ServicesReport"];
export type ArrivalsReport = Schemas["ArrivalsReport"];
export type ReferralsReport = Schemas["ReferralsReport"];

/** What every report answer starts with: how its figures are protected. */
export type ReportHead = Pick<VisitReport, "suppressed" | "protection" | "k" | "maxNoise">;

/** How a service is named in the tables: its name, or its id when the report has none. */
export function serviceLabel(row: ServiceRow): string {
  return row.serviceName ?? row.serviceId;
}
