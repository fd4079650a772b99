import { getCentre, getPartner, insertPartner, linkPartnerCentre, partnerColumns } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { PartnerCreate, PartnerRecord } from "./schema.js";
import { writePartnerCopy } from "./shared.js";

const route = defineRoute({
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

export const createPartnerRoute = createRouter().openapi(route, async (c) => {
  const { centreId, ...input } = c.req.valid("json");
  authorize(c, "partners:manage", centreId);
  const { db, now, newId } = c.get("services");
  if (!(await getCentre(db, centreId))) {
    throw new ApiProblem("validation_failed", "Unknown centre", [
      { path: ["centreId"], code: "invalid_value", message: "No such centre" },
    ]);
  }
  const id = newId();
  const at = now().toISOString();
  // The centre database's copy first: a directory insert that fails after it leaves an unnamed copy that
  // nothing serves (routes read partners from the directory), and no referral can name it.
  await writePartnerCopy(c, {
    id,
    centreId,
    ...partnerColumns(input),
    createdAt: at,
    updatedAt: at,
    archivedAt: null,
  });
  await db.batch([
    insertPartner(db, id, centreId, input, at),
    // Its home centre is the first centre it works with (docs/partners.md, "One identity across centres").
    linkPartnerCentre(db, id, centreId, at),
    auditStatement(c, { action: "create", entity: "partner", entityId: id, centreId, after: input }),
  ]);
  const created = await getPartner(db, id);
  if (!created) throw new Error("partner vanished after insert");
  return c.json(created, 201);
});
