import type { Partner } from "@halte/core";
import {
  archivePartner,
  getCentre,
  getPartner,
  insertPartner,
  listPartners,
  replacePartner,
  revokePartnerAccess,
} from "@halte/db";
import type { Context } from "hono";
import { auditStatement } from "../../audit.js";
import { assertCentreVisible, authorize, permit } from "../../auth/middleware.js";
import type { Principal } from "../../auth/principal.js";
import type { AppEnv } from "../../context.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { decodeCursor, toPage } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { archiveRecord } from "../archive.js";
import {
  PartnerCreate,
  PartnerListQuery,
  PartnerPage,
  PartnerParams,
  PartnerRecord,
  PartnerReplace,
} from "./schema.js";

/**
 * A caller that belongs to an organisation (a partner's API token, a partner user) sees that organisation
 * only; staff see every partner of their centre. `null`: no such restriction.
 */
function ownOrganisation(principal: Principal): string | null {
  return principal.partnerId;
}

/** The partner if the caller may see it; 404 otherwise, so nobody learns which ids exist elsewhere. */
async function visiblePartner(c: Context<AppEnv>, principal: Principal, partnerId: string): Promise<Partner> {
  const partner = await getPartner(c.get("services").db, partnerId);
  const own = ownOrganisation(principal);
  if (!partner || (own !== null && partner.id !== own)) throw new ApiProblem("not_found", "No such partner");
  assertCentreVisible(principal, partner.centreId);
  return partner;
}

function refuseArchived(partner: Partner): void {
  if (partner.archivedAt !== null) {
    throw new ApiProblem("conflict", "This partner is archived; archived records are kept as they were");
  }
}

const listRoute = defineRoute({
  method: "get",
  path: "/partners",
  operationId: "listPartners",
  tags: ["partners"],
  summary: "List the organisations working with a centre",
  description:
    "Staff see their centre's partners (admins: every centre's, or one with `centreId`). A partner's token " +
    "or a partner user sees its own organisation only.",
  security: staffOrToken,
  middleware: [permit("partners:read")] as const,
  request: { query: PartnerListQuery },
  responses: {
    200: { description: "A page of partners", content: { "application/json": { schema: PartnerPage } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

const createPartnerRoute = defineRoute({
  method: "post",
  path: "/partners",
  operationId: "createPartner",
  tags: ["partners"],
  summary: "Register an organisation at a centre (the centre is named by `centreId` in the body)",
  security: staffOrToken,
  middleware: [permit("partners:manage")] as const,
  request: { body: { required: true, content: { "application/json": { schema: PartnerCreate } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: PartnerRecord } } },
    ...problemResponses("malformed_request", "unauthenticated", "forbidden", "validation_failed"),
  },
});

const getRoute = defineRoute({
  method: "get",
  path: "/partners/{partnerId}",
  operationId: "getPartner",
  tags: ["partners"],
  summary: "Get a partner (a partner caller: its own organisation only)",
  security: staffOrToken,
  middleware: [permit("partners:read")] as const,
  request: { params: PartnerParams },
  responses: {
    200: { description: "The partner", content: { "application/json": { schema: PartnerRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

const replaceRoute = defineRoute({
  method: "put",
  path: "/partners/{partnerId}",
  operationId: "updatePartner",
  tags: ["partners"],
  summary: "Update a partner; it stays at its centre",
  security: staffOrToken,
  middleware: [permit("partners:manage")] as const,
  request: {
    params: PartnerParams,
    body: { required: true, content: { "application/json": { schema: PartnerReplace } } },
  },
  responses: {
    200: { description: "Updated", content: { "application/json": { schema: PartnerRecord } } },
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
  path: "/partners/{partnerId}/archive",
  operationId: "archivePartner",
  tags: ["partners"],
  summary: "Archive a partner; its services, referrals and figures are kept. Archiving twice changes nothing",
  description:
    "Ends the organisation's access at once, in the same write: its staff's sessions, its API tokens and " +
    "webhook secrets are revoked, its webhook endpoints disabled and deliveries not yet sent dropped. Its " +
    "staff can no longer sign in, and sessions, tokens and deliveries are checked against the archive when " +
    "used as well.",
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
    const own = ownOrganisation(principal);
    const rows = await listPartners(c.get("services").db, {
      centreId: centreId ?? principal.centreId,
      afterId: decodeCursor(cursor),
      limit,
      includeArchived,
      ...(role ? { role } : {}),
      ...(own !== null ? { onlyId: own } : {}),
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
    const created = await getPartner(db, id);
    if (!created) throw new Error("partner vanished after insert");
    return c.json(created, 201);
  })
  .openapi(getRoute, async (c) => {
    const principal = authorize(c, "partners:read");
    return c.json(await visiblePartner(c, principal, c.req.valid("param").partnerId), 200);
  })
  .openapi(replaceRoute, async (c) => {
    const principal = authorize(c, "partners:manage");
    const { partnerId } = c.req.valid("param");
    const input = c.req.valid("json");
    const before = await visiblePartner(c, principal, partnerId);
    refuseArchived(before);
    const { db, now } = c.get("services");
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
    const after = await getPartner(db, partnerId);
    if (!after) throw new Error("partner vanished after update");
    return c.json(after, 200);
  })
  .openapi(archiveRoute, async (c) => {
    const principal = authorize(c, "partners:manage");
    const before = await visiblePartner(c, principal, c.req.valid("param").partnerId);
    if (before.archivedAt !== null) return c.json(before, 200);
    return c.json(await archiveRecord(c, "partner", before, archivePartner, revokePartnerAccess), 200);
  });
