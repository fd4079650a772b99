import { Event, EventInput, Id, LocalDate } from "@halte/core";
import { z } from "@hono/zod-openapi";
import { PageQuery, pageOf } from "../../pagination.js";
import { IncludeArchived } from "../archive.js";

export const EventRecord = Event.openapi("Event");
export const EventPage = pageOf(EventRecord, "Event");

/** The body of create and replace: the centre is named in the body; a replace cannot change it. */
export const EventBody = EventInput.openapi("EventInput");

export const EventParams = z.object({ eventId: z.string().min(1).max(64) });

export const EventListQuery = PageQuery.extend({
  centreId: Id.optional().openapi({ description: "Only this centre's events" }),
  from: LocalDate.optional().openapi({ description: "Only events that end on or after this local day" }),
  to: LocalDate.optional().openapi({ description: "Only events that start on or before this local day" }),
  includeArchived: IncludeArchived,
});
