import { webhookSecretFromBytes } from "@halte/core";
import {
  expireWebhookSecrets,
  getPartner,
  getWebhookSecret,
  insertWebhookSecret,
  listWebhookSecrets,
  revokeWebhookSecret,
  webhookSecretInfo,
} from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { auditStatement } from "../../audit.js";
import { assertCentreVisible, authorize, permit } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { decodeCursor, PageQuery, pageOf, toPage } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { sealWebhookSecret } from "./secret-store.js";

/** How long, by default, the secrets a new one replaces keep verifying: a day for the partner to switch. */
export const DEFAULT_ROTATION_OVERLAP_MINUTES = 24 * 60;

const WebhookSecretRecord = z
  .object({
    id: z.string(),
    centreId: z.string(),
    partnerId: z.string(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    expiresAt: z.string().nullable().openapi({ description: "Set when a newer secret replaced this one" }),
    revokedAt: z.string().nullable(),
  })
  .openapi("WebhookSecret");
const NewWebhookSecret = WebhookSecretRecord.extend({
  secret: z.string().openapi({
    description: "`whsec_` + base64 of 32 random bytes, shown this once",
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  }),
  rotated: z
    .array(z.string())
    .openapi({ description: "Ids of the secrets that now expire at `overlapUntil`" }),
  overlapUntil: z.string().nullable(),
}).openapi("NewWebhookSecret");
const WebhookSecretInput = z
  .strictObject({
    overlapMinutes: z
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(DEFAULT_ROTATION_OVERLAP_MINUTES)
      .openapi({
        description: "How long the partner's current secrets keep working (0–10080, default 1440)",
      }),
  })
  .openapi("WebhookSecretInput");
const PartnerParams = z.object({ partnerId: z.string().min(1).max(64) });
const SecretParams = z.object({ secretId: z.string().min(1).max(64) });

async function managedPartner(c: Context<AppEnv>, partnerId: string) {
  const principal = authorize(c, "webhooks:manage");
  const partner = await getPartner(c.get("services").db, partnerId);
  if (!partner) throw new ApiProblem("not_found", "No such partner");
  assertCentreVisible(principal, partner.centreId);
  return partner;
}

const createSecretRoute = defineRoute({
  method: "post",
  path: "/partners/{partnerId}/webhook-secrets",
  operationId: "createWebhookSecret",
  tags: ["webhooks"],
  summary: "Create (or rotate) a partner's webhook secret; the secret is shown once",
  description:
    "The new secret verifies the partner's deliveries and signs ours at once. The partner's other live secrets " +
    "keep working for `overlapMinutes` (default a day), then expire: the rotation overlap.",
  security: staffOnly,
  middleware: [permit("webhooks:manage")] as const,
  request: {
    params: PartnerParams,
    body: { required: true, content: { "application/json": { schema: WebhookSecretInput } } },
  },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: NewWebhookSecret } } },
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

const listSecretsRoute = defineRoute({
  method: "get",
  path: "/partners/{partnerId}/webhook-secrets",
  operationId: "listWebhookSecrets",
  tags: ["webhooks"],
  summary: "List a partner's webhook secrets (never the secrets themselves)",
  security: staffOnly,
  middleware: [permit("webhooks:manage")] as const,
  request: { params: PartnerParams, query: PageQuery },
  responses: {
    200: {
      description: "A page of secrets, oldest first",
      content: { "application/json": { schema: pageOf(WebhookSecretRecord, "WebhookSecret") } },
    },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

const revokeSecretRoute = defineRoute({
  method: "post",
  path: "/webhook-secrets/{secretId}/revoke",
  operationId: "revokeWebhookSecret",
  tags: ["webhooks"],
  summary: "Revoke a webhook secret now: deliveries signed with it are refused from the next one",
  security: staffOnly,
  middleware: [permit("webhooks:manage")] as const,
  request: { params: SecretParams },
  responses: {
    200: { description: "Revoked", content: { "application/json": { schema: WebhookSecretRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "conflict"),
  },
});

export const webhookSecretRoutes = createRouter()
  .openapi(createSecretRoute, async (c) => {
    const partner = await managedPartner(c, c.req.valid("param").partnerId);
    if (partner.archivedAt !== null) {
      throw new ApiProblem("conflict", "An archived partner gets no new webhook secret");
    }
    const { overlapMinutes } = c.req.valid("json");
    const { db, now, newId, config } = c.get("services");
    const at = now();
    const id = newId();
    const secret = webhookSecretFromBytes(crypto.getRandomValues(new Uint8Array(32)));
    const overlapUntil = new Date(at.getTime() + overlapMinutes * 60_000).toISOString();
    const previous = await listWebhookSecrets(db, partner.id, { limit: 1000 });
    const rotated = previous
      .filter((s) => s.revokedAt === null && (s.expiresAt === null || s.expiresAt > overlapUntil))
      .map((s) => s.id);
    const row = {
      id,
      centreId: partner.centreId,
      partnerId: partner.id,
      ciphertext: await sealWebhookSecret(config.WEBHOOK_SECRETS_KEY, id, partner.id, secret),
      createdAt: at.toISOString(),
      createdBy: c.get("principal")?.id ?? null,
      expiresAt: null,
      revokedAt: null,
    };
    await db.batch([
      expireWebhookSecrets(db, partner.id, overlapUntil),
      insertWebhookSecret(db, row),
      auditStatement(c, {
        action: rotated.length > 0 ? "rotate" : "create",
        entity: "webhook_secret",
        entityId: id,
        centreId: partner.centreId,
        after: { partnerId: partner.id, rotated, overlapUntil: rotated.length > 0 ? overlapUntil : null },
      }),
    ]);
    return c.json(
      {
        ...webhookSecretInfo(row),
        secret,
        rotated,
        overlapUntil: rotated.length > 0 ? overlapUntil : null,
      },
      201,
    );
  })
  .openapi(listSecretsRoute, async (c) => {
    const partner = await managedPartner(c, c.req.valid("param").partnerId);
    const { limit, cursor } = c.req.valid("query");
    const rows = await listWebhookSecrets(c.get("services").db, partner.id, {
      afterId: decodeCursor(cursor),
      limit,
    });
    return c.json(toPage(rows, limit), 200);
  })
  .openapi(revokeSecretRoute, async (c) => {
    const { secretId } = c.req.valid("param");
    const { db, now } = c.get("services");
    const secret = await getWebhookSecret(db, secretId);
    if (!secret) throw new ApiProblem("not_found", "No such webhook secret");
    await managedPartner(c, secret.partnerId);
    if (secret.revokedAt !== null) throw new ApiProblem("conflict", "The secret is already revoked");
    await db.batch([
      revokeWebhookSecret(db, secretId, now().toISOString()),
      auditStatement(c, {
        action: "revoke",
        entity: "webhook_secret",
        entityId: secretId,
        centreId: secret.centreId,
      }),
    ]);
    const revoked = (await getWebhookSecret(db, secretId)) ?? secret;
    return c.json(webhookSecretInfo(revoked), 200);
  });
