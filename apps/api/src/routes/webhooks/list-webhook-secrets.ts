import { listWebhookSecrets } from "@halte/db";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { decodeCursor, PageQuery, pageOf, toPage } from "../../pagination.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { managedPartner, PartnerParams } from "./partner-access.js";
import { WebhookSecretRecord } from "./secrets-shared.js";

const route = defineRoute({
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

export const listWebhookSecretsRoute = createRouter().openapi(route, async (c) => {
  const partner = await managedPartner(c, c.req.valid("param").partnerId);
  const { limit, cursor } = c.req.valid("query");
  const rows = await listWebhookSecrets(c.get("services").db, partner.id, {
    afterId: decodeCursor(cursor),
    limit,
  });
  return c.json(toPage(rows, limit), 200);
});
