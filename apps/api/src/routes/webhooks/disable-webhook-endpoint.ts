import { disableWebhookEndpoint, getWebhookEndpoint } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { EndpointParams, EndpointRecord, managedEndpoint } from "./endpoints-shared.js";

const route = defineRoute({
  method: "post",
  path: "/webhook-endpoints/{endpointId}/disable",
  operationId: "disableWebhookEndpoint",
  tags: ["webhooks"],
  summary: "Stop sending events to an endpoint (pending deliveries to it fail)",
  security: staffOnly,
  middleware: [permit("webhooks:manage")] as const,
  request: { params: EndpointParams },
  responses: {
    200: { description: "Disabled", content: { "application/json": { schema: EndpointRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "conflict"),
  },
});

export const disableWebhookEndpointRoute = createRouter().openapi(route, async (c) => {
  const endpoint = await managedEndpoint(c, c.req.valid("param").endpointId);
  if (endpoint.disabledAt !== null) throw new ApiProblem("conflict", "The endpoint is already disabled");
  const { db, now } = c.get("services");
  await db.batch([
    disableWebhookEndpoint(db, endpoint.id, "manual", now().toISOString()),
    auditStatement(c, {
      action: "disable",
      entity: "webhook_endpoint",
      entityId: endpoint.id,
      centreId: endpoint.centreId,
    }),
  ]);
  return c.json((await getWebhookEndpoint(db, endpoint.id)) ?? endpoint, 200);
});
