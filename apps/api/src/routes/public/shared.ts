import { openingStatus, type Service } from "@halte/core";
import { z } from "@hono/zod-openapi";
import { OpeningStatus } from "../services/schema.js";

// The public directory's read model: what a person at the door of a centre may learn without signing in.
// Only public texts (names, descriptions, place, languages, opening hours) leave here: no provider ids,
// capacities or use counts.
export const PublicService = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    category: z.string(),
    languages: z.array(z.string()),
    location: z.string().nullable(),
    translations: z.record(
      z.string(),
      z.object({ name: z.string(), description: z.string().optional(), location: z.string().optional() }),
    ),
    openingStatus: OpeningStatus,
  })
  .openapi("PublicService");

export const PublicDirectory = z
  .object({
    centre: z.object({
      name: z.string(),
      slug: z.string(),
      address: z.string().nullable(),
      timeZone: z.string(),
      languages: z.array(z.string()),
    }),
    services: z.array(PublicService),
  })
  .openapi("PublicDirectory");

// A centre lists at most this many services in the directory; more would not be readable on a phone anyway.
export const MAX_SERVICES = 200;

export function publicStatus(service: Service, at: Date): z.infer<typeof OpeningStatus> {
  if (service.status !== "active") return { open: false, closesAt: null, nextOpensAt: null };
  const status = openingStatus(service.schedule, at);
  return status.open
    ? { open: true, closesAt: status.closesAt?.toISOString() ?? null, nextOpensAt: null }
    : { open: false, closesAt: null, nextOpensAt: status.nextOpensAt?.toISOString() ?? null };
}
