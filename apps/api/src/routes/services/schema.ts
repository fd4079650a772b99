import {
  Id,
  LocalDate,
  ServiceCategory,
  ServiceInput,
  Service as ServiceSchema,
  ServiceStatus,
} from "@halte/core";
import { z } from "@hono/zod-openapi";
import { PageQuery, pageOf } from "../../pagination.js";
import { IncludeArchived } from "../archive.js";

/**
 * Whether a service is open at the time of the request, on its own local clock: open now and until when
 * (`closesAt` null when it stays open beyond a year), or closed and when it next opens (`nextOpensAt` null
 * when it does not open within a year, or when its status is not `active`).
 */
export const OpeningStatus = z
  .object({
    open: z.boolean(),
    closesAt: z.iso.datetime().nullable(),
    nextOpensAt: z.iso.datetime().nullable(),
  })
  .openapi("OpeningStatus");

/** A service as returned: the stored HSDS-aligned record plus its opening status now. */
export const ServiceRecord = ServiceSchema.extend({ openingStatus: OpeningStatus }).openapi("Service");
export const ServicePage = pageOf(ServiceRecord, "Service");

/** The body of `POST /api/services`: the service plus its centre (named in the body, as for every resource). */
export const ServiceCreate = ServiceInput.extend({ centreId: Id }).openapi("ServiceCreate");
export const ServiceReplace = ServiceInput.openapi("ServiceInput");

export const ServiceParams = z.object({ serviceId: z.string().min(1).max(64) });

export const ServiceListQuery = PageQuery.extend({
  centreId: Id.optional().openapi({ description: "Only this centre's services" }),
  category: ServiceCategory.optional(),
  status: ServiceStatus.optional(),
  organizationId: Id.optional().openapi({ description: "Only services this partner provides" }),
  openAt: z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ description: "Only services that are active and open at this instant (ISO 8601)" }),
  includeArchived: IncludeArchived,
});

export const CapacityQuery = z.object({
  date: LocalDate.optional().openapi({
    description: "The service's local day (YYYY-MM-DD); today by default",
  }),
});

export const ServiceCapacity = z
  .object({
    serviceId: z.string(),
    date: LocalDate,
    /** null: no capacity is known for that day. 0 on a closed day. */
    dailyCapacity: z.int().nullable(),
    /** Uses recorded that day (sum of quantities: visits at the door and partners' reports). */
    used: z.int(),
    /** null when the capacity is unknown; never below 0 (uses beyond capacity show in `used`). */
    remaining: z.int().nullable(),
    slots: z.array(z.object({ opensAt: z.string(), closesAt: z.string(), capacity: z.int().optional() })),
    /** The latest availability the partner running the service reported for that day (webhook), if any. */
    partnerReport: z
      .object({ available: z.int(), note: z.string().nullable(), occurredAt: z.string() })
      .nullable(),
  })
  .openapi("ServiceCapacity");
