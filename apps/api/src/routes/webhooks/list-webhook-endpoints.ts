import { listWebhookEndpoints } from "@halte/db";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { decodeCursor, PageQuery, pageOf, toPage } from "../../pagination.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { EndpointRecord } from "./endpoints-shared.js";
import { managedPartner, PartnerParams } from "./partner-access.js";

const route = defineRoute({
  method: "get",
  path: "/partners/{partnerId}/webhook-endpoints",
  operationId: "listWebhookEndpoints",
  tags: ["webhooks"],
  summary: "List a partner's webhook endpoints",
  security: staffOnly,
  middleware: [permit("webhooks:manage")] as const,
  request: { params: PartnerParams, query: PageQuery },
  responses: {
    200: {
      description: "A page of endpoints, oldest first",
      content: { "application/json": { schema: pageOf(EndpointRecord, "WebhookEndpoint") } },
    },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

export const listWebhookEndpointsRoute = createRouter().openapi(route, async (c) => {
  const partner = await managedPartner(c, c.req.valid("param").partnerId);
  const { limit, cursor } = c.req.valid("query");
  const rows = await listWebhookEndpoints(c.get("services").db, partner.id, {
    afterId: decodeCursor(cursor),
    limit,
  });
  return c.json(toPage(rows, limit), 200);
});
