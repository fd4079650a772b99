import {
  type AgeBand,
  type CsvColumn,
  csvLines,
  type DisclosedCell,
  type DisclosedServiceRow,
  type Gender,
  hxlAgeAttribute,
  hxlGenderAttribute,
  hxlTag,
  Id,
  publishServicePeople,
  publishServiceReport,
  publishServiceRows,
  type ServicePeriodFigures,
  SUPPRESSED_MARK,
  serviceReportRows,
} from "@halte/core";
import { type FiguresGrain, servicesOfCentres } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { permit } from "../../auth/middleware.js";
import type { Databases } from "../../databases.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { dayFields } from "./day-fields.js";
import { crossCentreDayFigures, pastMonthsAsOfField } from "./day-figures.js";
import {
  Cell,
  centresLabel,
  csvDownload,
  downloadName,
  protectionOf,
  ReportPeriod,
  ReportTable,
  reportHeadFields,
  reportScopeFields,
  resolveReportScope,
} from "./scope.js";

const ServicesQuery = z.object({
  ...reportScopeFields,
  period: ReportPeriod.default("month"),
  serviceId: Id.optional().openapi({ description: "Only this service (its rows, and totals over it alone)" }),
});

const SaturatedDay = z.object({ day: z.string(), used: z.int(), capacity: z.int() });

const ServiceReportRow = z
  .object({
    period: z.string(),
    serviceId: z.string(),
    serviceName: z.string().nullable(),
    uses: Cell.openapi({ description: "Use records" }),
    quantity: Cell.openapi({ description: "People served (sum of quantities)" }),
    used: Cell.openapi({ description: "People served on the days that have a capacity" }),
    capacity: z
      .int()
      .openapi({ description: "Sum of the daily capacities (schedule) of the period's open days" }),
    utilisation: z
      .number()
      .nullable()
      .openapi({ description: "used / capacity; null without capacity, or when `used` is hidden" }),
    saturatedDayCount: z.int().openapi({ description: "Days when use reached capacity" }),
    saturatedDays: z
      .array(SaturatedDay)
      .optional()
      .openapi({ description: "The saturated days themselves: unsuppressed (admin) views only" }),
    usesBy: z
      .object({
        ageBandGender: ReportTable.openapi({
          description:
            "Uses by the age band (rows) and gender (columns) of the visit each was recorded with; uses " +
            "without a visit (a partner's bulk report) are `unknown`. The grand total is `uses`.",
        }),
        languages: z.array(z.object({ language: z.string(), count: Cell })).openapi({
          description: "Uses by language spoken at the visit; a person may speak several",
        }),
      })
      .openapi({ description: "Who used the service" }),
  })
  .openapi("ServiceReportRow");

const ServicesReport = z
  .object({
    ...reportHeadFields,
    ...pastMonthsAsOfField,
    period: ReportPeriod,
    items: z.array(ServiceReportRow),
    totals: z.array(z.object({ period: z.string(), uses: Cell, quantity: Cell, used: Cell })),
  })
  .openapi("ServicesReport");

const servicesRoute = defineRoute({
  method: "get",
  path: "/reports/services",
  operationId: "getServiceReport",
  middleware: [permit("reports:read")] as const,
  tags: ["reports"],
  summary: "Service uses against capacity per period and service, for one or several centres",
  description:
    "Per period (day, week, month, quarter, year) and service: uses, people served, capacity over the " +
    "period (the sum of the schedule's daily capacity over the days that have one), utilisation and the " +
    "number of saturated days (use ≥ capacity). Protected callers get uses, people served and used through " +
    "consistent cell-key perturbation, for whole periods of `period` only (else 422), and the ratio of the " +
    "published `used`; `serviceId` narrows the report to one service. `disclosure=none` (admin views, JSON " +
    "only) gives exact figures and the saturated days themselves.",
  security: staffOrToken,
  request: { query: ServicesQuery },
  responses: {
    200: {
      description: "One row per period and service",
      content: { "application/json": { schema: ServicesReport }, "text/csv": { schema: z.string() } },
    },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "validation_failed",
    ),
  },
});

/** The stored grains whose periods each lie within one period of the report's grain, largest first. */
const NESTED_GRAINS = {
  day: [],
  week: [],
  month: ["month"],
  quarter: ["quarter", "month"],
  year: ["year", "quarter", "month"],
} as const satisfies Record<z.infer<typeof ReportPeriod>, readonly FiguresGrain[]>;

const visible = (value: number): DisclosedCell => ({ value, suppressed: false });

function openRows(rows: readonly ServicePeriodFigures[], k: number) {
  const items = rows.map((row) => ({
    period: row.period,
    serviceId: row.serviceId,
    serviceName: row.serviceName,
    uses: visible(row.uses),
    quantity: visible(row.quantity),
    used: visible(row.used),
    capacity: row.capacity,
    utilisation: row.utilisation,
    saturatedDayCount: row.saturatedDays.length,
    saturatedDays: row.saturatedDays.map(({ day, used, capacity }) => ({ day, used, capacity })),
    usesBy: publishServicePeople(row.people, null, k),
  }));
  const totals = [...new Set(rows.map((row) => row.period))].map((period) => {
    const of = rows.filter((row) => row.period === period);
    const sum = (pick: (row: ServicePeriodFigures) => number) =>
      visible(of.reduce((n, row) => n + pick(row), 0));
    return { period, uses: sum((r) => r.uses), quantity: sum((r) => r.quantity), used: sum((r) => r.used) };
  });
  return { items, totals };
}

function shown(cell: DisclosedCell): string | number {
  return cell.suppressed ? SUPPRESSED_MARK : cell.value;
}

/** The services of the centres, read from each database holding some of them, in id order (as one read). */
async function servicesOfScope(dbs: Databases, centreIds: readonly string[]) {
  const held = await dbs.databasesOf(centreIds);
  const rows = (await Promise.all(held.map((h) => servicesOfCentres(h.db, h.centreIds)))).flat();
  return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export const servicesReportRoutes = createRouter().openapi(servicesRoute, async (c) => {
  const query = c.req.valid("query");
  const scope = await resolveReportScope(c, query, { grid: query.period });
  const { dbs, now } = c.get("services");
  // Across centres by month, quarter or year: the stored day-level figures of the past periods that lie
  // within one of the report's (their people are the whole stored period's), day partials for the rest.
  const grains = NESTED_GRAINS[query.period];
  const cross =
    scope.centreIds.length > 1 && grains.length > 0
      ? await crossCentreDayFigures(dbs, scope, { report: "services", grains, ownMonths: true, now: now() })
      : null;
  const days = cross?.days ?? (await dayFields(dbs, scope));
  const services = await servicesOfScope(dbs, scope.centreIds);
  if (query.serviceId !== undefined && !services.some((service) => service.id === query.serviceId)) {
    throw new ApiProblem("not_found", "No such service in these centres");
  }
  // A filtered report is the same rows, fewer of them: each row's cells count the same records, with the
  // same keys, as in the full report, and its totals are then the row itself.
  const rows = serviceReportRows(days, services, {
    from: scope.from,
    to: scope.to,
    period: query.period,
  }).filter((row) => query.serviceId === undefined || row.serviceId === query.serviceId);
  const head = {
    centreIds: scope.centreIds,
    from: scope.from,
    to: scope.to,
    ...protectionOf(scope),
    ...(cross?.monthsAsOf ? { pastMonthsAsOf: cross.monthsAsOf } : {}),
    period: query.period,
  };
  if (scope.perturbation === null) return c.json({ ...head, ...openRows(rows, scope.k) }, 200);

  // Each period's figures are checked against the same report over its days (months, quarters), filtered
  // the same way (core's publishServiceReport, docs/disclosure.md step 8). Across centres by month or longer
  // the stored figures hold a period's people, not its days': those answers keep their rows' own lines
  // (step 7), whether or not last night's figures were there yet, so the same records always publish the
  // same (docs/disclosure.md, "What step 8 does not cover").
  const disclosed = {
    value:
      cross !== null
        ? publishServiceRows(rows, scope.perturbation)
        : publishServiceReport(
            days,
            services,
            { from: scope.from, to: scope.to, period: query.period },
            scope.perturbation,
            (row) => query.serviceId === undefined || row.serviceId === query.serviceId,
          ),
  };
  if (query.format !== "json") {
    const centre = centresLabel(scope);
    type Row = DisclosedServiceRow;
    const lines = csvLines<Row>(
      [
        { header: "Period", hxl: "#date", value: (row) => row.period },
        { header: "Centre", hxl: "#org", value: () => centre },
        { header: "Service id", hxl: "#service +code", value: (row) => row.serviceId },
        { header: "Service", hxl: "#service +name", value: (row) => row.serviceName },
        { header: "Uses", hxl: hxlTag("#indicator", "+uses", "+num"), value: (row) => shown(row.uses) },
        { header: "People served", hxl: hxlTag("#reached", "+ind"), value: (row) => shown(row.quantity) },
        {
          header: "Served on days with capacity",
          hxl: hxlTag("#reached", "+ind", "+capacity_days"),
          value: (row) => shown(row.used),
        },
        { header: "Capacity", hxl: hxlTag("#capacity", "+ind"), value: (row) => row.capacity },
        {
          header: "Utilisation",
          hxl: hxlTag("#indicator", "+utilisation", "+pct"),
          value: (row) => row.utilisation,
        },
        {
          header: "Saturated days",
          hxl: hxlTag("#indicator", "+saturated_days", "+num"),
          value: (row) => row.saturatedDayCount,
        },
        ...peopleColumns(disclosed.value.rows),
      ],
      disclosed.value.rows,
      { hxl: query.format === "csv-hxl" },
    );
    return csvDownload(c, lines, downloadName("services", scope)) as never;
  }
  return c.json({ ...head, items: disclosed.value.rows, totals: disclosed.value.totals }, 200);
});

/**
 * The CSV columns of who used each service: uses per age band and per gender (the margins of the age ×
 * gender table), then per language spoken in any row (0 where nobody spoke it).
 */
function peopleColumns(rows: readonly DisclosedServiceRow[]): CsvColumn<DisclosedServiceRow>[] {
  const first = rows[0]?.usesBy.ageBandGender;
  const ages = first?.rowLabels ?? [];
  const genders = first?.columnLabels ?? [];
  const languages = [
    ...new Set(rows.flatMap((row) => row.usesBy.languages.map((entry) => entry.language))),
  ].sort();
  const attribute = (label: string, known: (value: string) => string) =>
    label === "unknown" ? "+unknown" : known(label);
  return [
    ...ages.map((age, i) => ({
      header: `Uses aged ${age}`,
      hxl: hxlTag(
        "#indicator",
        "+uses",
        "+num",
        attribute(age, (a) => hxlAgeAttribute(a as AgeBand)),
      ),
      value: (row: DisclosedServiceRow) => shownOrZero(row.usesBy.ageBandGender.rowTotals[i]),
    })),
    ...genders.map((gender, j) => ({
      header: `Uses ${gender}`,
      hxl: hxlTag(
        "#indicator",
        "+uses",
        "+num",
        attribute(gender, (g) => hxlGenderAttribute(g as Gender)),
      ),
      value: (row: DisclosedServiceRow) => shownOrZero(row.usesBy.ageBandGender.columnTotals[j]),
    })),
    ...languages.map((language) => ({
      header: `Uses speaking ${language}`,
      hxl: hxlTag("#indicator", "+uses", "+num", `+lang_${language}`),
      value: (row: DisclosedServiceRow) =>
        shownOrZero(row.usesBy.languages.find((entry) => entry.language === language)?.count),
    })),
  ];
}

function shownOrZero(cell: DisclosedCell | undefined): string | number {
  return cell === undefined ? 0 : shown(cell);
}
