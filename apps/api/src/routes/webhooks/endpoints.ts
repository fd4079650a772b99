import { checkWebhookUrl } from "@halte/core";
import {
  attemptsOfDeliveries,
  disableWebhookEndpoint,
  getPartner,
  getWebhookDelivery,
  getWebhookEndpoint,
  insertWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  setDeliveryStatus,
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
import { sendDeliveries } from "./delivery.js";

const EndpointRecord = z
  .object({
    id: z.string(),
    centreId: z.string(),
    partnerId: z.string(),
    url: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    createdBy: z.string().nullable(),
    disabledAt: z.string().nullable(),
    disabledReason: z
      .enum(["gone", "manual"])
      .nullable()
      .openapi({ description: "`gone`: the endpoint answered 410 and was disabled" }),
  })
  .openapi("WebhookEndpoint");
const EndpointInput = z
  .strictObject({
    url: z
      .string()
      .max(2000)
      .superRefine((value, ctx) => {
        const checked = checkWebhookUrl(value);
        if (!checked.ok) ctx.addIssue({ code: "custom", message: checked.error.message, input: value });
      })
      .openapi({
        format: "uri",
        description:
          "An https URL of the partner's receiver: standard port, no credentials, a public host name (no IP " +
          "address, no `*.local`/`*.lan`/`*.internal` name, no alias of a private address such as `*.nip.io`)",
        example: "https://partner.example/halte",
      }),
  })
  .openapi("WebhookEndpointInput");
const AttemptRecord = z
  .object({
    attempt: z.int(),
    at: z.string(),
    responseStatus: z.int().nullable(),
    latencyMs: z.int(),
    error: z.string().nullable(),
  })
  .openapi("WebhookDeliveryAttempt");
const DeliveryRecord = z
  .object({
    id: z.string().openapi({ description: "The `webhook-id` every attempt carries" }),
    endpointId: z.string(),
    eventType: z.string(),
    referralId: z.string().nullable(),
    status: z.enum(["pending", "delivered", "failed", "dead"]),
    attempts: z.int(),
    createdAt: z.string(),
    lastAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    log: z.array(AttemptRecord),
  })
  .openapi("WebhookDelivery");

const PartnerParams = z.object({ partnerId: z.string().min(1).max(64) });
const EndpointParams = z.object({ endpointId: z.string().min(1).max(64) });
const DeliveryParams = z.object({ deliveryId: z.string().min(1).max(64) });

async function managedPartner(c: Context<AppEnv>, partnerId: string) {
  const principal = authorize(c, "webhooks:manage");
  const partner = await getPartner(c.get("services").db, partnerId);
  if (!partner) throw new ApiProblem("not_found", "No such partner");
  assertCentreVisible(principal, partner.centreId);
  return partner;
}

async function managedEndpoint(c: Context<AppEnv>, endpointId: string) {
  const endpoint = await getWebhookEndpoint(c.get("services").db, endpointId);
  if (!endpoint) throw new ApiProblem("not_found", "No such webhook endpoint");
  await managedPartner(c, endpoint.partnerId);
  return endpoint;
}

const createEndpointRoute = defineRoute({
  method: "post",
  path: "/partners/{partnerId}/webhook-endpoints",
  operationId: "createWebhookEndpoint",
  tags: ["webhooks"],
  summary: "Register where a partner receives our events",
  security: staffOnly,
  middleware: [permit("webhooks:manage")] as const,
  request: {
    params: PartnerParams,
    body: { required: true, content: { "application/json": { schema: EndpointInput } } },
  },
  responses: {
    201: { description: "Registered", content: { "application/json": { schema: EndpointRecord } } },
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

const listEndpointsRoute = defineRoute({
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

const deliveriesRoute = defineRoute({
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

const disableRoute = defineRoute({
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

const resendRoute = defineRoute({
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

export const webhookEndpointRoutes = createRouter()
  .openapi(createEndpointRoute, async (c) => {
    const partner = await managedPartner(c, c.req.valid("param").partnerId);
    if (partner.archivedAt !== null) throw new ApiProblem("conflict", "An archived partner gets no endpoint");
    const { url } = c.req.valid("json");
    const { db, now, newId } = c.get("services");
    const at = now().toISOString();
    const row = {
      id: newId(),
      centreId: partner.centreId,
      partnerId: partner.id,
      url,
      createdAt: at,
      updatedAt: at,
      createdBy: c.get("principal")?.id ?? null,
      disabledAt: null,
      disabledReason: null,
    };
    await db.batch([
      insertWebhookEndpoint(db, row),
      auditStatement(c, {
        action: "create",
        entity: "webhook_endpoint",
        entityId: row.id,
        centreId: partner.centreId,
        after: { partnerId: partner.id, url },
      }),
    ]);
    return c.json(row, 201);
  })
  .openapi(listEndpointsRoute, async (c) => {
    const partner = await managedPartner(c, c.req.valid("param").partnerId);
    const { limit, cursor } = c.req.valid("query");
    const rows = await listWebhookEndpoints(c.get("services").db, partner.id, {
      afterId: decodeCursor(cursor),
      limit,
    });
    return c.json(toPage(rows, limit), 200);
  })
  .openapi(disableRoute, async (c) => {
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
  })
  .openapi(deliveriesRoute, async (c) => {
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
  })
  .openapi(resendRoute, async (c) => {
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
