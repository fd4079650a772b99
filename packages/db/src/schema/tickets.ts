import type { TicketCancelReason, TicketStatus } from "@halte/core";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { services } from "./services.js";

/**
 * A ticket of a service's queue at the door (core `ticket.ts`): a number on a centre-local day, nothing
 * about the person holding it. Calling it records one use of the service (`service_use_id`).
 */
export const tickets = sqliteTable(
  "tickets",
  {
    /** Chosen by the device that took it, so acts queued offline can name it before it is sent. */
    id: text("id").primaryKey(),
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    serviceId: text("service_id")
      .notNull()
      .references(() => services.id),
    localDay: text("local_day").notNull(),
    prefix: text("prefix").notNull(),
    number: integer("number").notNull(),
    status: text("status").$type<TicketStatus>().notNull(),
    takenAt: text("taken_at").notNull(),
    /** The staff user or door device that took, called or cancelled it (never a person waiting). */
    takenBy: text("taken_by").notNull(),
    calledAt: text("called_at"),
    calledBy: text("called_by"),
    /** The use of the service its call recorded: counted once, like a "+1" at the door. */
    serviceUseId: text("service_use_id"),
    cancelledAt: text("cancelled_at"),
    cancelledBy: text("cancelled_by"),
    cancelReason: text("cancel_reason").$type<TicketCancelReason>(),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    // serves: a number is given once per service and day (two tablets offline have different letters)
    uniqueIndex("tickets_service_day_number_uq").on(t.serviceId, t.localDay, t.prefix, t.number),
    // serves: the door's queue of a centre's day
    index("tickets_centre_day_idx").on(t.centreId, t.localDay, t.serviceId),
  ],
);

/**
 * The letter each caller (door device or staff user) numbers its tickets with at a centre, given once and
 * kept: two devices never share one, so their numbers never collide, even when both work offline.
 */
export const ticketPrefixes = sqliteTable(
  "ticket_prefixes",
  {
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    holderId: text("holder_id").notNull(),
    prefix: text("prefix").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    // serves: a caller finds its letter
    uniqueIndex("ticket_prefixes_holder_uq").on(t.centreId, t.holderId),
    // serves: a letter is given to one caller of a centre only
    uniqueIndex("ticket_prefixes_prefix_uq").on(t.centreId, t.prefix),
  ],
);
