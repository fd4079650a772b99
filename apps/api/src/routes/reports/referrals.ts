import {
  addDays,
  aggregateReferrals,
  type DisclosedCell,
  type DisclosedTable,
  emptyReferralAggregate,
  Id,
  mergeReferralAggregates,
  OUTCOMES,
  ReferralNeed,
  ReferralStatus,
  referralFigures,
  startOfLocalDay,
} from "@halte/core";
import { partnerNames, type ReferralReportPage, referralsForReport } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { permit } from "../../auth/middleware.js";
import type { Databases } from "../../databases.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { referralCsvLines } from "./referrals-csv.js";
import {
  Cell,
  csvDownload,
  downloadName,
  protectionOf,
  type ReportScope,
  ReportTable,
  reportHeadFields,
  reportScopeFields,
  resolveReportScope,
} from "./scope.js";

/** Referrals read per query: a report folds them page by page, never the whole table at once. */
const PAGE_SIZE = 500;

const ReferralsQuery = z.object({
  ...reportScopeFields,
  partnerId: Id.optional().openapi({
    description: "Only referrals to this partner (a partner: its own only)",
  }),
  need: ReferralNeed.optional().openapi({ description: "Only referrals for this need" }),
  status: ReferralStatus.optional().openapi({ description: "Only referrals now in this status" }),
  serviceId: Id.optional().openapi({ description: "Only referrals to this service" }),
});

const TimeToOutcome = z
  .union([
    z.object({
      outcome: z.enum(OUTCOMES),
      suppressed: z.literal(false),
      count: z.int(),
      medianSeconds: z.int().nullable(),
      p90Seconds: z.int().nullable(),
    }),
    z.object({
      outcome: z.enum(OUTCOMES),
      suppressed: z.literal(true),
      reason: z.enum(["primary", "secondary"]),
    }),
  ])
  .openapi("TimeToOutcome");

const ReferralsReport = z
  .object({
    ...reportHeadFields,
    /** Set when the caller is a partner: every figure is its own organisation's referrals only. */
    partnerId: z.string().nullable(),
    /** The filters the figures were narrowed by (a partner's own id always among them). */
    filters: z.object({
      partnerId: z.string().optional(),
      need: ReferralNeed.optional(),
      status: ReferralStatus.optional(),
      serviceId: z.string().optional(),
    }),
    total: Cell,
    funnel: z.array(z.object({ status: z.string(), count: Cell })),
    byNeed: z.array(z.object({ need: z.string(), count: Cell })),
    byPartner: z.array(z.object({ partnerId: z.string(), partnerName: z.string().nullable(), count: Cell })),
    needStatus: ReportTable,
    /** Partner × status (columns as `needStatus`): row totals are `byPartner`, column totals the funnel. */
    partnerStatus: ReportTable,
    timeToOutcome: z.array(TimeToOutcome),
    untimedOutcomes: z.int().nullable(),
    /** The people referred by age band (unknown last); the total of all referrals is `total`. */
    byAgeBand: z.array(z.object({ ageBand: z.string(), count: Cell })),
    byGender: z.array(z.object({ gender: z.string(), count: Cell })),
    /** By language spoken: a person may speak several, so these add up to more than `total`. */
    byLanguage: z.array(z.object({ language: z.string(), count: Cell })),
  })
  .openapi("ReferralsReport");

const referralsRoute = defineRoute({
  method: "get",
  path: "/reports/referrals",
  operationId: "getReferralReport",
  middleware: [permit("reports:read", "referrals:read")] as const,
  tags: ["reports"],
  summary: "Referral funnel, needs, partners and time to outcome over a range, for one or several centres",
  description:
    "Referrals created in the range (local days of each centre), counted by current status in the " +
    "lifecycle's order (the funnel), by need, by partner and need × status; and the time from request to " +
    "outcome (count, median and 90th percentile in seconds, nearest rank) per outcome and overall. Read " +
    "page by page from the referrals themselves (tens a day: no rollup table). Protected unless " +
    "`disclosure=none` (admin views, JSON only): every count goes through consistent cell-key " +
    "perturbation, so a total shared by several tables has one published value; a median and p90 are " +
    "shown only where the published count of timed outcomes is above k; the range must be exactly one day, ISO week, month, quarter " +
    "or year (else 422). Filters (`partnerId`, `need`, `status`, `serviceId`) narrow the referrals counted. " +
    "A partner (API token or partner user) sees its own organisation's referrals only, always protected, " +
    "and may not filter by another partner (403). The people referred are also counted by age band, " +
    "gender and language.",
  security: staffOrToken,
  request: { query: ReferralsQuery },
  responses: {
    200: {
      description: "The figures",
      content: { "application/json": { schema: ReferralsReport }, "text/csv": { schema: z.string() } },
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

/** The filters a referrals report applies, as the referrals query module takes them. */
type ReferralReportFilters = Pick<ReferralReportPage, "partnerId" | "need" | "status" | "serviceId">;

/** Folds the scope's referrals, page by page, into one aggregate and the partner × status counts. */
async function collectReferrals(dbs: Databases, scope: ReportScope, filters: ReferralReportFilters) {
  let aggregate = emptyReferralAggregate();
  const partnerStatus: Record<string, Record<string, number>> = {};
  for (const centre of scope.centres) {
    const timeZone = centre.openingHours.timeZone;
    const createdFrom = startOfLocalDay(scope.from, timeZone).toISOString();
    const createdBefore = startOfLocalDay(addDays(scope.to, 1), timeZone).toISOString();
    const db = await dbs.dbFor(centre.id);
    let afterId: string | undefined;
    for (;;) {
      const page = await referralsForReport(db, {
        centreId: centre.id,
        ...filters,
        // A partner counts only what was sent to it: what its own referral list shows.
        ...(scope.partnerId === null ? {} : { sentOnly: true }),
        createdFrom,
        createdBefore,
        ...(afterId === undefined ? {} : { afterId }),
        limit: PAGE_SIZE,
      });
      aggregate = mergeReferralAggregates(aggregate, aggregateReferrals(page));
      for (const referral of page) {
        const row = partnerStatus[referral.partnerId] ?? {};
        row[referral.status] = (row[referral.status] ?? 0) + 1;
        partnerStatus[referral.partnerId] = row;
      }
      if (page.length < PAGE_SIZE) break;
      afterId = page.at(-1)?.id;
    }
  }

  return { aggregate, partnerStatus };
}

export const referralsReportRoutes = createRouter().openapi(referralsRoute, async (c) => {
  const query = c.req.valid("query");
  const scope = await resolveReportScope(c, query, { allowPartner: true, grid: "one-period" });
  const { db, dbs } = c.get("services");
  if (scope.partnerId !== null && query.partnerId !== undefined && query.partnerId !== scope.partnerId) {
    throw new ApiProblem("forbidden", "A partner reads its own organisation's referrals only");
  }
  const partnerFilter = scope.partnerId ?? query.partnerId;
  const filters = {
    ...(partnerFilter === undefined ? {} : { partnerId: partnerFilter }),
    ...(query.need === undefined ? {} : { need: query.need }),
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.serviceId === undefined ? {} : { serviceId: query.serviceId }),
  };

  const { aggregate, partnerStatus } = await collectReferrals(dbs, scope, filters);

  const published = referralFigures(aggregate, {
    k: scope.k,
    perturbation: scope.perturbation,
    partnerStatus,
    ...(partnerFilter === undefined ? {} : { partnerIds: [partnerFilter] }),
  });
  const figures = { value: published };
  const { needStatus, byPartner, timeToOutcome, untimedOutcomes } = published;
  /** A one-column table of people as `[label, cell]` pairs (in such a table a row is its cell). */
  const groups = (table: DisclosedTable) =>
    table.rowLabels.map((label, i) => [label, table.cells[i]?.[0] as DisclosedCell] as const);
  const people = {
    byAgeBand: groups(figures.value.byAgeBand).map(([ageBand, count]) => ({ ageBand, count })),
    byGender: groups(figures.value.byGender).map(([gender, count]) => ({ gender, count })),
    byLanguage: groups(figures.value.byLanguage).map(([language, count]) => ({ language, count })),
  };
  const names = await partnerNames(db, byPartner.rowLabels);
  const funnel = needStatus.columnLabels.map((status, j) => ({
    status,
    count: needStatus.columnTotals[j] as DisclosedCell,
  }));
  const byNeed = needStatus.rowLabels.map((need, i) => ({
    need,
    count: needStatus.rowTotals[i] as DisclosedCell,
  }));
  const partnerRows = byPartner.rowLabels.map((partnerId, i) => ({
    partnerId,
    partnerName: names.get(partnerId) ?? null,
    count: byPartner.rowTotals[i] as DisclosedCell,
  }));

  if (query.format !== "json") {
    const lines = referralCsvLines(
      scope,
      { published, people, funnel, byNeed, partnerRows, names },
      query.format,
    );
    return csvDownload(c, lines, downloadName("referrals", scope)) as never;
  }
  return c.json(
    {
      centreIds: scope.centreIds,
      from: scope.from,
      to: scope.to,
      ...protectionOf(scope),
      partnerId: scope.partnerId,
      filters,
      total: needStatus.grandTotal,
      funnel,
      byNeed,
      byPartner: partnerRows,
      needStatus,
      partnerStatus: byPartner,
      timeToOutcome,
      untimedOutcomes,
      ...people,
    },
    200,
  );
});
