import { getWebhookSecret, revokeWebhookSecret, webhookSecretInfo } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { withFence } from "../../auth/grants.js";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { managedPartner } from "./partner-access.js";
import { SecretParams, WebhookSecretRecord } from "./secrets-shared.js";

const route = defineRoute({
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

export const revokeWebhookSecretRoute = createRouter().openapi(route, async (c) => {
  const { secretId } = c.req.valid("param");
  const { db, now } = c.get("services");
  const secret = await getWebhookSecret(db, secretId);
  if (!secret) throw new ApiProblem("not_found", "No such webhook secret");
  const partner = await managedPartner(c, secret.partnerId);
  if (secret.revokedAt !== null) throw new ApiProblem("conflict", "The secret is already revoked");
  // The secret's grant in its centre's database goes first: a revoked secret never writes there again.
  await withFence(c, { actorIds: [partner.id], centres: [partner.centreId] }, () =>
    db.batch([
      revokeWebhookSecret(db, secretId, now().toISOString()),
      auditStatement(c, {
        action: "revoke",
        entity: "webhook_secret",
        entityId: secretId,
        centreId: secret.centreId,
      }),
    ]),
  );
  const revoked = (await getWebhookSecret(db, secretId)) ?? secret;
  return c.json(webhookSecretInfo(revoked), 200);
});
