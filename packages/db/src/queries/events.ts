import type { Event, EventInput } from "@halte/core";
import { and, eq, gte, inArray, lte } from "drizzle-orm";
import type { Db } from "../client.js";
import { events } from "../schema/events.js";
import { byId, type PageOptions, pageConditions } from "./records.js";

type EventRow = typeof events.$inferSelect;

export function eventFromRow(row: EventRow): Event {
  return row;
}

export interface ListEventsOptions extends PageOptions {
  /** Events that end on or after this local day. */
  from?: string;
  /** Events that start on or before this local day. */
  to?: string;
}

/** Context events in id order, one more than `limit` so the caller knows whether a next page exists. */
export async function listEvents(db: Db, options: ListEventsOptions): Promise<Event[]> {
  const rows = await db
    .select()
    .from(events)
    .where(
      pageConditions(events, options, [
        options.to ? lte(events.startsOn, options.to) : undefined,
        // A one-day event ends the day it starts.
        options.from ? gte(events.endsOn, options.from) : undefined,
      ]),
    )
    .orderBy(byId(events))
    .limit(options.limit + 1);
  return rows.map(eventFromRow);
}

export async function getEvent(db: Db, id: string): Promise<Event | null> {
  const [row] = await db.select().from(events).where(eq(events.id, id)).limit(1);
  return row ? eventFromRow(row) : null;
}

/** Which of these ids are events of the centre (archived ones included: a lesson may still cite them). */
export async function eventIdsOfCentre(
  db: Db,
  centreId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.centreId, centreId), inArray(events.id, [...new Set(ids)])));
  return new Set(rows.map((row) => row.id));
}

function columnsOf(input: Omit<EventInput, "centreId">) {
  return {
    kind: input.kind,
    title: input.title,
    description: input.description ?? null,
    startsOn: input.startsOn,
    endsOn: input.endsOn ?? input.startsOn,
    peopleConcerned: input.peopleConcerned ?? null,
    vulnerableConcerned: input.vulnerableConcerned ?? null,
  };
}

export function insertEvent(db: Db, id: string, input: EventInput, at: string) {
  return db.insert(events).values({
    id,
    centreId: input.centreId,
    ...columnsOf(input),
    createdAt: at,
    updatedAt: at,
    archivedAt: null,
  });
}

export function replaceEvent(db: Db, id: string, input: EventInput, at: string) {
  return db
    .update(events)
    .set({ ...columnsOf(input), updatedAt: at })
    .where(eq(events.id, id));
}

export function archiveEvent(db: Db, id: string, at: string) {
  return db.update(events).set({ archivedAt: at, updatedAt: at }).where(eq(events.id, id));
}
