import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../client.js";
import { serviceUses } from "../schema/service-uses.js";
import { visits } from "../schema/visits.js";

/** What an undo checks of a tap: where and when it was recorded, by whom, and whether it is already voided. */
export interface UndoableTap {
  id: string;
  centreId: string;
  createdAt: string;
  recordedBy: string | null;
  voidedAt: string | null;
}

export async function getVisitForUndo(db: Db, id: string): Promise<UndoableTap | null> {
  const [row] = await db
    .select({
      id: visits.id,
      centreId: visits.centreId,
      createdAt: visits.createdAt,
      recordedBy: visits.recordedBy,
      voidedAt: visits.voidedAt,
    })
    .from(visits)
    .where(eq(visits.id, id))
    .limit(1);
  return row ?? null;
}

export async function getServiceUseForUndo(db: Db, id: string): Promise<UndoableTap | null> {
  const [row] = await db
    .select({
      id: serviceUses.id,
      centreId: serviceUses.centreId,
      createdAt: serviceUses.createdAt,
      recordedBy: serviceUses.recordedBy,
      voidedAt: serviceUses.voidedAt,
    })
    .from(serviceUses)
    .where(eq(serviceUses.id, id))
    .limit(1);
  return row ?? null;
}

/**
 * Statements voiding a visit and the uses recorded with it. `updated_at` moves too, so the next incremental
 * roll-up re-rolls the day without them; the visitor code's hash goes at once (nothing personal is kept of
 * a tap that should not have been). Only rows not yet voided change: a second undo changes nothing.
 */
export function voidVisitStatements(db: Db, id: string, at: string) {
  return [
    db
      .update(visits)
      .set({ voidedAt: at, updatedAt: at, visitorCodeHash: null })
      .where(and(eq(visits.id, id), isNull(visits.voidedAt))),
    db
      .update(serviceUses)
      .set({ voidedAt: at, updatedAt: at })
      .where(and(eq(serviceUses.visitId, id), isNull(serviceUses.voidedAt))),
  ] as const;
}

/** The statement voiding one service use (see {@link voidVisitStatements}). */
export function voidServiceUseStatement(db: Db, id: string, at: string) {
  return db
    .update(serviceUses)
    .set({ voidedAt: at, updatedAt: at })
    .where(and(eq(serviceUses.id, id), isNull(serviceUses.voidedAt)));
}
