import { z } from "zod";
import { CentreScoped, Id, Instant, RecordMeta, text } from "./common.js";
import { LocalDate } from "./zoned-time.js";

/** Kinds of context events worth drawing on a chart and citing in a lesson. */
export const EventKind = z.enum([
  "camp_evacuation",
  "closure",
  "weather",
  "surge",
  "policy_change",
  "incident",
  "other",
]);
export type EventKind = z.infer<typeof EventKind>;

/** A dated annotation of the context, e.g. a camp evacuation or a cold snap. */
export const EventInput = z
  .strictObject({
    centreId: Id,
    kind: EventKind,
    title: text(200),
    description: text(4000).optional(),
    /** First local day the event concerns. */
    startsOn: LocalDate,
    /** Last local day (inclusive); absent for a one-day event. */
    endsOn: LocalDate.optional(),
    /** How many people the event concerned, when known (e.g. 1,609 people evacuated from a camp). */
    peopleConcerned: z.int().min(0).max(10_000_000).optional(),
    /** Of them, how many were counted as vulnerable (minors alone, ill, pregnant…), when known. */
    vulnerableConcerned: z.int().min(0).max(10_000_000).optional(),
  })
  .refine((e) => e.endsOn === undefined || e.endsOn >= e.startsOn, {
    path: ["endsOn"],
    message: "The end date cannot be before the start date",
  })
  .refine((e) => e.vulnerableConcerned === undefined || e.vulnerableConcerned <= (e.peopleConcerned ?? 0), {
    path: ["vulnerableConcerned"],
    message: "Cannot be more than the people concerned (give that number first)",
  });
export type EventInput = z.infer<typeof EventInput>;

/** A stored context event. */
export const Event = z.object({
  ...RecordMeta,
  ...CentreScoped,
  kind: EventKind,
  title: z.string(),
  description: z.string().nullable(),
  startsOn: LocalDate,
  endsOn: LocalDate.nullable(),
  peopleConcerned: z.int().nullable(),
  vulnerableConcerned: z.int().nullable(),
  archivedAt: Instant.nullable(),
});
export type Event = z.infer<typeof Event>;
