import { getPartner, getPartnerRow, partnerColumns, replacePartner } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { PartnerParams, PartnerRecord, PartnerReplace } from "./schema.js";
import { refuseArchived, visiblePartner, writePartnerCopy } from "./shared.js";

const route = defineRoute({
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

export const updatePartnerRoute = createRouter().openapi(route, async (c) => {
  const principal = authorize(c, "partners:manage");
  const { partnerId } = c.req.valid("param");
  const input = c.req.valid("json");
  const before = await visiblePartner(c, principal, partnerId);
  refuseArchived(before);
  const { db, now } = c.get("services");
  const at = now().toISOString();
  const stored = await getPartnerRow(db, partnerId);
  if (stored) await writePartnerCopy(c, { ...stored, ...partnerColumns(input), updatedAt: at });
  await db.batch([
    replacePartner(db, partnerId, input, at),
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
});
