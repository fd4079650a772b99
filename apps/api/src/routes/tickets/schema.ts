import { Id, Instant, LocalDate, TicketCancelReason, TicketPrefix, TicketStatus } from "@halte/core";
import { z } from "@hono/zod-openapi";

/** A ticket as the door sees it: a number, a service, times. Nothing about the person holding it. */
export const TicketRecord = z
  .object({
    id: Id,
    centreId: Id,
    serviceId: Id,
    day: LocalDate,
    prefix: TicketPrefix,
    number: z.int(),
    /** As called out: `D-14`. */
    label: z.string(),
    status: TicketStatus,
    takenAt: Instant,
    calledAt: Instant.nullable(),
    /** The use of the service its call recorded (counted like a "+1" at the door). */
    serviceUseId: Id.nullable(),
    cancelledAt: Instant.nullable(),
    cancelReason: TicketCancelReason.nullable(),
  })
  .openapi("Ticket");
export type TicketRecord = z.infer<typeof TicketRecord>;

export const WaitingTicket = TicketRecord.extend({
  /** 1 = next to be called. */
  position: z.int(),
  /** About how many minutes until it is called (core `estimatedWaitMinutes`); null: no honest estimate. */
  estimatedWaitMinutes: z.int().nullable(),
}).openapi("WaitingTicket");

export const TicketQueue = z
  .object({
    serviceId: Id,
    /** Waiting tickets, next first. */
    waiting: z.array(WaitingTicket),
    /** Tickets called today, last called first. */
    called: z.array(TicketRecord),
    cancelled: z.array(TicketRecord),
    /** The recent pace (core `minutesPerCall`); null without two calls in the last 90 minutes. */
    minutesPerCall: z.number().nullable(),
    /** Places left today by the service's daily capacity; null when its schedule sets none. */
    remainingPlaces: z.int().nullable(),
  })
  .openapi("TicketQueue");

export const TicketQueues = z
  .object({
    centreId: Id,
    day: LocalDate,
    timeZone: z.string(),
    /** One queue per service that hands out tickets, in the order of the door's services. */
    queues: z.array(TicketQueue),
  })
  .openapi("TicketQueues");

export const TicketParams = z.object({ ticketId: Id });

export const TicketPrefixClaim = z.strictObject({ centreId: Id }).openapi("TicketPrefixClaim");
export const TicketPrefixRecord = z
  .object({
    centreId: Id,
    /** The letter this caller (door device or staff user) numbers its tickets with at this centre. */
    prefix: TicketPrefix,
  })
  .openapi("TicketPrefix");
