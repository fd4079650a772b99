import { attemptsOfDeliveries, listWebhookDeliveries } from "@halte/db";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { decodeCursor, PageQuery, pageOf, toPage } from "../../pagination.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { DeliveryRecord, EndpointParams, managedEndpoint } from "./endpoints-shared.js";

const route = defineRoute({
  method: "get",
  path: "/webhook-endpoints/{endpointId}/deliveries",
  operationId: "listWebhookDeliveries",
  tags: ["webhooks"],
  summary: "The delivery log of an endpoint, newest first: each attempt's status and latency, no payload",
  security: staffOnly,
  middleware: [permit("webhooks:manage")] as const,
  request: { params: EndpointParams, query: PageQuery },
  responses: {
    200: {
      description: "A page of deliveries",
      content: { "application/json": { schema: pageOf(DeliveryRecord, "WebhookDelivery") } },
    },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

export const listWebhookDeliveriesRoute = createRouter().openapi(route, async (c) => {
  const endpoint = await managedEndpoint(c, c.req.valid("param").endpointId);
  const { limit, cursor } = c.req.valid("query");
  const { db } = c.get("services");
  const page = toPage(
    await listWebhookDeliveries(db, endpoint.id, { beforeId: decodeCursor(cursor), limit }),
    limit,
  );
  const attempts = await attemptsOfDeliveries(
    db,
    page.items.map((d) => d.id),
  );
  return c.json(
    {
      items: page.items.map(({ payload: _payload, centreId: _centre, ...delivery }) => ({
        ...delivery,
        log: attempts
          .filter((a) => a.deliveryId === delivery.id)
          .map(({ attempt, at, responseStatus, latencyMs, error }) => ({
            attempt,
            at,
            responseStatus,
            latencyMs,
            error,
          })),
      })),
      nextCursor: page.nextCursor,
    },
    200,
  );
});
