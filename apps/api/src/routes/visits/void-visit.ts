import { checkUndo, Id, Instant, type UndoRefusal } from "@halte/core";
import { type Db, getVisitForUndo, type UndoableTap, voidVisitStatements } from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { BatchItem } from "drizzle-orm/batch";
import type { Context } from "hono";
import { auditStatement } from "../../audit.js";
import { authorize, permit, requirePrincipal } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
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
  return c.json(await undoTap(c, "visit", (db) => getVisitForUndo(db, visitId), voidVisitStatements), 200);
});

/**
 * Undoes a tap (a visit with its uses, or a lone use) in the database it was found in, with its audit row:
 * the caller's own tap within the undo window; a second undo answers the first one's time.
 */
export async function undoTap(
  c: Context<AppEnv>,
  entity: "visit" | "service_use",
  lookup: (db: Db) => Promise<UndoableTap | null>,
  voiding: (db: Db, id: string, at: string) => readonly BatchItem<"sqlite">[],
): Promise<{ id: string; voidedAt: string }> {
  const { now } = c.get("services");
  const caller = requirePrincipal(c);
  const held = await findTapAnywhere(c, caller, lookup);
  if (!held) throw new ApiProblem("not_found", entity === "visit" ? "No such visit" : "No such service use");
  const { found: tap, db } = held;
  authorize(c, "visits:record", tap.centreId);
  const allowed = checkUndo(tap, caller.id, now());
  if (!allowed.ok) {
    if (allowed.error.code === "already_voided" && tap.recordedBy === caller.id && tap.voidedAt) {
      return { id: tap.id, voidedAt: tap.voidedAt };
    }
    throw undoProblem(allowed.error);
  }
  const at = now().toISOString();
  const audit = auditStatement(
    c,
    {
      action: "void",
      entity,
      entityId: tap.id,
      centreId: tap.centreId,
      before: { voidedAt: null },
      after: { voidedAt: at },
    },
    db,
  );
  await db.batch([audit, ...voiding(db, tap.id, at)]);
  return { id: tap.id, voidedAt: at };
}
