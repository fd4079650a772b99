import { z } from "@hono/zod-openapi";

// The HSDS 3.0 page `toHsdsDirectory` (@halte/core) builds, described for the OpenAPI document so clients
// see its real shape: HSDS's own snake_case names, every id a UUID (core's `hsdsId`). The authority on the
// fields is HSDS 3.0's `service.json` / `organization.json`, which core's tests validate the export against.

const Uuid = z.uuid();

const HsdsSchedule = z.object({
  id: Uuid,
  service_id: Uuid,
  valid_from: z.iso.date().optional(),
  valid_to: z.iso.date().optional(),
  dtstart: z.iso.date().optional(),
  count: z.int().optional(),
  wkst: z.literal("MO").optional(),
  freq: z.literal("WEEKLY").optional(),
  byday: z.string().optional(),
  opens_at: z.string().optional(),
  closes_at: z.string().optional(),
  description: z.string(),
  notes: z.string(),
});

const HsdsOrganization = z
  .object({
    id: Uuid,
    name: z.string(),
    description: z.string(),
    email: z.string().optional(),
    website: z.string().optional(),
    phones: z.array(z.object({ id: Uuid, organization_id: Uuid, number: z.string() })),
  })
  .openapi("HsdsOrganization");

const HsdsService = z
  .object({
    id: Uuid,
    organization_id: Uuid,
    name: z.string(),
    description: z.string().optional(),
    status: z.enum(["active", "inactive", "defunct", "temporarily closed"]),
    last_modified: z.iso.datetime(),
    schedules: z.array(HsdsSchedule),
    languages: z.array(
      z.object({ id: Uuid, service_id: Uuid, name: z.string().optional(), code: z.string() }),
    ),
    attributes: z.array(
      z.object({
        id: Uuid,
        link_id: Uuid,
        link_type: z.string(),
        link_entity: z.literal("service"),
        taxonomy_term: z.object({
          id: Uuid,
          code: z.string(),
          name: z.string(),
          description: z.string(),
          taxonomy: z.string(),
        }),
      }),
    ),
    organization: HsdsOrganization.optional(),
  })
  .openapi("HsdsService");

/** HSDS's `Page` with fully nested services, as `GET /services?full=true` answers. */
export const HsdsServicePage = z
  .object({
    total_items: z.int(),
    total_pages: z.int(),
    page_number: z.int(),
    size: z.int(),
    first_page: z.boolean(),
    last_page: z.boolean(),
    empty: z.boolean(),
    contents: z.array(HsdsService),
  })
  .openapi("HsdsServicePage");
