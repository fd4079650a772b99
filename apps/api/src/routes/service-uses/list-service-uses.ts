import { Id, PeriodCode, parsePeriod } from "@halte/core";
import { listServiceUses } from "@halte/db";
import { authorize, permit, requirePrincipal } from "../../auth/middleware.js";
import { principalCentres, reachesCentre } from "../../auth/principal.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { decodeCursor, PageQuery, pageOf, toPage } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { pageAcross } from "../pages-across.js";
import { ServiceUseRecord } from "../visits/schema.js";
import { partnerOf, useFor } from "./shared.js";

const route = defineRoute({
  method: "get",
  path: "/service-uses",
  operationId: "listServiceUses",
  middleware: [permit("visits:record", "service-uses:report")] as const,
  tags: ["service-uses"],
  summary: "List service uses; partners see the uses of their own services only",
  security: staffOrToken,
  request: {
    query: PageQuery.extend({
      centreId: Id.optional(),
      serviceId: Id.optional(),
      period: PeriodCode.optional().openapi({ description: "A period code on the centre's local calendar" }),
    }),
  },
  responses: {
    200: {
      description: "A page of uses, in recording order",
      content: { "application/json": { schema: pageOf(ServiceUseRecord, "ServiceUse") } },
    },
    ...problemResponses("unauthenticated", "forbidden", "validation_failed"),
  },
});

export const listServiceUsesRoute = createRouter().openapi(route, async (c) => {
  const { limit, cursor, centreId, serviceId, period } = c.req.valid("query");
  const principal = requirePrincipal(c);
  const partnerId = partnerOf(principal);
  // Staff read their centre's uses (or any centre's, unbound); a partner its services' uses at every centre it
  // works with, or at the one it names.
  let centreIds: readonly string[] | null;
  if (partnerId === null) {
    authorize(c, "visits:record", centreId);
    const centre = principal.centreId ?? centreId;
    centreIds = centre === undefined ? null : [centre];
  } else {
    if (centreId !== undefined && !reachesCentre(principal, centreId)) {
      throw new ApiProblem("forbidden", "This centre is not yours");
    }
    centreIds = centreId !== undefined ? [centreId] : principalCentres(principal);
  }
  const days = period === undefined ? undefined : parsePeriod(period);
  if (days && !days.ok) throw new Error("period checked by the query schema");
  const afterId = decodeCursor(cursor);
  const rows = await pageAcross(c.get("services").dbs, centreIds ?? "all", "asc", (db) =>
    listServiceUses(db, {
      centreIds: centreIds ?? undefined,
      serviceId,
      providerId: partnerId ?? undefined,
      fromDay: days?.value.start,
      toDay: days?.value.end,
      afterId,
      limit,
    }),
  );
  const page = toPage(rows, limit);
  return c.json({ items: page.items.map((use) => useFor(principal, use)), nextCursor: page.nextCursor }, 200);
});
