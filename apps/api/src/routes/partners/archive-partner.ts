import { archivePartner, getPartnerRow, partnerStaffIds, revokePartnerAccess } from "@halte/db";
import { withFence } from "../../auth/grants.js";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { archiveRecord } from "../archive.js";
import { PartnerParams, PartnerRecord } from "./schema.js";
import { visiblePartner, writePartnerCopy } from "./shared.js";

const route = defineRoute({
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

export const archivePartnerRoute = createRouter().openapi(route, async (c) => {
  const principal = authorize(c, "partners:manage");
  const before = await visiblePartner(c, principal, c.req.valid("param").partnerId);
  if (before.archivedAt !== null) return c.json(before, 200);
  // The copy in the centre's database is archived first (see writePartnerCopy): its referrals and reports
  // there check it. If the directory's archive then fails, the partner is served as active, as before, and
  // archiving again converges. Once the directory's is written, the copy takes its instant too.
  const stored = await getPartnerRow(c.get("services").db, before.id);
  const at = c.get("services").now().toISOString();
  if (stored) await writePartnerCopy(c, { ...stored, archivedAt: at, updatedAt: at });
  // Its staff's and its secrets' grants in centre databases go first, with the access the archive revokes.
  const actorIds = [before.id, ...(await partnerStaffIds(c.get("services").db, before.id))];
  const archived = await withFence(c, { actorIds, centres: "all" }, () =>
    archiveRecord(c, "partner", before, archivePartner, revokePartnerAccess),
  );
  if (stored)
    await writePartnerCopy(c, { ...stored, archivedAt: archived.archivedAt, updatedAt: archived.updatedAt });
  return c.json(archived, 200);
});
