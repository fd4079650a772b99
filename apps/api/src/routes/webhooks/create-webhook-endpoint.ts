import { insertWebhookEndpoint } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { EndpointInput, EndpointRecord } from "./endpoints-shared.js";
import { managedPartner, PartnerParams } from "./partner-access.js";

const route = defineRoute({
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

export const createWebhookEndpointRoute = createRouter().openapi(route, async (c) => {
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
});
