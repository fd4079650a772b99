import { Id, IdempotencyKey, Instant, LocalDate, PeriodCode, ServiceUse, Visit } from "@halte/core";
import { z } from "@hono/zod-openapi";
import { PageQuery } from "../../pagination.js";

/** A use as returned: the stored record plus the local day it counts for. */
export const ServiceUseRecord = ServiceUse.extend({ localDay: LocalDate }).openapi("ServiceUse");
export type ServiceUseRecord = z.infer<typeof ServiceUseRecord>;

/**
 * A visit as returned. The keyed hash of the visitor code never leaves the server: clients learn only
 * whether the visit carried a code.
 */
export const VisitRecord = Visit.omit({ visitorCodeHash: true })
  .extend({
    localDay: LocalDate.openapi({ description: "The centre-local day the visit counts for" }),
    hasVisitorCode: z.boolean(),
  })
  .openapi("Visit");
export type VisitRecord = z.infer<typeof VisitRecord>;

/** A recorded visit with the service uses recorded with it. */
export const RecordedVisit = VisitRecord.extend({ uses: z.array(ServiceUseRecord) }).openapi("RecordedVisit");

export const VisitBatchItemResult = z
  .object({
    idempotencyKey: IdempotencyKey,
    id: Id,
    status: z.enum(["created", "duplicate"]),
  })
  .openapi("VisitBatchItemResult");

export const VisitBatchResult = z
  .object({
    results: z.array(VisitBatchItemResult),
    created: z.int(),
    duplicates: z.int(),
  })
  .openapi("VisitBatchResult");

export const VisitListQuery = PageQuery.extend({
  centreId: Id.optional(),
  period: PeriodCode.optional().openapi({
    description: "A period code (2026-11-28, 2026W48, 202611, 2026Q4, 2026) on the centre's local calendar",
  }),
});

export const DoorTodayQuery = z.object({ centreId: Id.optional() });

export const DoorServiceCount = z.object({
  serviceId: Id,
  name: z.string(),
  status: z.string(),
  uses: z.int(),
  /** The day's capacity from the service's schedule; null when the schedule sets none. */
  capacity: z.int().nullable(),
  remaining: z.int().nullable(),
  /**
   * Today's openings of the service as instants `[start, end)`, so the door can tell open from closed at any
   * moment of the day, offline too. Empty when the schedule closes it all day.
   */
  openings: z.array(z.object({ start: Instant, end: Instant })),
  /** Reception hands out tickets for it: the door shows its queue (`GET /api/tickets`). */
  ticketQueue: z.boolean(),
});

export const DoorToday = z
  .object({
    centreId: Id,
    day: LocalDate,
    /** The centre's time zone: the door tells from it when a cached day is over, offline too. */
    timeZone: z.string(),
    visits: z.int(),
    /** Distinct visitor codes among today's visits. */
    visitorCodes: z.int(),
    capacity: z.int().nullable(),
    remaining: z.int().nullable(),
    services: z.array(DoorServiceCount),
    /** The languages reception can tick, in the centre's order, each with its name in its own script. */
    languages: z.array(z.object({ code: z.string(), name: z.string(), dir: z.enum(["ltr", "rtl"]) })),
  })
  .openapi("DoorToday");
export type DoorToday = z.infer<typeof DoorToday>;
