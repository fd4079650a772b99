import { listPartnerTokens } from "@halte/db";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { decodeCursor, PageQuery, pageOf, toPage } from "../../pagination.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { managedPartner, PartnerParams, TokenRecord } from "./shared.js";

const route = defineRoute({
  method: "get",
  path: "/partners/{partnerId}/tokens",
  operationId: "listApiTokens",
  tags: ["partners"],
  summary: "List a partner's API tokens (never their secrets)",
  security: staffOnly,
  middleware: [permit("partners:manage")] as const,
  request: { params: PartnerParams, query: PageQuery },
  responses: {
    200: {
      description: "A page of tokens, oldest first",
      content: { "application/json": { schema: pageOf(TokenRecord, "ApiToken") } },
    },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

export const listApiTokensRoute = createRouter().openapi(route, async (c) => {
  const partner = await managedPartner(c, c.req.valid("param").partnerId);
  const { limit, cursor } = c.req.valid("query");
  const rows = await listPartnerTokens(c.get("services").db, partner.id, {
    afterId: decodeCursor(cursor),
    limit,
  });
  return c.json(toPage(rows, limit), 200);
});
