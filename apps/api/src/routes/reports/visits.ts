import {
  emptyVisitAggregate,
  Id,
  publishVisitorGroups,
  publishVisitPeriod,
  publishVisitPeriods,
  type VisitAggregate,
  visitFiguresCsv,
} from "@halte/core";
import { z } from "@hono/zod-openapi";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { crossCentrePartials } from "./month-partials.js";
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
  visitPeriodPartials,
} from "./scope.js";

const ReportQuery = z.object({ ...reportScopeFields, period: ReportPeriod.default("month") });

/** Unique visitors (people with a card) by age band, gender and language; a person may be in several. */
const UniqueVisitorsBy = z
  .object({
    byAgeBand: z.array(z.object({ group: z.string(), count: Cell })),
    byGender: z.array(z.object({ group: z.string(), count: Cell })),
    byLanguage: z.array(z.object({ group: z.string(), count: Cell })),
  })
  .openapi("UniqueVisitorsBy");

/** Unsuppressed counts of one period, for the admin views only (never the visitor-code prefixes). */
const RawFigures = z.object({
  period: z.string(),
  visits: z.int(),
  firstVisits: z.int(),
  uniqueVisitors: z.int(),
  visitsWithCode: z.int(),
  byAgeBandGender: z.record(z.string(), z.record(z.string(), z.int())),
  byLanguage: z.record(z.string(), z.int()),
  byHour: z.array(z.int()),
  services: z.record(z.string(), z.unknown()),
  uniqueVisitorsBy: UniqueVisitorsBy,
});

const DisclosedFigures = z.object({
  period: z.string(),
  visits: ReportTable,
  /** Visits by language spoken; a person may speak several, so these add up to more than the visits. */
  byLanguage: z.array(z.object({ language: z.string(), count: Cell })),
  firstVisits: Cell,
  uniqueVisitors: Cell,
  uniqueVisitorsBy: UniqueVisitorsBy,
});

const VisitReport = z
  .object({
    /** The centre, when the report is of one centre. */
    centreId: Id.optional(),
    ...reportHeadFields,
    period: z.string(),
    pastMonthsAsOf: z
      .string()
      .optional()
      .openapi({
        description:
          "Across several centres by month, quarter or year: the past months come from month partials merged " +
          "by the nightly job, as of this instant (the oldest merge used); the month in progress from day partials",
      }),
    items: z.array(z.union([DisclosedFigures, RawFigures])),
  })
  .openapi("VisitReport");

const visitReportRoute = defineRoute({
  method: "get",
  path: "/reports/visits",
  operationId: "getVisitReport",
  middleware: [permit("reports:read")] as const,
  tags: ["reports"],
  summary:
    "Visit figures of one or several centres by day, week, month, quarter or year, with disclosure control",
  description:
    "Read from the day partials the scheduled roll-up keeps (figures lag the door by up to 15 minutes). " +
    "Protected by default with consistent cell-key perturbation (docs/disclosure.md): no count of 1…k−1 is " +
    "published, every count moves by at most the centre's maximum noise, and the same visits always give " +
    "the same figure. Protected answers must cover whole periods of `period` (else 422 with the allowed " +
    "range). `format=csv` or `csv-hxl` downloads the same figures as CSV (with the HXL hashtag row). With " +
    "`centreIds`, the centres' figures are merged and the highest of their parameters applies.",
  security: staffOrToken,
  request: { query: ReportQuery },
  responses: {
    200: {
      description: "The figures, one item per period",
      content: {
        "application/json": { schema: VisitReport },
        "text/csv": { schema: z.string() },
      },
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

function rawFigures(period: string, aggregate: VisitAggregate): z.infer<typeof RawFigures> {
  const {
    visitorCodes: _codes,
    visitorGroups: _groups,
    anonymisedGroups: _anonymisedGroups,
    anonymisedVisitors: _anonymisedVisitors,
    byAgeBand: _a,
    byGender: _g,
    keys: _keys,
    ...counts
  } = aggregate;
  return {
    period,
    ...counts,
    uniqueVisitorsBy: publishVisitorGroups(aggregate, null),
    byAgeBandGender: counts.byAgeBandGender as Record<string, Record<string, number>>,
  };
}

export const visitReportRoutes = createRouter().openapi(visitReportRoute, async (c) => {
  const query = c.req.valid("query");
  const scope = await resolveReportScope(c, query, { grid: query.period });
  const { dbs, now } = c.get("services");
  // Across centres by month or longer: stored figures for past periods (month-partials.ts).
  const fromMonths =
    scope.centreIds.length > 1 &&
    (query.period === "month" || query.period === "quarter" || query.period === "year")
      ? await crossCentrePartials(dbs, scope, {
          grain: query.period,
          now: now(),
          withServicePeople: scope.perturbation === null,
        })
      : null;
  // Else the centres' day partials, rolled up a page at a time (at most a page and a period held at once).
  const fromDays = fromMonths ? null : await visitPeriodPartials(dbs, scope, query.period);
  const byPeriod = fromDays?.byPeriod ?? fromMonths?.byPeriod ?? {};
  const periods = Object.keys(byPeriod).sort();
  const head = {
    ...(scope.centreIds.length === 1 ? { centreId: scope.centreIds[0] } : {}),
    centreIds: scope.centreIds,
    period: query.period,
    from: scope.from,
    to: scope.to,
    ...(fromMonths?.monthsAsOf ? { pastMonthsAsOf: fromMonths.monthsAsOf } : {}),
    ...protectionOf(scope),
  };

  const perturbation = scope.perturbation;
  if (perturbation === null) {
    const items = periods.map((p) => rawFigures(p, byPeriod[p] ?? emptyVisitAggregate()));
    return c.json({ ...head, items }, 200);
  }
  // From day partials, each period's figures are checked against its days' (months', quarters') own
  // answers (core's publishVisitPeriods, docs/disclosure.md step 8); the stored figures across centres
  // carry no days, so those periods are published by their own lines (docs/disclosure.md, limits).
  const items =
    fromDays !== null
      ? publishVisitPeriods(query.period, fromDays.days, byPeriod, perturbation)
      : periods.map((p) => publishVisitPeriod(p, byPeriod[p] ?? emptyVisitAggregate(), perturbation));
  if (query.format !== "json") {
    const centreName = centresLabel(scope);
    const lines = visitFiguresCsv(
      items.map((figures) => ({ centreName, figures })),
      { hxl: query.format === "csv-hxl" },
    );
    return csvDownload(c, lines, downloadName("visits", scope)) as never;
  }
  return c.json({ ...head, items }, 200);
});
