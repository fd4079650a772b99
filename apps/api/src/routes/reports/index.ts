import {
  discloseVisitFigures,
  emptyVisitAggregate,
  Id,
  LocalDate,
  parseVisitAggregate,
  roleCan,
  rollUp,
  type VisitAggregate,
  visitFiguresCsv,
} from "@halte/core";
import { getCentre, rollupsBetween } from "@halte/db";
import { createRoute, z } from "@hono/zod-openapi";
import { authorize, permit } from "../../auth/middleware.js";
import { staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";

/** About three years of days: a report reads stored day partials, never raw rows. */
const MAX_DAYS = 1100;

const ReportQuery = z.object({
  centreId: Id.optional(),
  period: z.enum(["day", "week", "month", "quarter", "year"]).default("month"),
  from: LocalDate.openapi({ description: "First local day (YYYY-MM-DD), inclusive" }),
  to: LocalDate.openapi({ description: "Last local day (YYYY-MM-DD), inclusive" }),
  disclosure: z
    .enum(["suppressed", "none"])
    .default("suppressed")
    .openapi({
      description:
        "`none` (coordinators and admins only, JSON only) shows unsuppressed figures, labelled as such. " +
        "Every other caller, and every export, gets small-cell and secondary suppression.",
    }),
  format: z.enum(["json", "csv", "csv-hxl"]).default("json"),
});

/** A published figure, or the mark that it is hidden and why (a hidden value is never sent). */
const Cell = z.union([
  z.object({ value: z.int(), suppressed: z.literal(false) }),
  z.object({ suppressed: z.literal(true), reason: z.enum(["primary", "secondary"]) }),
]);

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
});

const DisclosedFigures = z.object({
  period: z.string(),
  visits: z.object({
    k: z.int(),
    rowLabels: z.array(z.string()),
    columnLabels: z.array(z.string()),
    cells: z.array(z.array(Cell)),
    rowTotals: z.array(Cell),
    columnTotals: z.array(Cell),
    grandTotal: Cell,
  }),
  firstVisits: Cell,
  uniqueVisitors: Cell,
});

const VisitReport = z
  .object({
    centreId: Id,
    period: z.string(),
    from: LocalDate,
    to: LocalDate,
    /** True when small cells are hidden (`suppressed: true` cells); false only in the admin views. */
    suppressed: z.boolean(),
    k: z.int(),
    items: z.array(z.union([DisclosedFigures, RawFigures])),
  })
  .openapi("VisitReport");

const visitReportRoute = createRoute({
  method: "get",
  path: "/reports/visits",
  middleware: [permit("reports:read")] as const,
  tags: ["reports"],
  summary: "Visit figures of a centre by day, week, month, quarter or year, with disclosure control",
  description:
    "Read from the day partials the scheduled roll-up keeps (figures lag the door by up to 15 minutes). " +
    "Suppressed by default with the centre's threshold (never below 3): cells 1…k−1 are hidden, and so are " +
    "enough others that no hidden cell can be recovered from the totals. `format=csv` or `csv-hxl` downloads " +
    "the same suppressed figures as CSV (with the HXL hashtag row).",
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
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

function rawFigures(period: string, aggregate: VisitAggregate): z.infer<typeof RawFigures> {
  const { visitorCodes: _codes, byAgeBand: _a, byGender: _g, ...counts } = aggregate;
  return {
    period,
    ...counts,
    byAgeBandGender: counts.byAgeBandGender as Record<string, Record<string, number>>,
  };
}

export const reportRoutes = createRouter().openapi(visitReportRoute, async (c) => {
  const query = c.req.valid("query");
  const principal = authorize(c, "reports:read", query.centreId);
  const centreId = query.centreId ?? principal.centreId;
  if (centreId === null) {
    throw new ApiProblem("validation_failed", "Say which centre", [
      { path: ["query", "centreId"], code: "required", message: "Required for callers of every centre" },
    ]);
  }
  const span = (Date.parse(query.to) - Date.parse(query.from)) / 86_400_000 + 1;
  if (span < 1 || span > MAX_DAYS) {
    throw new ApiProblem("validation_failed", "The range must run forwards and span at most 1,100 days", [
      { path: ["query", "to"], code: "invalid_value", message: `From ${query.from}, 1 to ${MAX_DAYS} days` },
    ]);
  }
  const unsuppressed = query.disclosure === "none";
  if (unsuppressed && !roleCan(principal.role, "reports:read-unsuppressed")) {
    throw new ApiProblem("forbidden", "Only the admin views show unsuppressed figures");
  }
  if (unsuppressed && query.format !== "json") {
    throw new ApiProblem("validation_failed", "Exports are always suppressed", [
      { path: ["query", "disclosure"], code: "invalid_value", message: "Use `suppressed` for CSV exports" },
    ]);
  }
  const { db } = c.get("services");
  const centre = await getCentre(db, centreId);
  if (!centre) throw new ApiProblem("not_found", "No such centre");

  const days: Record<string, VisitAggregate> = {};
  for (const row of await rollupsBetween(db, centreId, query.from, query.to)) {
    const parsed = parseVisitAggregate(row.aggregate);
    if (!parsed.ok) throw new Error(`stored partial of ${row.localDay} is unreadable`);
    days[row.localDay] = parsed.value;
  }
  const byPeriod =
    query.period === "day" ? days : (rollUp({ [centreId]: days }, query.period)[centreId] ?? {});
  const periods = Object.keys(byPeriod).sort();
  const k = centre.disclosureThreshold;

  if (unsuppressed) {
    return c.json(
      {
        centreId,
        period: query.period,
        from: query.from,
        to: query.to,
        suppressed: false,
        k,
        items: periods.map((p) => rawFigures(p, byPeriod[p] ?? emptyVisitAggregate())),
      },
      200,
    );
  }
  const items = periods.map((p) => {
    const disclosed = discloseVisitFigures(p, byPeriod[p] ?? emptyVisitAggregate(), { k });
    if (!disclosed.ok) throw new Error(`disclosure failed for ${p}: ${disclosed.error.code}`);
    return disclosed.value;
  });
  if (query.format !== "json") {
    const csv = [
      ...visitFiguresCsv(
        items.map((figures) => ({ centreName: centre.name, figures })),
        { hxl: query.format === "csv-hxl" },
      ),
    ].join("");
    return c.body(csv, 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="visits-${centre.slug}-${query.from}-${query.to}.csv"`,
    }) as never;
  }
  return c.json(
    { centreId, period: query.period, from: query.from, to: query.to, suppressed: true, k, items },
    200,
  );
});
