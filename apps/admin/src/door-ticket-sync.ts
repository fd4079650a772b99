import { ApiError, api, dataOrThrow, type Problem } from "./api.js";
import { type QueuedTicketAct, removeVisits } from "./door-queue.js";
import { rememberTicket } from "./door-tickets-cache.js";
import { addToCachedToday } from "./door-today-cache.js";

/**
 * Sends one queued act of a ticket queue and takes it out of the queue once the server has it. The server
 * answers a replay with the first outcome (the same ticket, the first call), so a call is counted once
 * however often it is sent; only the answer that recorded the use (201) adds it to the cached day. An act
 * refused for good (a ticket cancelled on another tablet, 409) leaves the queue so it cannot block the
 * others; a 401 or 403 keeps it for after the next sign-in.
 */
export async function sendTicketAct(
  act: QueuedTicketAct,
): Promise<"sent" | { kind: "offline" } | { kind: "refused"; problem: Problem }> {
  const path = { ticketId: act.ticketId };
  try {
    if (act.kind === "take") {
      const { prefix, number, ticketId: id, centreId, serviceId, at: takenAt } = act;
      const body = { id, centreId, serviceId, takenAt, prefix, number };
      rememberTicket(await dataOrThrow(api.POST("/api/tickets", { body })));
    } else if (act.kind === "call") {
      const call = api.POST("/api/tickets/{ticketId}/call", { params: { path }, body: { calledAt: act.at } });
      rememberTicket(await dataOrThrow(call));
      if ((await call).response.status === 201) addToCachedToday(0, new Map([[act.serviceId, 1]]));
    } else {
      const body = { cancelledAt: act.at, reason: act.reason };
      rememberTicket(
        await dataOrThrow(api.POST("/api/tickets/{ticketId}/cancel", { params: { path }, body })),
      );
    }
    await removeVisits([act.idempotencyKey]);
    return "sent";
  } catch (error) {
    if (!(error instanceof ApiError)) return { kind: "offline" };
    const status = error.problem.status;
    if (status !== 401 && status !== 403) await removeVisits([act.idempotencyKey]);
    return { kind: "refused", problem: error.problem };
  }
}
