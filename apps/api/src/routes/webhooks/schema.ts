import {
  PartnerWebhookEvent,
  ReferralStatus,
  ReferralStatusChangedData,
  ServiceCapacityChangedData,
  ServiceUseReportedData,
} from "@halte/core";
import { z } from "@hono/zod-openapi";

export const ReferralStatusChangedDataDoc = ReferralStatusChangedData.openapi("ReferralStatusChangedData");
export const ServiceCapacityChangedDataDoc = ServiceCapacityChangedData.openapi("ServiceCapacityChangedData");
export const ServiceUseReportedDataDoc = ServiceUseReportedData.openapi("ServiceUseReportedData");
export const PartnerWebhookEventDoc = PartnerWebhookEvent.openapi("PartnerWebhookEvent", {
  description:
    "A Standard Webhooks 1.0 message body. `data.occurredAt` orders deliveries that arrive out of order.",
});

/** The headers every partner delivery carries (Standard Webhooks 1.0). */
export const WebhookHeaders = z.object({
  "webhook-id": z
    .string()
    .min(1)
    .max(256)
    .openapi({ description: "Unique per message; repeats are answered once" }),
  "webhook-timestamp": z
    .string()
    .openapi({ description: "Unix seconds; refused beyond 5 minutes either way" }),
  "webhook-signature": z
    .string()
    .openapi({ description: "`v1,<base64 HMAC-SHA-256 of id.timestamp.body>`, several space-separated" }),
});

/** What became of a delivery. */
export const WebhookOutcome = z.enum(["applied", "unchanged", "superseded"]);

/** The answer to an accepted delivery (or to a repeat of it). */
export const WebhookAcknowledgement = z
  .object({
    webhookId: z.string(),
    type: z.string(),
    outcome: WebhookOutcome.openapi({
      description:
        "`applied`: it changed something; `unchanged`: it said what was already known; `superseded`: a change " +
        "that happened later (by `occurredAt`) was already applied",
    }),
    referral: z.object({ id: z.string(), status: ReferralStatus, version: z.int() }).optional(),
    serviceUseId: z.string().optional(),
  })
  .openapi("WebhookAcknowledgement");
export type WebhookAcknowledgement = z.infer<typeof WebhookAcknowledgement>;
