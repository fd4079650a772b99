import { checkUndo, Id } from "@halte/core";
import { getServiceUseForUndo, voidServiceUseStatement } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { auditStatement } from "../../audit.js";
import { authorize, permit, requirePrincipal } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { findTapAnywhere } from "../centre-rows.js";
import { undoProblem, VoidedRecord } from "../visits/void-visit.js";

const voidServiceUseRoute = defineRoute({
  method: "post",
  path: "/service-uses/{serviceUseId}/void",
  operationId: "voidServiceUse",
  middleware: [permit("visits:record")] as const,
  tags: ["service-uses"],
  summary: "Undo a service use tapped by mistake at the door (by the same device, within 10 minutes)",
  description:
    "The use stays in the audit trail but counts in no figure. Only the user or door device that recorded " +
    "it may undo it, within 10 minutes (403 otherwise; 409 when too late); a partner's reports are not " +
    "undone here. Undoing an already voided use answers 200 with the first undo's time.",
  security: staffOrToken,
  request: { params: z.object({ serviceUseId: Id }) },
  responses: {
    200: { description: "Voided", content: { "application/json": { schema: VoidedRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "conflict"),
  },
});

export const voidServiceUseRoutes = createRouter().openapi(voidServiceUseRoute, async (c) => {
  const { serviceUseId } = c.req.valid("param");
  const { now } = c.get("services");
  const caller = requirePrincipal(c);
  const held = await findTapAnywhere(c, caller, (db) => getServiceUseForUndo(db, serviceUseId));
  if (!held) throw new ApiProblem("not_found", "No such service use");
  const { found: use, db } = held;
  authorize(c, "visits:record", use.centreId);
  const allowed = checkUndo(use, caller.id, now());
  if (!allowed.ok) {
    if (allowed.error.code === "already_voided" && use.recordedBy === caller.id && use.voidedAt) {
      return c.json({ id: use.id, voidedAt: use.voidedAt }, 200);
    }
    throw undoProblem(allowed.error);
  }
  const at = now().toISOString();
  await db.batch([
    voidServiceUseStatement(db, use.id, at),
    auditStatement(
      c,
      {
        action: "void",
        entity: "service_use",
        entityId: use.id,
        centreId: use.centreId,
        before: { voidedAt: null },
        after: { voidedAt: at },
      },
      db,
    ),
  ]);
  return c.json({ id: use.id, voidedAt: at }, 200);
});
