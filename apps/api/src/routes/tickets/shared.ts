import { type TicketRefusal, ticketLabel } from "@halte/core";
import { type Db, getTicket, type StoredTicket } from "@halte/db";
import type { Context } from "hono";
import { assertCentreVisible, authorize, requirePrincipal } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { ApiProblem } from "../../problem.js";
import type { TicketRecord } from "./schema.js";

export function ticketRecord(row: StoredTicket): TicketRecord {
  return {
    id: row.id,
    centreId: row.centreId,
    serviceId: row.serviceId,
    day: row.localDay,
    prefix: row.prefix,
    number: row.number,
    label: ticketLabel(row.prefix, row.number),
    status: row.status,
    takenAt: row.takenAt,
    calledAt: row.calledAt,
    serviceUseId: row.serviceUseId,
    cancelledAt: row.cancelledAt,
    cancelReason: row.cancelReason,
  };
}

/**
 * The ticket a call or a cancel names, with the database it lives in: 404 when it does not exist or belongs
 * to another centre (a caller of one centre looks only in its centre's database and does not learn which ids
 * exist elsewhere), 403 for a caller who may not record at its door.
 */
export async function ticketForAct(
  c: Context<AppEnv>,
  ticketId: string,
): Promise<{ ticket: StoredTicket; db: Db }> {
  const principal = requirePrincipal(c);
  const held = await c.get("services").dbs.findInReachable(principal, (db) => getTicket(db, ticketId));
  if (!held) throw new ApiProblem("not_found", "No such ticket");
  assertCentreVisible(principal, held.found.centreId);
  authorize(c, "visits:record", held.found.centreId);
  return { ticket: held.found, db: held.db };
}

export function transitionProblem(refusal: TicketRefusal): ApiProblem {
  return new ApiProblem("illegal_transition", refusal.message);
}
