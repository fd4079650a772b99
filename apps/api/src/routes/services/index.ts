import { capacityOn, isOpen, localDateOf, openingStatus, type Service } from "@halte/core";
import {
  archiveService,
  type Db,
  getCapacityReport,
  getCentre,
  getService,
  insertService,
  isPartnerOfCentre,
  type ListServicesOptions,
  listServices,
  replaceService,
  serviceUsesOn,
} from "@halte/db";
import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { auditStatement } from "../../audit.js";
import { assertCentreVisible, authorize, permit } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { decodeCursor, toPage } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { archiveRecord } from "../archive.js";
import {
  CapacityQuery,
  type OpeningStatus,
  ServiceCapacity,
  ServiceCreate,
  ServiceListQuery,
  ServicePage,
  ServiceParams,
  ServiceRecord,
  ServiceReplace,
} from "./schema.js";

/** Only an active service opens: a temporarily closed, inactive or defunct one is closed whatever its schedule. */
function statusAt(service: Service, at: Date): z.infer<typeof OpeningStatus> {
  if (service.status !== "active") return { open: false, closesAt: null, nextOpensAt: null };
  const status = openingStatus(service.schedule, at);
  return status.open
    ? { open: true, closesAt: status.closesAt?.toISOString() ?? null, nextOpensAt: null }
    : { open: false, closesAt: null, nextOpensAt: status.nextOpensAt?.toISOString() ?? null };
}

function withOpeningStatus(service: Service, at: Date) {
  return { ...service, openingStatus: statusAt(service, at) };
}

function isOpenAt(service: Service, instant: string): boolean {
  return service.status === "active" && isOpen(service.schedule, instant);
}

/**
 * Up to `limit + 1` services open at `instant`, in id order. The schedule lives in JSON, so the filter runs
 * here: rows are scanned in batches until the page is full, and the page keeps the usual cursor meaning.
 */
async function listOpenServices(db: Db, options: ListServicesOptions, instant: string): Promise<Service[]> {
  const batch = Math.max(options.limit + 1, 100);
  const matches: Service[] = [];
  let afterId = options.afterId;
  for (;;) {
    const rows = await listServices(db, { ...options, limit: batch, ...(afterId ? { afterId } : {}) });
    const scanned = rows.slice(0, batch);
    for (const service of scanned) {
      if (!isOpenAt(service, instant)) continue;
      matches.push(service);
      if (matches.length > options.limit) return matches;
    }
    const last = scanned.at(-1);
    if (rows.length <= batch || !last) return matches;
    afterId = last.id;
  }
}

/** A service's provider must be a current (not archived) partner of the service's centre. */
async function checkOrganization(c: Context<AppEnv>, organizationId: string, centreId: string) {
  if (!(await isPartnerOfCentre(c.get("services").db, organizationId, centreId))) {
    throw new ApiProblem("validation_failed", "The provider is not a partner of this centre", [
      { path: ["organizationId"], code: "invalid_value", message: "Not a current partner of this centre" },
    ]);
  }
}

/** The service if the caller's role may and its centre is the caller's; 404 for another centre's. */
async function visibleService(
  c: Context<AppEnv>,
  serviceId: string,
  permission: "services:read" | "services:manage",
): Promise<Service> {
  const principal = authorize(c, permission);
  const service = await getService(c.get("services").db, serviceId);
  if (!service) throw new ApiProblem("not_found", "No such service");
  assertCentreVisible(principal, service.centreId);
  return service;
}

const listRoute = defineRoute({
  method: "get",
  path: "/services",
  operationId: "listServices",
  tags: ["services"],
  summary: "List a centre's services, by category, status or provider, or only those open at an instant",
  security: staffOrToken,
  middleware: [permit("services:read")] as const,
  request: { query: ServiceListQuery },
  responses: {
    200: { description: "A page of services", content: { "application/json": { schema: ServicePage } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

const createServiceRoute = defineRoute({
  method: "post",
  path: "/services",
  operationId: "createService",
  tags: ["services"],
  summary: "Add a service (HSDS-aligned) with its schedule, exceptions and capacities",
  description:
    "The centre is named by `centreId` in the body; `organizationId` must be a current partner of that centre.",
  security: staffOrToken,
  middleware: [permit("services:manage")] as const,
  request: { body: { required: true, content: { "application/json": { schema: ServiceCreate } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: ServiceRecord } } },
    ...problemResponses("malformed_request", "unauthenticated", "forbidden", "validation_failed"),
  },
});

const getRoute = defineRoute({
  method: "get",
  path: "/services/{serviceId}",
  operationId: "getService",
  tags: ["services"],
  summary: "Get a service and whether it is open now (until when) or when it next opens",
  security: staffOrToken,
  middleware: [permit("services:read")] as const,
  request: { params: ServiceParams },
  responses: {
    200: { description: "The service", content: { "application/json": { schema: ServiceRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

const replaceRoute = defineRoute({
  method: "put",
  path: "/services/{serviceId}",
  operationId: "updateService",
  tags: ["services"],
  summary: "Update a service, its schedule, exceptions and capacities; it stays at its centre",
  security: staffOrToken,
  middleware: [permit("services:manage")] as const,
  request: {
    params: ServiceParams,
    body: { required: true, content: { "application/json": { schema: ServiceReplace } } },
  },
  responses: {
    200: { description: "Updated", content: { "application/json": { schema: ServiceRecord } } },
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

const archiveRoute = defineRoute({
  method: "post",
  path: "/services/{serviceId}/archive",
  operationId: "archiveService",
  tags: ["services"],
  summary: "Archive a service; its uses and figures are kept. Archiving twice changes nothing",
  security: staffOrToken,
  middleware: [permit("services:manage")] as const,
  request: { params: ServiceParams },
  responses: {
    200: { description: "Archived", content: { "application/json": { schema: ServiceRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

const capacityRoute = defineRoute({
  method: "get",
  path: "/services/{serviceId}/capacity",
  operationId: "getServiceCapacity",
  tags: ["services"],
  summary: "A day's capacity of a service, the uses recorded that day and what remains",
  security: staffOrToken,
  middleware: [permit("services:read")] as const,
  request: { params: ServiceParams, query: CapacityQuery },
  responses: {
    200: { description: "Capacity", content: { "application/json": { schema: ServiceCapacity } } },
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
    const afterId = decodeCursor(cursor);
    const options: ListServicesOptions = {
      centreId: centreId ?? principal.centreId,
      limit,
      includeArchived,
      ...(afterId ? { afterId } : {}),
      ...(category ? { category } : {}),
      ...(status ? { status } : {}),
      ...(organizationId ? { organizationId } : {}),
    };
    const rows =
      openAt === undefined ? await listServices(db, options) : await listOpenServices(db, options, openAt);
    const page = toPage(rows, limit);
    const at = now();
    return c.json(
      { items: page.items.map((service) => withOpeningStatus(service, at)), nextCursor: page.nextCursor },
      200,
    );
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
    const created = await getService(db, id);
    if (!created) throw new Error("service vanished after insert");
    return c.json(withOpeningStatus(created, now()), 201);
  })
  .openapi(getRoute, async (c) => {
    const service = await visibleService(c, c.req.valid("param").serviceId, "services:read");
    return c.json(withOpeningStatus(service, c.get("services").now()), 200);
  })
  .openapi(replaceRoute, async (c) => {
    const { serviceId } = c.req.valid("param");
    const input = c.req.valid("json");
    const before = await visibleService(c, serviceId, "services:manage");
    if (before.archivedAt !== null) {
      throw new ApiProblem("conflict", "This service is archived; archived records are kept as they were");
    }
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
    const after = await getService(db, serviceId);
    if (!after) throw new Error("service vanished after update");
    return c.json(withOpeningStatus(after, now()), 200);
  })
  .openapi(archiveRoute, async (c) => {
    const before = await visibleService(c, c.req.valid("param").serviceId, "services:manage");
    const at = c.get("services").now();
    if (before.archivedAt !== null) return c.json(withOpeningStatus(before, at), 200);
    return c.json(withOpeningStatus(await archiveRecord(c, "service", before, archiveService), at), 200);
  })
  .openapi(capacityRoute, async (c) => {
    const service = await visibleService(c, c.req.valid("param").serviceId, "services:read");
    const { db, now } = c.get("services");
    const date = c.req.valid("query").date ?? localDateOf(now(), service.schedule.timeZone);
    const capacity = capacityOn(service.schedule, date);
    const used = await serviceUsesOn(db, service.centreId, service.id, date);
    const daily = capacity.daily ?? null;
    const report = await getCapacityReport(db, service.id, date);
    return c.json(
      {
        serviceId: service.id,
        date,
        dailyCapacity: daily,
        used,
        remaining: daily === null ? null : Math.max(0, daily - used),
        slots: capacity.slots,
        partnerReport: report
          ? { available: report.available, note: report.note, occurredAt: report.occurredAt }
          : null,
      },
      200,
    );
  });
