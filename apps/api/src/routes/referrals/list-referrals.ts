import {
  addDays,
  centreTimeZone,
  Id,
  LocalDate,
  type Referral,
  ReferralNeed,
  ReferralStatus,
  startOfLocalDay,
} from "@halte/core";
import { getCentre, listReferrals } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { authorize, permit } from "../../auth/middleware.js";
import { principalCentres } from "../../auth/principal.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { PageQuery, pageOf } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { isPartner, ReferralRecord, recordsFor } from "./views.js";

const listRoute = defineRoute({
  method: "get",
  path: "/referrals",
  operationId: "listReferrals",
  middleware: [permit("referrals:read")] as const,
  tags: ["referrals"],
  summary: "List referrals, newest first; a partner sees only its own organisation's",
  description:
    "Newest first by creation time, paged with `nextCursor`. `from` and `to` are days of the centre's own " +
    "calendar (its time zone), both included; they need a centre (`centreId`, or the caller's own).",
  security: staffOrToken,
  request: {
    query: PageQuery.extend({
      centreId: Id.optional(),
      status: ReferralStatus.optional(),
      need: ReferralNeed.optional(),
      partnerId: Id.optional(),
      from: LocalDate.optional().openapi({ description: "Created on or after this centre-local day" }),
      to: LocalDate.optional().openapi({ description: "Created on or before this centre-local day" }),
      acknowledged: z
        .enum(["true", "false"])
        .optional()
        .openapi({ description: "Only referrals the partner has (or has not yet) acknowledged (pull API)" }),
    }),
  },
  responses: {
    200: {
      description: "A page of referrals",
      content: { "application/json": { schema: pageOf(ReferralRecord, "Referral") } },
    },
    ...problemResponses("unauthenticated", "forbidden", "validation_failed"),
  },
});

function badCursor(): ApiProblem {
  return new ApiProblem("validation_failed", "The cursor is not one this API issued", [
    { path: ["query", "cursor"], code: "invalid_format", message: "Unknown cursor" },
  ]);
}

/** The cursor names the last row seen by its creation instant and id: opaque, base64url. */
function encodeReferralCursor(row: { createdAt: string; id: string }): string {
  return btoa(JSON.stringify([row.createdAt, row.id]))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

function decodeReferralCursor(cursor: string | undefined): { createdAt: string; id: string } | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(atob(cursor.replaceAll("-", "+").replaceAll("_", "/")));
  } catch {
    throw badCursor();
  }
  const [createdAt, id] = Array.isArray(parsed) ? parsed : [];
  if (typeof createdAt !== "string" || typeof id !== "string" || createdAt.length > 40 || id.length > 64) {
    throw badCursor();
  }
  return { createdAt, id };
}

/** The instants a centre-local day range covers: from the start of `from` to the start of the day after `to`. */
async function createdRange(
  db: Parameters<typeof getCentre>[0],
  centreId: string | undefined,
  from: string | undefined,
  to: string | undefined,
): Promise<{ createdFrom?: string; createdBefore?: string }> {
  if (from === undefined && to === undefined) return {};
  const centre = centreId ? await getCentre(db, centreId) : null;
  if (!centre) {
    throw new ApiProblem("validation_failed", "A day range needs the centre whose calendar it follows", [
      { path: ["query", "centreId"], code: "required", message: "Name the centre" },
    ]);
  }
  if (from !== undefined && to !== undefined && from > to) {
    throw new ApiProblem("validation_failed", "The range ends before it starts", [
      { path: ["query", "to"], code: "invalid_value", message: "On or after `from`" },
    ]);
  }
  const zone = centreTimeZone(centre);
  return {
    ...(from === undefined ? {} : { createdFrom: startOfLocalDay(from, zone).toISOString() }),
    ...(to === undefined ? {} : { createdBefore: startOfLocalDay(addDays(to, 1), zone).toISOString() }),
  };
}

/** Newest first, as `listReferrals` orders each database's rows: creation instant, then id, both descending. */
function newestFirst(a: Referral, b: Referral): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export const listReferralsRoutes = createRouter().openapi(listRoute, async (c) => {
  const query = c.req.valid("query");
  const principal = authorize(c, "referrals:read", query.centreId);
  const { db, dbs } = c.get("services");
  const before = decodeReferralCursor(query.cursor);
  const partnerScoped = isPartner(principal);
  // The centres the caller reaches (null: every one). `authorize` has checked a named centre is one of them.
  const reached = principalCentres(principal);
  const centreId = query.centreId ?? (reached?.length === 1 ? reached[0] : undefined);
  const range = await createdRange(db, centreId, query.from, query.to);
  if (partnerScoped && principal.partnerId === null) return c.json({ items: [], nextCursor: null }, 200);
  if (partnerScoped && query.partnerId !== undefined && query.partnerId !== principal.partnerId) {
    // Another organisation's referrals do not exist for a partner.
    return c.json({ items: [], nextCursor: null }, 200);
  }
  // One centre: its database. Several (a partner working with several centres) or every centre (an admin or
  // coordinator of all): each database's newest `limit + 1` after the cursor, merged and cut: the page and
  // its cursor are what one database holding every row would give, so paging neither loses nor repeats a
  // referral. Several centres are also a condition on each database's rows, which may hold other centres'.
  const databases = await dbs.databasesOf(centreId !== undefined ? [centreId] : (reached ?? "all"));
  const options = {
    centreId,
    centreIds: centreId === undefined && reached !== null ? reached : undefined,
    partnerId: partnerScoped ? (principal.partnerId ?? undefined) : query.partnerId,
    status: query.status,
    need: query.need,
    onlySent: partnerScoped,
    acknowledged: query.acknowledged === undefined ? undefined : query.acknowledged === "true",
    ...range,
    before,
    limit: query.limit,
  };
  const pages = await Promise.all(databases.map((held) => listReferrals(held.db, options)));
  const rows = pages
    .flat()
    .sort(newestFirst)
    .slice(0, query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  const dbByCentre = new Map(databases.flatMap((held) => held.centreIds.map((id) => [id, held.db] as const)));
  return c.json(
    {
      items: await recordsFor(c, principal, items, (id) => dbByCentre.get(id) ?? db),
      nextCursor: rows.length > query.limit && last ? encodeReferralCursor(last) : null,
    },
    200,
  );
});
