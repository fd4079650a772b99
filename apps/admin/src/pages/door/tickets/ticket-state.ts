import { estimatedWaitMinutes, minutesPerCall, ticketLabel } from "@halte/core";
import type { QueuedTap, QueuedTicketAct } from "../../../door-queue.js";
import type { CachedTickets, DoorTicket, TicketKit } from "../../../door-tickets-cache.js";

const rank = { waiting: 0, called: 1, cancelled: 1 } as const;

/**
 * The server's answer and what the device already knew, merged ticket by ticket: the further along wins
 * (a ticket is never shown waiting again once this device saw it called or cancelled). A ticket the device
 * knows and the answer lacks (acknowledged while the answer was on its way) stays.
 */
export function mergeTickets(known: readonly DoorTicket[], answer: readonly DoorTicket[]): DoorTicket[] {
  const byId = new Map(known.map((ticket) => [ticket.id, ticket]));
  for (const ticket of answer) {
    const before = byId.get(ticket.id);
    if (!before || rank[ticket.status] >= rank[before.status]) byId.set(ticket.id, ticket);
  }
  return [...byId.values()];
}

/** Today's tickets as shown: the cached ones with the acts still queued on this device applied. */
export function ticketsShown(
  kit: TicketKit,
  cache: CachedTickets,
  queued: readonly QueuedTap[],
): DoorTicket[] {
  const byId = new Map(cache.tickets.map((ticket) => [ticket.id, ticket]));
  const acts = queued.filter((tap): tap is QueuedTicketAct => "kind" in tap && tap.kind !== "use");
  for (const act of acts) {
    const ticket = byId.get(act.ticketId);
    if (act.kind === "take") {
      if (ticket || kit.localDayIn(cache.timeZone, new Date(act.at)) !== cache.day) continue;
      byId.set(act.ticketId, {
        id: act.ticketId,
        centreId: act.centreId,
        serviceId: act.serviceId,
        day: cache.day,
        prefix: act.prefix,
        number: act.number,
        label: ticketLabel(act.prefix, act.number),
        status: "waiting",
        takenAt: act.at,
        calledAt: null,
        serviceUseId: null,
        cancelledAt: null,
        cancelReason: null,
      });
    } else if (ticket?.status === "waiting") {
      byId.set(
        ticket.id,
        act.kind === "call"
          ? { ...ticket, status: "called", calledAt: act.at }
          : { ...ticket, status: "cancelled", cancelledAt: act.at, cancelReason: act.reason },
      );
    }
  }
  return [...byId.values()];
}

export interface ShownQueue {
  waiting: Array<DoorTicket & { estimatedWaitMinutes: number | null }>;
  lastCalled: DoorTicket | undefined;
}

/** One service's queue: who waits, next first, each with core's estimate; and the last ticket called. */
export function queueOf(
  tickets: readonly DoorTicket[],
  serviceId: string,
  remainingPlaces: number | null,
  now: Date,
): ShownQueue {
  const own = tickets.filter((ticket) => ticket.serviceId === serviceId);
  const called = own
    .filter((ticket) => ticket.status === "called")
    .sort((a, b) => (b.calledAt ?? "").localeCompare(a.calledAt ?? ""));
  const pace = minutesPerCall(
    called.map((ticket) => ticket.calledAt ?? ""),
    now,
  );
  const waiting = own
    .filter((ticket) => ticket.status === "waiting")
    .sort((a, b) => a.takenAt.localeCompare(b.takenAt) || a.label.localeCompare(b.label))
    .map((ticket, index) => ({
      ...ticket,
      estimatedWaitMinutes: estimatedWaitMinutes({
        position: index + 1,
        minutesPerCall: pace,
        remainingPlaces,
      }),
    }));
  return { waiting, lastCalled: called[0] };
}
