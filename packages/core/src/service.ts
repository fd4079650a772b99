import { z } from "zod";
import { CentreScoped, Id, Instant, LanguageCode, RecordMeta, text } from "./common.js";
import { Schedule } from "./schedule.js";

/**
 * HSDS 3.0 `service.status`. `temporarily closed` keeps HSDS's spelling (with a space) so exports need no
 * mapping.
 */
export const ServiceStatus = z.enum(["active", "inactive", "defunct", "temporarily closed"]);
export type ServiceStatus = z.infer<typeof ServiceStatus>;

/** The small taxonomy of what a day centre offers (DOMAIN.md). */
export const ServiceCategory = z.enum([
  "hygiene",
  "food",
  "rest",
  "health",
  "mental_health",
  "addiction_harm_reduction",
  "legal",
  "administrative",
  "social",
  "accommodation_orientation",
  "information",
  "clothing",
  "other",
]);
export type ServiceCategory = z.infer<typeof ServiceCategory>;

/**
 * A service's name, description and place in one more language, for the public directory. A text left out
 * falls back to the service's own (in the centre's first language); the directory marks that fallback up.
 */
export const ServiceTranslation = z.strictObject({
  name: text(200),
  description: text(4000).optional(),
  /** Where in the centre, in this language, e.g. "الطابق الأرضي". */
  location: text(200).optional(),
});
export type ServiceTranslation = z.infer<typeof ServiceTranslation>;

/**
 * What a coordinator sends to create or replace a service. Field names follow HSDS 3.0 where it has them,
 * in camelCase: `organizationId` ↔ HSDS `organization_id`, `languages` ↔ HSDS `language` records (one per
 * code), `schedule` ↔ HSDS `schedule` records (one per weekly slot, `byday`/`opens_at`/`closes_at`).
 */
export const ServiceInput = z.strictObject({
  /** The partner organisation that provides the service (HSDS `organization_id`). */
  organizationId: Id,
  name: text(200),
  description: text(4000).optional(),
  category: ServiceCategory,
  status: ServiceStatus.default("active"),
  /** Languages the service is delivered in (HSDS `language`). */
  languages: z.array(LanguageCode).max(40).default([]),
  /** Where in the centre, e.g. "Ground floor, showers". */
  location: text(200).optional(),
  schedule: Schedule,
  /** Texts in other languages, keyed by ISO 639 code; the main texts are in the centre's first language. */
  translations: z.record(LanguageCode, ServiceTranslation).default({}),
  /**
   * Whether reception hands out tickets for it (take a number, call the next): for services with few
   * places, such as 12 shower cabins for 100+ people a day. A called ticket is one use of the service.
   */
  ticketQueue: z.boolean().default(false),
});
export type ServiceInput = z.infer<typeof ServiceInput>;

/** A stored service. */
export const Service = z.object({
  ...RecordMeta,
  ...CentreScoped,
  ...ServiceInput.shape,
  archivedAt: Instant.nullable(),
});
export type Service = z.infer<typeof Service>;
