import { attemptsOfDeliveries, getWebhookDelivery, setDeliveryStatus } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { sendDeliveries } from "./delivery.js";
import { DeliveryParams, DeliveryRecord, managedEndpoint } from "./endpoints-shared.js";

const route = defineRoute({
  method: "post",
  path: "/webhook-deliveries/{deliveryId}/resend",
  operationId: "resendWebhookDelivery",
  tags: ["webhooks"],
  summary: "Send a delivery again (same webhook-id, fresh signature), with a fresh series of retries",
  security: staffOnly,
  middleware: [permit("webhooks:manage")] as const,
  request: { params: DeliveryParams },
  responses: {
    202: { description: "Queued", content: { "application/json": { schema: DeliveryRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "conflict"),
  },
});

export const resendWebhookDeliveryRoute = createRouter().openapi(route, async (c) => {
  const { db, logger } = c.get("services");
  const delivery = await getWebhookDelivery(db, c.req.valid("param").deliveryId);
  if (!delivery) throw new ApiProblem("not_found", "No such delivery");
  const endpoint = await managedEndpoint(c, delivery.endpointId);
  if (endpoint.disabledAt !== null) {
    throw new ApiProblem("conflict", "The endpoint is disabled; register the partner's new address first");
  }
  await db.batch([
    setDeliveryStatus(db, delivery.id, "pending"),
    auditStatement(c, {
      action: "resend",
      entity: "webhook_delivery",
      entityId: delivery.id,
      centreId: delivery.centreId,
    }),
  ]);
  await sendDeliveries(c.env.WEBHOOK_QUEUE, [delivery], logger);
  const { payload: _payload, centreId: _centre, ...rest } = delivery;
  const log = (await attemptsOfDeliveries(db, [delivery.id])).map(
    ({ attempt, at, responseStatus, latencyMs, error }) => ({
      attempt,
      at,
      responseStatus,
      latencyMs,
      error,
    }),
  );
  return c.json({ ...rest, status: "pending" as const, log }, 202);
});
