import { insertToken } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { randomSecret, sha256Hex } from "../../auth/crypto.js";
import { permit, TOKEN_PREFIX } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { managedPartner, NewToken, PartnerParams, TokenInput } from "./shared.js";

const route = defineRoute({
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

export const createApiTokenRoute = createRouter().openapi(route, async (c) => {
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
});
