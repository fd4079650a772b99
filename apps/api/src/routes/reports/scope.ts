import {
  addDays,
  type Centre,
  checkPublicationGrid,
  daysBetween,
  Id,
  LocalDate,
  type PeriodType,
  type PerturbationTable,
  parseVisitAggregate,
  perturbationTable,
  type RollUpPeriod,
  roleCan,
  type StreamedPeriods,
  StreamedRollUp,
} from "@halte/core";
import { centresByIds, rollupsBetween } from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { requirePrincipal } from "../../auth/middleware.js";
import { type Principal, reachesCentre } from "../../auth/principal.js";
import type { AppEnv } from "../../context.js";
import type { Databases } from "../../databases.js";
import { ApiProblem } from "../../problem.js";
import { storedJson } from "../../stored-json.js";

/**
 * What every report route shares: which centres (one, or several merged), the range of local days, the
 * disclosure mode and the format; who may ask for what; the threshold; the day partials; the CSV download.
 * The four report routes call it so the rules live once.
 */

/** About three years of days: a report reads stored day partials, never raw rows. */
export const MAX_DAYS = 1100;

/** The most centres one report merges. */
export const MAX_CENTRES = 50;

/** The query fields every report accepts. */
export const reportScopeFields = {
  centreId: Id.optional().openapi({ description: "The centre (defaults to the caller's own centre)" }),
  centreIds: z
    .string()
    .max(MAX_CENTRES * 65)
    .optional()
    .openapi({
      description:
        "Instead of `centreId`: up to 50 centre ids, comma-separated, whose figures are merged. Each must " +
        "exist and be the caller's; the threshold is the highest of theirs.",
      example: "0193a…,0193b…",
    }),
  from: LocalDate.openapi({ description: "First local day (YYYY-MM-DD), inclusive" }),
  to: LocalDate.openapi({ description: "Last local day (YYYY-MM-DD), inclusive" }),
  disclosure: z
    .enum(["perturbed", "suppressed", "none"])
    .default("perturbed")
    .openapi({
      description:
        "`perturbed` (the default; `suppressed` is its former name): every count goes through consistent " +
        "cell-key perturbation (docs/disclosure.md) and the range must lie on the publication grid. `none` " +
        "(coordinators and admins only, JSON only): exact internal figures, labelled `protection: none`, " +
        "for any range.",
    }),
  format: z.enum(["json", "csv", "csv-hxl"]).default("json"),
};

/** The period types of the reports that cut their range into periods. */
export const ReportPeriod = z.enum(["day", "week", "month", "quarter", "year"]);

type ScopeQuery = {
  centreId?: string | undefined;
  centreIds?: string | undefined;
  from: string;
  to: string;
  disclosure: "perturbed" | "suppressed" | "none";
  format: "json" | "csv" | "csv-hxl";
};

/** A report's resolved scope. */
export interface ReportScope {
  principal: Principal;
  /** The centres, in the order asked. */
  centres: Centre[];
  centreIds: string[];
  from: string;
  to: string;
  /** The threshold: the highest of the centres' (each is at least 3). */
  k: number;
  /** True only for `disclosure=none` asked by a role that may see it, in JSON. */
  unsuppressed: boolean;
  /** The perturbation of every other answer: the highest k and noise of the centres; null when unsuppressed. */
  perturbation: PerturbationTable | null;
  /** Set when the caller is a partner (no `reports:read`): the figures are its organisation's only. */
  partnerId: string | null;
}

function invalid(field: string, message: string, detail: string): ApiProblem {
  return new ApiProblem("validation_failed", detail, [
    { path: ["query", field], code: "invalid_value", message },
  ]);
}

function parseCentreIds(raw: string): string[] {
  const ids = raw
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  if (ids.length === 0) throw invalid("centreIds", "Name at least one centre", "Say which centres");
  if (ids.length > MAX_CENTRES) {
    throw invalid("centreIds", `At most ${MAX_CENTRES} centres`, "Too many centres for one report");
  }
  const bad = ids.find((id) => !Id.safeParse(id).success);
  if (bad !== undefined)
    throw invalid("centreIds", "Each id uses letters, digits, '_' or '-'", "Bad centre id");
  return [...new Set(ids)];
}

/**
 * Checks a report query and the caller against it: one of `centreId` / `centreIds` (or the caller's own
 * centre), a forward range of at most 1,100 days, `disclosure=none` only for roles holding
 * `reports:read-unsuppressed` and only in JSON, each centre the caller's (403) and existing (404).
 * Protected answers (everything but `disclosure=none`) must lie on the publication grid given by `grid`:
 * whole periods of that type, or exactly one period (`one-period`); else 422 naming the allowed range.
 * A caller without `reports:read` but with `referrals:read` (a partner) is let through only when
 * `allowPartner` is set, scoped to its own organisation and always protected.
 */
export async function resolveReportScope(
  c: Context<AppEnv>,
  query: ScopeQuery,
  options: { allowPartner?: boolean; grid: PeriodType | "one-period" },
): Promise<ReportScope> {
  const principal = requirePrincipal(c);
  let partnerId: string | null = null;
  if (!roleCan(principal.role, "reports:read")) {
    if (!options.allowPartner || !roleCan(principal.role, "referrals:read") || principal.partnerId === null) {
      throw new ApiProblem("forbidden", `The ${principal.role} role cannot read reports`);
    }
    partnerId = principal.partnerId;
  }
  if (query.centreId !== undefined && query.centreIds !== undefined) {
    throw invalid("centreIds", "Give `centreId` or `centreIds`, not both", "Say which centres once");
  }
  let centreIds: string[];
  if (query.centreIds !== undefined) centreIds = parseCentreIds(query.centreIds);
  else if (query.centreId !== undefined) centreIds = [query.centreId];
  else if (principal.centreId !== null) centreIds = [principal.centreId];
  else {
    throw new ApiProblem("validation_failed", "Say which centre", [
      { path: ["query", "centreId"], code: "required", message: "Required for callers of every centre" },
    ]);
  }
  const span = daysBetween(query.from, query.to) + 1;
  if (span < 1 || span > MAX_DAYS) {
    throw invalid(
      "to",
      `From ${query.from}, 1 to ${MAX_DAYS} days`,
      "The range must run forwards and span at most 1,100 days",
    );
  }
  const unsuppressed = query.disclosure === "none";
  if (unsuppressed && !roleCan(principal.role, "reports:read-unsuppressed")) {
    throw new ApiProblem("forbidden", "Only the admin views show unsuppressed figures");
  }
  if (unsuppressed && query.format !== "json") {
    throw invalid("disclosure", "Use `perturbed` for CSV exports", "Exports are always protected");
  }
  if (!unsuppressed || partnerId !== null) {
    const onGrid = checkPublicationGrid(
      query.from,
      query.to,
      options.grid === "one-period" ? undefined : options.grid,
    );
    if (!onGrid.ok) {
      const { allowedFrom, allowedTo, message } = onGrid.error;
      throw new ApiProblem(
        "validation_failed",
        `Protected figures are published on a grid of whole periods: ${message}. ` +
          `The nearest allowed range is ${allowedFrom} to ${allowedTo}.`,
        [
          { path: ["query", "from"], code: "off_grid", message: `Use ${allowedFrom}` },
          { path: ["query", "to"], code: "off_grid", message: `Use ${allowedTo}` },
        ],
      );
    }
  }
  for (const id of centreIds) {
    // A centre-bound caller's own centre; a partner's, every centre it works with (`partner_centres`).
    if (!reachesCentre(principal, id)) throw new ApiProblem("forbidden", "This centre is not yours");
  }
  const found = new Map((await centresByIds(c.get("services").db, centreIds)).map((ct) => [ct.id, ct]));
  const centres = centreIds.map((id) => found.get(id));
  if (centres.some((centre) => centre === undefined)) throw new ApiProblem("not_found", "No such centre");
  const known = centres as Centre[];
  const k = Math.max(...known.map((centre) => centre.disclosureThreshold));
  const maxNoise = Math.max(...known.map((centre) => centre.perturbationMaxNoise));
  const table = perturbationTable({ k, maxNoise });
  if (!table.ok) throw new Error(`centre perturbation parameters are invalid: ${table.error.message}`);
  return {
    principal,
    centres: known,
    centreIds,
    from: query.from,
    to: query.to,
    k,
    unsuppressed,
    perturbation: unsuppressed && partnerId === null ? null : table.value,
    partnerId,
  };
}

/** How many days of one centre's partials a report reads (and holds) at a time. */
export const PARTIAL_PAGE_DAYS = 31;

/** `[from, to]` cut into consecutive ranges of at most {@link PARTIAL_PAGE_DAYS} days, in order. */
export function* dayPages(from: string, to: string): Generator<{ from: string; to: string }> {
  for (let start = from; start <= to; ) {
    const end = addDays(start, Math.min(PARTIAL_PAGE_DAYS, daysBetween(start, to) + 1) - 1);
    yield { from: start, to: end };
    start = addDays(end, 1);
  }
}

/**
 * The scope's centres' stored day partials rolled up into periods of `type` as they are read
 * (`StreamedRollUp`): centre by centre, {@link PARTIAL_PAGE_DAYS} days at a time, each from its own database
 * (`dbs.dbFor`). What it holds at once is one page of partials and the period being rolled with its visitor
 * codes, whatever the range and the number of centres: a busy centre's three years of partials, read whole,
 * took ~130 MB (docs/scale.md, "What a report holds in memory"), past a Worker's 128 MB.
 */
export async function visitPeriodPartials(
  dbs: Databases,
  scope: ReportScope,
  type: RollUpPeriod,
): Promise<StreamedPeriods> {
  const roll = new StreamedRollUp(type);
  for (const centreId of scope.centreIds) {
    const db = await dbs.dbFor(centreId);
    for (const page of dayPages(scope.from, scope.to)) {
      for (const row of await rollupsBetween(db, centreId, page.from, page.to)) {
        roll.addDay(
          row.localDay,
          storedJson(parseVisitAggregate, row.aggregate, `partial of ${row.localDay}`),
        );
      }
    }
    roll.endCentre();
  }
  return roll.finish();
}

/** How the scope's centres are named in an export: one name, or the names joined with " + ". */
export function centresLabel(scope: ReportScope): string {
  return scope.centres.map((centre) => centre.name).join(" + ");
}

/** The file name of a download: `{report}-{slug or N-centres}-{from}-{to}.csv`. */
export function downloadName(report: string, scope: ReportScope): string {
  const who =
    scope.centres.length === 1 ? (scope.centres[0]?.slug ?? "centre") : `${scope.centres.length}-centres`;
  return `${report}-${who}-${scope.from}-${scope.to}.csv`;
}

/**
 * A CSV download streamed from lazily produced lines: the response starts at once and the lines are
 * encoded a batch at a time as the client reads, so no export is built whole in memory.
 */
export function csvDownload(c: Context<AppEnv>, lines: Iterable<string>, filename: string): Response {
  const iterator = lines[Symbol.iterator]();
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      for (let i = 0; i < 64; i++) {
        const next = iterator.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(next.value));
      }
    },
  });
  return c.body(stream, 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${filename}"`,
  });
}

/** A published figure, or the mark that it is hidden and why (a hidden value is never sent). */
export const Cell = z
  .union([
    z.object({ value: z.int(), suppressed: z.literal(false) }),
    z.object({ suppressed: z.literal(true), reason: z.enum(["primary", "secondary"]) }),
  ])
  .openapi("ReportCell");

/** A table as published: cells, row, column and grand totals, each a {@link Cell}. */
export const ReportTable = z
  .object({
    k: z.int(),
    rowLabels: z.array(z.string()),
    columnLabels: z.array(z.string()),
    cells: z.array(z.array(Cell)),
    rowTotals: z.array(Cell),
    columnTotals: z.array(Cell),
    grandTotal: Cell,
  })
  .openapi("ReportTable");

/** The fields every report answer starts with. */
export const reportHeadFields = {
  centreIds: z.array(Id),
  from: LocalDate,
  to: LocalDate,
  /** True when the figures are protected (perturbed); false only in the admin views' exact figures. */
  suppressed: z.boolean(),
  /** How the figures are protected: `cell-key` (consistent perturbation) or `none` (internal, exact). */
  protection: z.enum(["cell-key", "none"]),
  /** No published count is 1…k−1. */
  k: z.int(),
  /** The largest noise on a published count of at least k (0 for exact figures). */
  maxNoise: z.int(),
};

/** The head fields of an answer: its protection, from the scope. */
export function protectionOf(scope: ReportScope) {
  return scope.perturbation === null
    ? { suppressed: false, protection: "none" as const, k: scope.k, maxNoise: 0 }
    : {
        suppressed: true,
        protection: "cell-key" as const,
        k: scope.k,
        maxNoise: scope.perturbation.maxNoise,
      };
}
