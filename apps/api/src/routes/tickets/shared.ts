import { type TicketRefusal, ticketLabel } from "@halte/core";
import { getTicket, type StoredTicket } from "@halte/db";
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
 * The ticket a call or a cancel names: 404 when it does not exist or belongs to another centre (a caller
 * of one centre does not learn which ids exist elsewhere), 403 for a caller who may not record at its door.
 */
export async function ticketForAct(c: Context<AppEnv>, ticketId: string): Promise<StoredTicket> {
  const ticket = await getTicket(c.get("services").db, ticketId);
  if (!ticket) throw new ApiProblem("not_found", "No such ticket");
  assertCentreVisible(requirePrincipal(c), ticket.centreId);
  authorize(c, "visits:record", ticket.centreId);
  return ticket;
}

export function transitionProblem(refusal: TicketRefusal): ApiProblem {
  return new ApiProblem("illegal_transition", refusal.message);
}
