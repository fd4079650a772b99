import { listReferralHistory } from "@halte/db";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { decodeCursor, encodeCursor, PageQuery, pageOf } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { HistoryEntryRecord, historyFor, ReferralParams, visibleReferral } from "./views.js";

const route = defineRoute({
  method: "get",
  path: "/referrals/{referralId}/history",
  operationId: "listReferralHistory",
  middleware: [permit("referrals:read")] as const,
  tags: ["referrals"],
  summary: "A referral's status changes, oldest first",
  security: staffOrToken,
  request: { params: ReferralParams, query: PageQuery },
  responses: {
    200: {
      description: "A page of status changes",
      content: { "application/json": { schema: pageOf(HistoryEntryRecord, "ReferralHistoryEntry") } },
    },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

export const listReferralHistoryRoute = createRouter().openapi(route, async (c) => {
  const principal = authorize(c, "referrals:read");
  const located = await visibleReferral(c, principal, c.req.valid("param").referralId);
  const { limit, cursor } = c.req.valid("query");
  const after = decodeCursor(cursor);
  if (after !== undefined && !/^\d+$/.test(after)) {
    throw new ApiProblem("validation_failed", "The cursor is not one this API issued", [
      { path: ["query", "cursor"], code: "invalid_format", message: "Unknown cursor" },
    ]);
  }
  const rows = await listReferralHistory(located.db, located.referral.id, {
    afterId: after === undefined ? undefined : Number(after),
    limit,
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const visible = await historyFor(c, principal, located, items);
  return c.json(
    {
      items: visible.map(({ seq: _seq, event, ...entry }) => ({
        ...entry,
        event: event ?? "status_changed",
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(String(last.seq)) : null,
    },
    200,
  );
});
