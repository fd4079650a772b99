import { getCentre, getPartnerRow, linkPartnerCentre, partnerCentreIds } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { PartnerCentreLink, PartnerParams, PartnerWithCentres } from "./schema.js";
import { copyPartnerInto, partnerWithCentres, refuseArchived, visiblePartner } from "./shared.js";

const route = defineRoute({
  method: "post",
  path: "/partners/{partnerId}/centres",
  operationId: "linkPartnerCentre",
  tags: ["partners"],
  summary: "Link a partner to another centre: one identity, one token, one webhook secret for both",
  description:
    "The partner's users, API tokens and webhook secrets then reach that centre's referrals, services and " +
    "capacity reports as well as its home centre's, and the centre's staff can address referrals to it. " +
    "Needs `partners:manage` at both centres: an admin or coordinator bound to no centre. Linking a centre " +
    "already linked (or the home centre) changes nothing and answers the same.",
  security: staffOrToken,
  middleware: [permit("partners:manage")] as const,
  request: {
    params: PartnerParams,
    body: { required: true, content: { "application/json": { schema: PartnerCentreLink } } },
  },
  responses: {
    200: {
      description: "The partner, with the centres it works with",
      content: { "application/json": { schema: PartnerWithCentres } },
    },
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

export const linkPartnerCentreRoute = createRouter().openapi(route, async (c) => {
  const principal = authorize(c, "partners:manage");
  const { partnerId } = c.req.valid("param");
  const { centreId } = c.req.valid("json");
  const partner = await visiblePartner(c, principal, partnerId);
  authorize(c, "partners:manage", centreId);
  refuseArchived(partner);
  const { db, now } = c.get("services");
  const centre = await getCentre(db, centreId);
  if (!centre) {
    throw new ApiProblem("validation_failed", "Unknown centre", [
      { path: ["centreId"], code: "invalid_value", message: "No such centre" },
    ]);
  }
  if (!(await partnerCentreIds(db, partnerId)).includes(centreId)) {
    if (centre.archivedAt !== null) {
      throw new ApiProblem("conflict", "This centre is archived; no partner can be linked to it");
    }
    // The copy in the centre's database first (its referrals name the partner by a foreign key), then the
    // link: the link is what gives access, so a link write that fails after the copy changes nothing a
    // caller sees, and linking again converges (the copy is an upsert, the link an insert-or-nothing).
    const row = await getPartnerRow(db, partnerId);
    if (row) await copyPartnerInto(c, row, centreId);
    await db.batch([
      linkPartnerCentre(db, partnerId, centreId, now().toISOString()),
      auditStatement(c, {
        action: "link_centre",
        entity: "partner",
        entityId: partnerId,
        centreId,
        after: { centreId },
      }),
    ]);
  }
  return c.json(await partnerWithCentres(c, principal, partner), 200);
});
