import { Centre, CentreInput } from "@halte/core";
import {
  archiveCentre,
  getCentre,
  getCentreBySlug,
  insertCentre,
  listCentres,
  replaceCentre,
} from "@halte/db";
import { z } from "@hono/zod-openapi";
import { auditStatement } from "../../audit.js";
import { authorize, authorizeUnbound, permit, requirePrincipal } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { decodeCursor, PageQuery, pageOf, toPage } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";

const CentreRecord = Centre.openapi("Centre");
const CentreParams = z.object({ centreId: z.string().min(1).max(64) });

const listRoute = defineRoute({
  method: "get",
  path: "/centres",
  operationId: "listCentres",
  middleware: [permit()] as const,
  tags: ["centres"],
  summary: "List the centres you work for",
  security: staffOrToken,
  request: { query: PageQuery.extend({ includeArchived: z.enum(["true", "false"]).optional() }) },
  responses: {
    200: {
      description: "A page of centres",
      content: { "application/json": { schema: pageOf(CentreRecord, "Centre") } },
    },
    ...problemResponses("unauthenticated", "validation_failed"),
  },
});

const createCentreRoute = defineRoute({
  method: "post",
  path: "/centres",
  operationId: "createCentre",
  middleware: [permit("centre:manage")] as const,
  tags: ["centres"],
  summary: "Open a new centre (an admin bound to no centre)",
  security: staffOrToken,
  request: { body: { required: true, content: { "application/json": { schema: CentreInput } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: CentreRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "conflict", "validation_failed"),
  },
});

const getRoute = defineRoute({
  method: "get",
  path: "/centres/{centreId}",
  operationId: "getCentre",
  middleware: [permit()] as const,
  tags: ["centres"],
  summary: "Get a centre",
  security: staffOrToken,
  request: { params: CentreParams },
  responses: {
    200: { description: "The centre", content: { "application/json": { schema: CentreRecord } } },
    ...problemResponses("unauthenticated", "not_found"),
  },
});

const replaceRoute = defineRoute({
  method: "put",
  path: "/centres/{centreId}",
  operationId: "updateCentre",
  middleware: [permit("centre:manage")] as const,
  tags: ["centres"],
  summary: "Update a centre (admin)",
  security: staffOrToken,
  request: {
    params: CentreParams,
    body: { required: true, content: { "application/json": { schema: CentreInput } } },
  },
  responses: {
    200: { description: "Updated", content: { "application/json": { schema: CentreRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "conflict", "validation_failed"),
  },
});

const archiveRoute = defineRoute({
  method: "post",
  path: "/centres/{centreId}/archive",
  operationId: "archiveCentre",
  middleware: [permit("centre:manage")] as const,
  tags: ["centres"],
  summary: "Archive a centre (admin); its records and figures are kept",
  security: staffOrToken,
  request: { params: CentreParams },
  responses: {
    200: { description: "Archived", content: { "application/json": { schema: CentreRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

async function slugTaken(db: Parameters<typeof getCentreBySlug>[0], slug: string, exceptId?: string) {
  const existing = await getCentreBySlug(db, slug);
  return existing !== null && existing.id !== exceptId;
}

export const centreRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const principal = requirePrincipal(c);
    const { limit, cursor, includeArchived } = c.req.valid("query");
    const rows = await listCentres(c.get("services").db, {
      onlyId: principal.centreId,
      afterId: decodeCursor(cursor),
      limit,
      includeArchived: includeArchived === "true",
    });
    return c.json(toPage(rows, limit), 200);
  })
  .openapi(createCentreRoute, async (c) => {
    authorizeUnbound(c, "centre:manage");
    const input = c.req.valid("json");
    const { db, now, newId } = c.get("services");
    if (await slugTaken(db, input.slug)) {
      throw new ApiProblem("conflict", `The slug "${input.slug}" is already used by another centre`);
    }
    const id = newId();
    const at = now().toISOString();
    await db.batch([
      insertCentre(db, id, input, at),
      auditStatement(c, { action: "create", entity: "centre", entityId: id, centreId: id, after: input }),
    ]);
    const created = await getCentre(db, id);
    if (!created) throw new Error("centre vanished after insert");
    return c.json(created, 201);
  })
  .openapi(getRoute, async (c) => {
    const principal = requirePrincipal(c);
    const { centreId } = c.req.valid("param");
    const centre = await getCentre(c.get("services").db, centreId);
    if (!centre || (principal.centreId !== null && principal.centreId !== centreId)) {
      throw new ApiProblem("not_found", "No such centre");
    }
    return c.json(centre, 200);
  })
  .openapi(replaceRoute, async (c) => {
    const { centreId } = c.req.valid("param");
    authorize(c, "centre:manage", centreId);
    const input = c.req.valid("json");
    const { db, now } = c.get("services");
    const before = await getCentre(db, centreId);
    if (!before) throw new ApiProblem("not_found", "No such centre");
    if (await slugTaken(db, input.slug, centreId)) {
      throw new ApiProblem("conflict", `The slug "${input.slug}" is already used by another centre`);
    }
    await db.batch([
      replaceCentre(db, centreId, input, now().toISOString()),
      auditStatement(c, {
        action: "update",
        entity: "centre",
        entityId: centreId,
        centreId,
        before,
        after: input,
      }),
    ]);
    const after = await getCentre(db, centreId);
    if (!after) throw new Error("centre vanished after update");
    return c.json(after, 200);
  })
  .openapi(archiveRoute, async (c) => {
    const { centreId } = c.req.valid("param");
    authorize(c, "centre:manage", centreId);
    const { db, now } = c.get("services");
    const before = await getCentre(db, centreId);
    if (!before) throw new ApiProblem("not_found", "No such centre");
    const at = now().toISOString();
    await db.batch([
      archiveCentre(db, centreId, at),
      auditStatement(c, {
        action: "archive",
        entity: "centre",
        entityId: centreId,
        centreId,
        before: { archivedAt: before.archivedAt },
        after: { archivedAt: at },
      }),
    ]);
    return c.json({ ...before, archivedAt: at, updatedAt: at }, 200);
  });
