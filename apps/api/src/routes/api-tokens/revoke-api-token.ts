import { getToken, revokeToken } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { managedPartner, TokenParams, TokenRecord } from "./shared.js";

const route = defineRoute({
  method: "post",
  path: "/tokens/{tokenId}/revoke",
  operationId: "revokeApiToken",
  tags: ["partners"],
  summary: "Revoke an API token; the next call made with it is refused",
  security: staffOnly,
  middleware: [permit("partners:manage")] as const,
  request: { params: TokenParams },
  responses: {
    200: { description: "Revoked", content: { "application/json": { schema: TokenRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "conflict"),
  },
});

export const revokeApiTokenRoute = createRouter().openapi(route, async (c) => {
  const { tokenId } = c.req.valid("param");
  const { db, now } = c.get("services");
  const token = await getToken(db, tokenId);
  if (!token) throw new ApiProblem("not_found", "No such token");
  await managedPartner(c, token.partnerId);
  if (token.revokedAt !== null) throw new ApiProblem("conflict", "The token is already revoked");
  const at = now().toISOString();
  await db.batch([
    revokeToken(db, tokenId, at),
    auditStatement(c, {
      action: "revoke",
      entity: "api_token",
      entityId: tokenId,
      centreId: token.centreId,
    }),
  ]);
  return c.json((await getToken(db, tokenId)) ?? token, 200);
});
