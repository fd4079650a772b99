import {
  ARRIVALS_LINES,
  addCellKeys,
  addGrid,
  arrivalsByWeekdayHour,
  arrivalsCellKeys,
  type CountTable,
  csvLines,
  type DisclosedCell,
  hxlTag,
  type KeyGrid,
  openTable,
  PeriodType,
  periodOfDate,
  publishArrivals,
  publishTable,
  SUPPRESSED_MARK,
} from "@halte/core";
import { z } from "@hono/zod-openapi";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { dayFields } from "./day-fields.js";
import { type CrossCentreDays, crossCentreDayFigures, pastMonthsAsOfField } from "./day-figures.js";
import {
  centresLabel,
  csvDownload,
  downloadName,
  protectionOf,
  ReportTable,
  reportHeadFields,
  reportScopeFields,
  resolveReportScope,
} from "./scope.js";

const ArrivalsQuery = z.object(reportScopeFields);

const ArrivalsReport = z
  .object({
    ...reportHeadFields,
    ...pastMonthsAsOfField,
    /** Local days in the range that have a stored partial. */
    daysWithData: z.int(),
    table: ReportTable.openapi({
      description:
        "Rows: ISO weekdays, `monday` first; columns: local hours `00`…`23`. Row totals are arrivals per " +
        "weekday, column totals per hour of the day, the grand total all arrivals of the range.",
    }),
  })
  .openapi("ArrivalsReport");

const arrivalsRoute = defineRoute({
  method: "get",
  path: "/reports/arrivals",
  operationId: "getArrivalReport",
  middleware: [permit("reports:read")] as const,
  tags: ["reports"],
  summary: "Arrivals by weekday × local hour over a range, for one or several centres",
  description:
    "A 7 × 24 table folded from the stored day partials: each local day's arrivals per hour of the centre's " +
    "clock (a DST night files arrivals under the hours the clock showed), under the ISO weekday of that day. " +
    "Protected by consistent perturbation like every report unless `disclosure=none` (admin views, JSON " +
    "only); protected answers cover exactly one day, ISO week, month, quarter or year (else 422). `format=csv` or " +
    "`csv-hxl` downloads one line per weekday and hour.",
  security: staffOrToken,
  request: { query: ArrivalsQuery },
  responses: {
    200: {
      description: "The table",
      content: { "application/json": { schema: ArrivalsReport }, "text/csv": { schema: z.string() } },
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

function shown(cell: DisclosedCell | undefined): string | number {
  if (cell === undefined) return "";
  return cell.suppressed ? SUPPRESSED_MARK : cell.value;
}

/** The table and its keys folded from day partials, with the stored periods' added (reports across centres). */
function withStored(counts: CountTable, keys: KeyGrid, cross: CrossCentreDays | null) {
  if (cross === null) return { counts, keys };
  const cells = counts.cells.map((row) => [...row]);
  addGrid(cells, cross.arrivals.counts, (a, b) => a + b);
  const summed = keys.map((row) => [...row]);
  addGrid(summed, cross.arrivals.keys, addCellKeys);
  return { counts: { ...counts, cells }, keys: summed };
}

export const arrivalsReportRoutes = createRouter().openapi(arrivalsRoute, async (c) => {
  const query = c.req.valid("query");
  // A weekday × hour table over a range is one cell per (weekday, hour) of the whole range: protected
  // callers get it for one grid period at a time, so no two answers overlap in part.
  const scope = await resolveReportScope(c, query, { grid: "one-period" });
  const { dbs, now } = c.get("services");
  // Across centres: the stored day-level figures of past months, quarters and years (day-figures.ts).
  const cross =
    scope.centreIds.length > 1
      ? await crossCentreDayFigures(dbs, scope, {
          report: "arrivals",
          grains: ["year", "quarter", "month"],
          ownMonths: true,
          now: now(),
        })
      : null;
  const days = cross?.days ?? (await dayFields(dbs, scope));
  // A protected range is exactly one grid period: one centre's cells are checked against its days' (and
  // months', quarters') own answers (core's publishArrivals, docs/disclosure.md step 8). Across centres the
  // stored figures hold a period's sums, not its days: every arrivals answer across centres keeps the
  // table's own lines (step 7), whether or not last night's figures were there yet, so the same records
  // always publish the same (docs/disclosure.md, "What step 8 does not cover").
  const type = PeriodType.options.find((t) => {
    const period = periodOfDate(t, scope.from);
    return period.start === scope.from && period.end === scope.to;
  });
  if (scope.perturbation !== null && type === undefined) throw new Error("a protected range is off the grid");
  const { counts, keys } = withStored(arrivalsByWeekdayHour(days), arrivalsCellKeys(days), cross);
  const table =
    scope.perturbation === null
      ? openTable(counts, scope.k)
      : cross !== null
        ? publishTable(counts, keys, scope.perturbation, ARRIVALS_LINES)
        : publishArrivals(type ?? "day", days, scope.perturbation);
  if (query.format !== "json") {
    const centre = centresLabel(scope);
    const rows = table.rowLabels.flatMap((weekday, i) =>
      table.columnLabels.map((hour, j) => ({ weekday, hour, cell: table.cells[i]?.[j] })),
    );
    const lines = csvLines(
      [
        { header: "Centre", hxl: "#org", value: () => centre },
        { header: "From", hxl: "#date +start", value: () => scope.from },
        { header: "To", hxl: "#date +end", value: () => scope.to },
        { header: "Weekday", hxl: "#date +weekday", value: (row: (typeof rows)[number]) => row.weekday },
        { header: "Hour", hxl: "#date +hour", value: (row: (typeof rows)[number]) => row.hour },
        {
          header: "Arrivals",
          hxl: hxlTag("#reached", "+ind"),
          value: (row: (typeof rows)[number]) => shown(row.cell),
        },
      ],
      rows,
      { hxl: query.format === "csv-hxl" },
    );
    return csvDownload(c, lines, downloadName("arrivals", scope)) as never;
  }
  return c.json(
    {
      centreIds: scope.centreIds,
      from: scope.from,
      to: scope.to,
      ...protectionOf(scope),
      ...(cross?.monthsAsOf ? { pastMonthsAsOf: cross.monthsAsOf } : {}),
      daysWithData: new Set([...Object.keys(days), ...(cross?.storedDays ?? [])]).size,
      table,
    },
    200,
  );
});
