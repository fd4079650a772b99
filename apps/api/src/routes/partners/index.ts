import { Id, Partner, PartnerInput, PartnerRole } from "@halte/core";
import {
  archivePartner,
  getCentre,
  getPartner,
  insertPartner,
  listPartners,
  replacePartner,
} from "@halte/db";
import { createRoute, z } from "@hono/zod-openapi";
import { auditStatement } from "../../audit.js";
import { assertCentreVisible, authorize, permit } from "../../auth/middleware.js";
import { staffOrToken } from "../../openapi.js";
import { decodeCursor, PageQuery, pageOf, toPage } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { archiveRecord, IncludeArchived } from "../archive.js";

const PartnerRecord = Partner.openapi("Partner");
const PartnerCreate = PartnerInput.extend({ centreId: Id }).openapi("PartnerInput");
const PartnerParams = z.object({ partnerId: z.string().min(1).max(64) });

const listRoute = createRoute({
  method: "get",
  path: "/partners",
  tags: ["partners"],
  summary: "List the organisations working with a centre",
  security: staffOrToken,
  middleware: [permit("partners:read")] as const,
  request: {
    query: PageQuery.extend({
      centreId: Id.optional(),
      role: PartnerRole.optional(),
      includeArchived: IncludeArchived,
    }),
  },
  responses: {
    200: {
      description: "A page of partners",
      content: { "application/json": { schema: pageOf(PartnerRecord, "Partner") } },
    },
    ...problemResponses("unauthenticated", "forbidden", "validation_failed"),
  },
});

const createPartnerRoute = createRoute({
  method: "post",
  path: "/partners",
  tags: ["partners"],
  summary: "Register an organisation at a centre",
  security: staffOrToken,
  middleware: [permit("partners:manage")] as const,
  request: { body: { required: true, content: { "application/json": { schema: PartnerCreate } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: PartnerRecord } } },
    ...problemResponses("malformed_request", "unauthenticated", "forbidden", "validation_failed"),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/partners/{partnerId}",
  tags: ["partners"],
  summary: "Get a partner",
  security: staffOrToken,
  middleware: [permit("partners:read")] as const,
  request: { params: PartnerParams },
  responses: {
    200: { description: "The partner", content: { "application/json": { schema: PartnerRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

const replaceRoute = createRoute({
  method: "put",
  path: "/partners/{partnerId}",
  tags: ["partners"],
  summary: "Update a partner",
  security: staffOrToken,
  middleware: [permit("partners:manage")] as const,
  request: {
    params: PartnerParams,
    body: { required: true, content: { "application/json": { schema: PartnerInput } } },
  },
  responses: {
    200: { description: "Updated", content: { "application/json": { schema: PartnerRecord } } },
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
  path: "/partners/{partnerId}/archive",
  tags: ["partners"],
  summary: "Archive a partner; its services, referrals and figures are kept",
  security: staffOrToken,
  middleware: [permit("partners:manage")] as const,
  request: { params: PartnerParams },
  responses: {
    200: { description: "Archived", content: { "application/json": { schema: PartnerRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

export const partnerRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const principal = authorize(c, "partners:read");
    const { limit, cursor, centreId, role, includeArchived } = c.req.valid("query");
    if (centreId !== undefined) assertCentreVisible(principal, centreId);
    const rows = await listPartners(c.get("services").db, {
      centreId: centreId ?? principal.centreId,
      afterId: decodeCursor(cursor),
      limit,
      includeArchived,
      ...(role ? { role } : {}),
    });
    return c.json(toPage(rows, limit), 200);
  })
  .openapi(createPartnerRoute, async (c) => {
    const { centreId, ...input } = c.req.valid("json");
    authorize(c, "partners:manage", centreId);
    const { db, now, newId } = c.get("services");
    if (!(await getCentre(db, centreId))) {
      throw new ApiProblem("validation_failed", "Unknown centre", [
        { path: ["centreId"], code: "invalid_value", message: "No such centre" },
      ]);
    }
    const id = newId();
    await db.batch([
      insertPartner(db, id, centreId, input, now().toISOString()),
      auditStatement(c, { action: "create", entity: "partner", entityId: id, centreId, after: input }),
    ]);
    return c.json((await getPartner(db, id)) as Partner, 201);
  })
  .openapi(getRoute, async (c) => {
    const principal = authorize(c, "partners:read");
    const partner = await getPartner(c.get("services").db, c.req.valid("param").partnerId);
    if (!partner) throw new ApiProblem("not_found", "No such partner");
    assertCentreVisible(principal, partner.centreId);
    return c.json(partner, 200);
  })
  .openapi(replaceRoute, async (c) => {
    const { partnerId } = c.req.valid("param");
    const input = c.req.valid("json");
    const { db, now } = c.get("services");
    const before = await getPartner(db, partnerId);
    if (!before) throw new ApiProblem("not_found", "No such partner");
    assertCentreVisible(authorize(c, "partners:manage"), before.centreId);
    await db.batch([
      replacePartner(db, partnerId, input, now().toISOString()),
      auditStatement(c, {
        action: "update",
        entity: "partner",
        entityId: partnerId,
        centreId: before.centreId,
        before,
        after: input,
      }),
    ]);
    return c.json((await getPartner(db, partnerId)) as Partner, 200);
  })
  .openapi(archiveRoute, async (c) => {
    const before = await getPartner(c.get("services").db, c.req.valid("param").partnerId);
    if (!before) throw new ApiProblem("not_found", "No such partner");
    assertCentreVisible(authorize(c, "partners:manage"), before.centreId);
    return c.json(await archiveRecord(c, "partner", before, archivePartner), 200);
  });
