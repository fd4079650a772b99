import type { TicketCancelReason } from "@halte/core";
import { and, asc, count, eq, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { drawRecordKey } from "../schema/columns.js";
import { serviceUses } from "../schema/service-uses.js";
import { ticketPrefixes, tickets } from "../schema/tickets.js";

export type StoredTicket = typeof tickets.$inferSelect;
export type NewTicketRow = Omit<StoredTicket, "createdAt" | "updatedAt">;

/** The letter a caller numbers its tickets with at a centre, if it has one yet. */
export async function findTicketPrefix(db: Db, centreId: string, holderId: string): Promise<string | null> {
  const [row] = await db
    .select({ prefix: ticketPrefixes.prefix })
    .from(ticketPrefixes)
    .where(and(eq(ticketPrefixes.centreId, centreId), eq(ticketPrefixes.holderId, holderId)))
    .limit(1);
  return row?.prefix ?? null;
}

/** How many letters a centre has given: the index of the next one (core `ticketPrefixFor`). */
export async function countTicketPrefixes(db: Db, centreId: string): Promise<number> {
  const [row] = await db
    .select({ total: count() })
    .from(ticketPrefixes)
    .where(eq(ticketPrefixes.centreId, centreId));
  return row?.total ?? 0;
}

export function insertTicketPrefix(db: Db, centreId: string, holderId: string, prefix: string, at: string) {
  return db.insert(ticketPrefixes).values({ centreId, holderId, prefix, createdAt: at });
}

export async function getTicket(db: Db, id: string): Promise<StoredTicket | null> {
  const [row] = await db.select().from(tickets).where(eq(tickets.id, id)).limit(1);
  return row ?? null;
}

/** Every ticket of a centre's local day, every service and status, in the order they were taken. */
export async function ticketsOfDay(db: Db, centreId: string, day: string): Promise<StoredTicket[]> {
  return db
    .select()
    .from(tickets)
    .where(and(eq(tickets.centreId, centreId), eq(tickets.localDay, day)))
    .orderBy(asc(tickets.takenAt), asc(tickets.prefix), asc(tickets.number));
}

export function insertTicket(db: Db, row: NewTicketRow, at: string) {
  return db.insert(tickets).values({ ...row, createdAt: at, updatedAt: at });
}

/** Marks a waiting ticket called (at `calledAt`, written at `at`); a ticket no longer waiting is left as it is. */
export function callTicketStatement(
  db: Db,
  id: string,
  call: { calledAt: string; by: string; serviceUseId: string; at: string },
) {
  return db
    .update(tickets)
    .set({
      status: "called",
      calledAt: call.calledAt,
      calledBy: call.by,
      serviceUseId: call.serviceUseId,
      updatedAt: call.at,
    })
    .where(and(eq(tickets.id, id), eq(tickets.status, "waiting")));
}

/** Marks a waiting ticket cancelled; a ticket no longer waiting is left as it is. */
export function cancelTicketStatement(
  db: Db,
  id: string,
  cancel: { cancelledAt: string; by: string; reason: TicketCancelReason; at: string },
) {
  return db
    .update(tickets)
    .set({
      status: "cancelled",
      cancelledAt: cancel.cancelledAt,
      cancelledBy: cancel.by,
      cancelReason: cancel.reason,
      updatedAt: cancel.at,
    })
    .where(and(eq(tickets.id, id), eq(tickets.status, "waiting")));
}

/** The use of a service a ticket's call records: one shower, at the door, by whoever called it. */
export interface TicketUseRow {
  id: string;
  ticketId: string;
  centreId: string;
  serviceId: string;
  usedAt: string;
  localDay: string;
  idempotencyKey: string;
  recordedBy: string;
}

/**
 * Inserts the call's use only if the ticket now names it — that is, only if `callTicketStatement` in the
 * same batch found the ticket still waiting. A call racing another call or a cancel then records no
 * use: the ticket is counted once, or not at all when it was cancelled first.
 */
export function insertTicketUseStatement(db: Db, row: TicketUseRow, at: string) {
  // Every column of service_uses, in the table's order (drizzle's insert … select names them all).
  return db.insert(serviceUses).select(
    sql`SELECT ${row.id}, ${at}, ${at}, ${row.centreId}, ${row.serviceId}, NULL, ${row.usedAt}, ${row.localDay},
      1, 'door', NULL, ${row.idempotencyKey}, ${row.recordedBy}, NULL, ${drawRecordKey()}
    WHERE EXISTS (SELECT 1 FROM tickets WHERE id = ${row.ticketId} AND service_use_id = ${row.id})`,
  );
}
