import { webhookSecretFromBytes } from "@halte/core";
import { expireWebhookSecrets, insertWebhookSecret, listWebhookSecrets, webhookSecretInfo } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { withFence } from "../../auth/grants.js";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { managedPartner, PartnerParams } from "./partner-access.js";
import { sealWebhookSecret } from "./secret-store.js";
import { NewWebhookSecret, WebhookSecretInput } from "./secrets-shared.js";

const route = defineRoute({
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

export const createWebhookSecretRoute = createRouter().openapi(route, async (c) => {
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
  const write = () =>
    db.batch([
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
  // A rotation shortens the older secrets' lives: their grants in the centre's database go first.
  await (rotated.length > 0
    ? withFence(c, { actorIds: [partner.id], centres: [partner.centreId] }, write)
    : write());
  return c.json(
    {
      ...webhookSecretInfo(row),
      secret,
      rotated,
      overlapUntil: rotated.length > 0 ? overlapUntil : null,
    },
    201,
  );
});
