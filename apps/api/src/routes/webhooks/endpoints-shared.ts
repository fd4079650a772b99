import { checkWebhookUrl } from "@halte/core";
import { getWebhookEndpoint } from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../context.js";
import { ApiProblem } from "../../problem.js";
import { managedPartner } from "./partner-access.js";

export const EndpointRecord = z
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

export const EndpointInput = z
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

export const AttemptRecord = z
  .object({
    attempt: z.int(),
    at: z.string(),
    responseStatus: z.int().nullable(),
    latencyMs: z.int(),
    error: z.string().nullable(),
  })
  .openapi("WebhookDeliveryAttempt");

export const DeliveryRecord = z
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

export const EndpointParams = z.object({ endpointId: z.string().min(1).max(64) });

export const DeliveryParams = z.object({ deliveryId: z.string().min(1).max(64) });

export async function managedEndpoint(c: Context<AppEnv>, endpointId: string) {
  const endpoint = await getWebhookEndpoint(c.get("services").db, endpointId);
  if (!endpoint) throw new ApiProblem("not_found", "No such webhook endpoint");
  await managedPartner(c, endpoint.partnerId);
  return endpoint;
}
