import { z } from "zod";
import { CentreScoped, Instant, RecordMeta, text } from "./common.js";

/** The roles an organisation can hold at a centre; one organisation often holds several. */
export const PartnerRole = z.enum([
  "operator",
  "service_provider",
  "referral_destination",
  "funder",
  "public_institution",
]);
export type PartnerRole = z.infer<typeof PartnerRole>;

/**
 * What a coordinator sends to register an organisation. Contact fields are the organisation's own
 * (a switchboard, a shared inbox), never a person's.
 */
export const PartnerInput = z.strictObject({
  name: text(200),
  roles: z.array(PartnerRole).min(1).max(PartnerRole.options.length),
  description: text(2000).optional(),
  website: z.url({ protocol: /^https?$/ }).optional(),
  email: z.email().optional(),
  phone: z
    .string()
    .regex(/^\+?[0-9 ().-]{6,30}$/, "Use digits, spaces and an optional leading '+'")
    .optional(),
});
export type PartnerInput = z.infer<typeof PartnerInput>;

/** A stored partner organisation. */
export const Partner = z.object({
  ...RecordMeta,
  ...CentreScoped,
  ...PartnerInput.shape,
  archivedAt: Instant.nullable(),
});
export type Partner = z.infer<typeof Partner>;
