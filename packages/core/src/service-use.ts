import { z } from "zod";
import { CentreScoped, Id, Instant, RecordMeta } from "./common.js";

/**
 * Where a count of uses came from: tapped at the door with a visit, or reported in bulk by the partner
 * that ran the service (e.g. "14 consultations this afternoon").
 */
export const ServiceUseSource = z.enum(["door", "partner_report"]);
export type ServiceUseSource = z.infer<typeof ServiceUseSource>;

/** One use (or a counted batch of uses) of a service, as sent by reception or a partner. */
export const ServiceUseInput = z.strictObject({
  centreId: Id,
  serviceId: Id,
  usedAt: Instant,
  /** How many: one shower is 1; a partner's bulk report may carry a larger count. */
  quantity: z.int().min(1).max(10_000).default(1),
  visitId: Id.optional(),
  source: ServiceUseSource.default("door"),
  /** The reporting partner, for `partner_report` uses. */
  partnerId: Id.optional(),
});
export type ServiceUseInput = z.infer<typeof ServiceUseInput>;

/** A stored service use. */
export const ServiceUse = z.object({
  ...RecordMeta,
  ...CentreScoped,
  serviceId: Id,
  usedAt: Instant,
  quantity: z.int().min(1),
  visitId: Id.nullable(),
  source: ServiceUseSource,
  partnerId: Id.nullable(),
});
export type ServiceUse = z.infer<typeof ServiceUse>;
