import { z } from "@hono/zod-openapi";

/** How long, by default, the secrets a new one replaces keep verifying: a day for the partner to switch. */
export const DEFAULT_ROTATION_OVERLAP_MINUTES = 24 * 60;

export const WebhookSecretRecord = z
  .object({
    id: z.string(),
    centreId: z.string(),
    partnerId: z.string(),
    createdAt: z.string(),
    createdBy: z.string().nullable(),
    expiresAt: z.string().nullable().openapi({ description: "Set when a newer secret replaced this one" }),
    revokedAt: z.string().nullable(),
  })
  .openapi("WebhookSecret");

export const NewWebhookSecret = WebhookSecretRecord.extend({
  secret: z.string().openapi({
    description: "`whsec_` + base64 of 32 random bytes, shown this once",
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  }),
  rotated: z
    .array(z.string())
    .openapi({ description: "Ids of the secrets that now expire at `overlapUntil`" }),
  overlapUntil: z.string().nullable(),
}).openapi("NewWebhookSecret");

export const WebhookSecretInput = z
  .strictObject({
    overlapMinutes: z
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(DEFAULT_ROTATION_OVERLAP_MINUTES)
      .openapi({
        description: "How long the partner's current secrets keep working (0–10080, default 1440)",
      }),
  })
  .openapi("WebhookSecretInput");

export const SecretParams = z.object({ secretId: z.string().min(1).max(64) });
