import {
  capacityOn,
  Id,
  isOpen,
  LocalDate,
  localDateOf,
  openingStatus,
  type Service,
  ServiceCategory,
  ServiceInput,
  Service as ServiceSchema,
  ServiceStatus,
} from "@halte/core";
import {
  archiveService,
  getCentre,
  getService,
  insertService,
  isPartnerOfCentre,
  listServices,
  replaceService,
  serviceUseTotalsOn,
} from "@halte/db";
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { auditStatement } from "../../audit.js";
import { assertCentreVisible, authorize, permit } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { staffOrToken } from "../../openapi.js";
import { decodeCursor, PageQuery, pageOf, toPage } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { archiveRecord, IncludeArchived } from "../archive.js";

/** A service as returned: the stored record plus whether it is open now and until / from when. */
const OpeningNow = z
  .object({ open: z.boolean(), closesAt: z.string().nullable(), nextOpensAt: z.string().nullable() })
  .openapi("OpeningNow");
const ServiceRecord = ServiceSchema.extend({ openingNow: OpeningNow }).openapi("Service");
const ServiceCreate = ServiceInput.extend({ centreId: Id }).openapi("ServiceInput");
const ServiceParams = z.object({ serviceId: z.string().min(1).max(64) });
const Capacity = z
  .object({
    serviceId: z.string(),
    date: z.string(),
    dailyCapacity: z.int().nullable(),
    used: z.int(),
    remaining: z.int().nullable(),
    slots: z.array(z.object({ opensAt: z.string(), closesAt: z.string(), capacity: z.int().optional() })),
  })
  .openapi("ServiceCapacity");

function withOpening(service: Service, now: Date) {
  const status = openingStatus(service.schedule, now);
  return {
    ...service,
    openingNow: status.open
      ? { open: true, closesAt: status.closesAt?.toISOString() ?? null, nextOpensAt: null }
      : { open: false, closesAt: null, nextOpensAt: status.nextOpensAt?.toISOString() ?? null },
  };
}

async function checkOrganization(c: Context<AppEnv>, organizationId: string, centreId: string) {
  if (!(await isPartnerOfCentre(c.get("services").db, organizationId, centreId))) {
    throw new ApiProblem("validation_failed", "The provider is not a partner of this centre", [
      { path: ["organizationId"], code: "invalid_value", message: "Not a current partner of this centre" },
    ]);
  }
}

async function visibleService(
  c: Context<AppEnv>,
  serviceId: string,
  permission: "services:read" | "services:manage",
) {
  const principal = authorize(c, permission);
  const service = await getService(c.get("services").db, serviceId);
  if (!service) throw new ApiProblem("not_found", "No such service");
  assertCentreVisible(principal, service.centreId);
  return service;
}

const listRoute = createRoute({
  method: "get",
  path: "/services",
  tags: ["services"],
  summary: "List a centre's services, optionally only those open at an instant",
  description:
    "`openAt` filters within each page: a page may hold fewer than `limit` items; follow `nextCursor`.",
  security: staffOrToken,
  middleware: [permit("services:read")] as const,
  request: {
    query: PageQuery.extend({
      centreId: Id.optional(),
      category: ServiceCategory.optional(),
      status: ServiceStatus.optional(),
      organizationId: Id.optional(),
      openAt: z.iso.datetime({ offset: true }).optional().openapi({ description: "Only services open then" }),
      includeArchived: IncludeArchived,
    }),
  },
  responses: {
    200: {
      description: "A page of services",
      content: { "application/json": { schema: pageOf(ServiceRecord, "Service") } },
    },
    ...problemResponses("unauthenticated", "forbidden", "validation_failed"),
  },
});

const createServiceRoute = createRoute({
  method: "post",
  path: "/services",
  tags: ["services"],
  summary: "Add a service (HSDS-aligned) with its schedule, exceptions and capacities",
  security: staffOrToken,
  middleware: [permit("services:manage")] as const,
  request: { body: { required: true, content: { "application/json": { schema: ServiceCreate } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: ServiceRecord } } },
    ...problemResponses("malformed_request", "unauthenticated", "forbidden", "validation_failed"),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/services/{serviceId}",
  tags: ["services"],
  summary: "Get a service and whether it is open now",
  security: staffOrToken,
  middleware: [permit("services:read")] as const,
  request: { params: ServiceParams },
  responses: {
    200: { description: "The service", content: { "application/json": { schema: ServiceRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

const replaceRoute = createRoute({
  method: "put",
  path: "/services/{serviceId}",
  tags: ["services"],
  summary: "Update a service, its schedule, exceptions and capacities",
  security: staffOrToken,
  middleware: [permit("services:manage")] as const,
  request: {
    params: ServiceParams,
    body: { required: true, content: { "application/json": { schema: ServiceInput } } },
  },
  responses: {
    200: { description: "Updated", content: { "application/json": { schema: ServiceRecord } } },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "validation_failed",
    ),
  },
});

const archiveRoute = createRoute({
  method: "post",
  path: "/services/{serviceId}/archive",
  tags: ["services"],
  summary: "Archive a service; its uses and figures are kept",
  security: staffOrToken,
  middleware: [permit("services:manage")] as const,
  request: { params: ServiceParams },
  responses: {
    200: { description: "Archived", content: { "application/json": { schema: ServiceRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

const capacityRoute = createRoute({
  method: "get",
  path: "/services/{serviceId}/capacity",
  tags: ["services"],
  summary: "A day's capacity of a service, what was used and what remains",
  security: staffOrToken,
  middleware: [permit("services:read")] as const,
  request: {
    params: ServiceParams,
    query: z.object({ date: LocalDate.optional().openapi({ description: "Local day; today by default" }) }),
  },
  responses: {
    200: { description: "Capacity", content: { "application/json": { schema: Capacity } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

export const serviceRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const principal = authorize(c, "services:read");
    const { limit, cursor, centreId, category, status, organizationId, openAt, includeArchived } =
      c.req.valid("query");
    if (centreId !== undefined) assertCentreVisible(principal, centreId);
    const { db, now } = c.get("services");
    const rows = await listServices(db, {
      centreId: centreId ?? principal.centreId,
      afterId: decodeCursor(cursor),
      limit,
      includeArchived,
      ...(category ? { category } : {}),
      ...(status ? { status } : {}),
      ...(organizationId ? { organizationId } : {}),
    });
    const page = toPage(rows, limit);
    const at = now();
    const items = page.items
      .filter((service) => openAt === undefined || isOpen(service.schedule, openAt))
      .map((service) => withOpening(service, at));
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  })
  .openapi(createServiceRoute, async (c) => {
    const { centreId, ...input } = c.req.valid("json");
    authorize(c, "services:manage", centreId);
    const { db, now, newId } = c.get("services");
    if (!(await getCentre(db, centreId))) {
      throw new ApiProblem("validation_failed", "Unknown centre", [
        { path: ["centreId"], code: "invalid_value", message: "No such centre" },
      ]);
    }
    await checkOrganization(c, input.organizationId, centreId);
    const id = newId();
    await db.batch([
      insertService(db, id, centreId, input, now().toISOString()),
      auditStatement(c, { action: "create", entity: "service", entityId: id, centreId, after: input }),
    ]);
    return c.json(withOpening((await getService(db, id)) as Service, now()), 201);
  })
  .openapi(getRoute, async (c) => {
    const service = await visibleService(c, c.req.valid("param").serviceId, "services:read");
    return c.json(withOpening(service, c.get("services").now()), 200);
  })
  .openapi(replaceRoute, async (c) => {
    const { serviceId } = c.req.valid("param");
    const input = c.req.valid("json");
    const before = await visibleService(c, serviceId, "services:manage");
    await checkOrganization(c, input.organizationId, before.centreId);
    const { db, now } = c.get("services");
    await db.batch([
      replaceService(db, serviceId, input, now().toISOString()),
      auditStatement(c, {
        action: "update",
        entity: "service",
        entityId: serviceId,
        centreId: before.centreId,
        before,
        after: input,
      }),
    ]);
    return c.json(withOpening((await getService(db, serviceId)) as Service, now()), 200);
  })
  .openapi(archiveRoute, async (c) => {
    const before = await visibleService(c, c.req.valid("param").serviceId, "services:manage");
    return c.json(
      withOpening(await archiveRecord(c, "service", before, archiveService), c.get("services").now()),
      200,
    );
  })
  .openapi(capacityRoute, async (c) => {
    const service = await visibleService(c, c.req.valid("param").serviceId, "services:read");
    const { db, now } = c.get("services");
    const date = c.req.valid("query").date ?? localDateOf(now(), service.schedule.timeZone);
    const capacity = capacityOn(service.schedule, date);
    const used = (await serviceUseTotalsOn(db, service.centreId, date)).get(service.id) ?? 0;
    const daily = capacity.daily ?? null;
    return c.json(
      {
        serviceId: service.id,
        date,
        dailyCapacity: daily,
        used,
        remaining: daily === null ? null : Math.max(0, daily - used),
        slots: capacity.slots,
      },
      200,
    );
  });
