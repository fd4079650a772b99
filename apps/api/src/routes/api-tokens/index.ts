import { getPartner, getToken, insertToken, listPartnerTokens, revokeToken } from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { auditStatement } from "../../audit.js";
import { randomSecret, sha256Hex } from "../../auth/crypto.js";
import { assertCentreVisible, authorize, permit, TOKEN_PREFIX } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { decodeCursor, PageQuery, pageOf, toPage } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";

const TokenRecord = z
  .object({
    id: z.string(),
    centreId: z.string(),
    partnerId: z.string(),
    name: z.string(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiToken");
const NewToken = TokenRecord.extend({
  token: z.string().openapi({ description: "The secret, shown this once: it is stored only as a hash" }),
}).openapi("NewApiToken");
const TokenInput = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .openapi("ApiTokenInput");
const PartnerParams = z.object({ partnerId: z.string().min(1).max(64) });
const TokenParams = z.object({ tokenId: z.string().min(1).max(64) });

async function managedPartner(c: Context<AppEnv>, partnerId: string) {
  const principal = authorize(c, "partners:manage");
  const partner = await getPartner(c.get("services").db, partnerId);
  if (!partner) throw new ApiProblem("not_found", "No such partner");
  assertCentreVisible(principal, partner.centreId);
  return partner;
}

const createTokenRoute = defineRoute({
  method: "post",
  path: "/partners/{partnerId}/tokens",
  operationId: "createApiToken",
  tags: ["partners"],
  summary: "Issue an API token for a partner organisation; the secret is shown once",
  security: staffOnly,
  middleware: [permit("partners:manage")] as const,
  request: {
    params: PartnerParams,
    body: { required: true, content: { "application/json": { schema: TokenInput } } },
  },
  responses: {
    201: { description: "Issued", content: { "application/json": { schema: NewToken } } },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "conflict",
      "validation_failed",
    ),
  },
});

const listTokensRoute = defineRoute({
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

const revokeRoute = defineRoute({
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

export const apiTokenRoutes = createRouter()
  .openapi(createTokenRoute, async (c) => {
    const partner = await managedPartner(c, c.req.valid("param").partnerId);
    const { name, expiresAt } = c.req.valid("json");
    if (partner.archivedAt !== null) {
      throw new ApiProblem("conflict", "An archived partner gets no new tokens");
    }
    const { db, now, newId } = c.get("services");
    const at = now();
    if (expiresAt !== undefined && Date.parse(expiresAt) <= at.getTime()) {
      throw new ApiProblem("validation_failed", "The expiry is in the past", [
        { path: ["expiresAt"], code: "invalid_value", message: "Must be in the future" },
      ]);
    }
    const token = `${TOKEN_PREFIX}${randomSecret(32)}`;
    const principal = c.get("principal");
    const record = {
      id: newId(),
      centreId: partner.centreId,
      partnerId: partner.id,
      name,
      createdAt: at.toISOString(),
      createdBy: principal?.id ?? null,
      expiresAt: expiresAt === undefined ? null : new Date(expiresAt).toISOString(),
    };
    await db.batch([
      insertToken(db, { ...record, tokenHash: await sha256Hex(token) }),
      auditStatement(c, {
        action: "create",
        entity: "api_token",
        entityId: record.id,
        centreId: partner.centreId,
        after: { name, partnerId: partner.id, expiresAt: record.expiresAt },
      }),
    ]);
    return c.json({ ...record, lastUsedAt: null, revokedAt: null, token }, 201);
  })
  .openapi(listTokensRoute, async (c) => {
    const partner = await managedPartner(c, c.req.valid("param").partnerId);
    const { limit, cursor } = c.req.valid("query");
    const rows = await listPartnerTokens(c.get("services").db, partner.id, {
      afterId: decodeCursor(cursor),
      limit,
    });
    return c.json(toPage(rows, limit), 200);
  })
  .openapi(revokeRoute, async (c) => {
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
