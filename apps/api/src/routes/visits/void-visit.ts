import { checkUndo, Id, Instant, type UndoRefusal } from "@halte/core";
import { getVisitForUndo, voidVisitStatements } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { auditStatement } from "../../audit.js";
import { authorize, permit, requirePrincipal } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { findTapAnywhere } from "../centre-rows.js";

/** The answer to an undo: which record, and since when it counts in no figure. */
export const VoidedRecord = z.object({ id: Id, voidedAt: Instant }).openapi("VoidedRecord");

/**
 * The problem for a refused undo. A second undo of the same tap is not refused (the caller's answer was
 * lost: the first undo stands), so `already_voided` never reaches here.
 */
export function undoProblem(refusal: UndoRefusal): ApiProblem {
  return refusal.code === "not_recorder"
    ? new ApiProblem("forbidden", refusal.message)
    : new ApiProblem("conflict", refusal.message);
}

const voidVisitRoute = defineRoute({
  method: "post",
  path: "/visits/{visitId}/void",
  operationId: "voidVisit",
  middleware: [permit("visits:record")] as const,
  tags: ["visits"],
  summary: "Undo an arrival tapped by mistake (by the same device, within 10 minutes)",
  description:
    "Voids the visit and the service uses recorded with it: they stay in the audit trail but count in no " +
    "figure (today's count, capacity, day partials, reports, exports). Only the user or door device that " +
    "recorded the visit may undo it, within 10 minutes of recording it (403 otherwise; 409 when too late). " +
    "Undoing an already voided visit answers 200 with the first undo's time and changes nothing.",
  security: staffOrToken,
  request: { params: z.object({ visitId: Id }) },
  responses: {
    200: { description: "Voided", content: { "application/json": { schema: VoidedRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "conflict"),
  },
});

export const voidVisitRoutes = createRouter().openapi(voidVisitRoute, async (c) => {
  const { visitId } = c.req.valid("param");
  const { now } = c.get("services");
  const caller = requirePrincipal(c);
  const held = await findTapAnywhere(c, caller, (db) => getVisitForUndo(db, visitId));
  if (!held) throw new ApiProblem("not_found", "No such visit");
  const { found: visit, db } = held;
  authorize(c, "visits:record", visit.centreId);
  const allowed = checkUndo(visit, caller.id, now());
  if (!allowed.ok) {
    if (allowed.error.code === "already_voided" && visit.recordedBy === caller.id && visit.voidedAt) {
      return c.json({ id: visit.id, voidedAt: visit.voidedAt }, 200);
    }
    throw undoProblem(allowed.error);
  }
  const at = now().toISOString();
  await db.batch([
    ...voidVisitStatements(db, visit.id, at),
    auditStatement(
      c,
      {
        action: "void",
        entity: "visit",
        entityId: visit.id,
        centreId: visit.centreId,
        before: { voidedAt: null },
        after: { voidedAt: at },
      },
      db,
    ),
  ]);
  return c.json({ id: visit.id, voidedAt: at }, 200);
});
