import type { AgeBand, Centre, Gender, LocalDate, Schedule, Visit } from "@halte/core";
import { and, asc, eq, gt, gte, inArray, isNull, lte, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../client.js";
import { centres } from "../schema/centres.js";
import { serviceUses } from "../schema/service-uses.js";
import { services } from "../schema/services.js";
import { visits } from "../schema/visits.js";
import { centreFromRow } from "./centres.js";

type VisitRow = typeof visits.$inferSelect;
type CentreRow = typeof centres.$inferSelect;

/**
 * D1 refuses a statement with more than 100 bound parameters: multi-row inserts and `IN (…)` lists are cut
 * into chunks that stay under it.
 */
const D1_MAX_PARAMS = 100;

function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** A stored visit as recorded, with the local day it was filed under (and, for roll-ups, its record key). */
export type StoredVisit = Visit & { localDay: LocalDate; recordKey?: number };

/** A stored row as the API's `Visit`, plus its local day. */
export function visitFromRow(row: Omit<VisitRow, "recordKey" | "voidedAt">): StoredVisit {
  return {
    id: row.id,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    centreId: row.centreId,
    arrivedAt: row.arrivedAt,
    localDay: row.localDay,
    visitorCodeHash: row.visitorCodeHash,
    ageBand: row.ageBand,
    gender: row.gender,
    languages: row.languages,
    firstVisit: row.firstVisit,
    idempotencyKey: row.idempotencyKey,
  };
}

/** A visit as it will be written: every value already derived (hash, local day and hour) by the caller. */
export interface NewVisitRow {
  id: string;
  centreId: string;
  arrivedAt: string;
  localDay: LocalDate;
  /** The centre-local hour of arrival, 0–23. */
  localHour: number;
  visitorCodeHash: string | null;
  ageBand: AgeBand | null;
  gender: Gender | null;
  languages: string[];
  firstVisit: boolean | null;
  idempotencyKey: string | null;
  recordedBy: string | null;
}

// 15 columns per visit row (the record key and the local hour included).
const VISIT_ROWS_PER_INSERT = Math.floor((D1_MAX_PARAMS - 1) / 15);

/**
 * Insert statements for visits, chunked under D1's parameter limit. With `skipDuplicates`, a row whose
 * (centre, idempotency key) already exists is skipped (`ON CONFLICT DO NOTHING`) instead of failing.
 */
export function insertVisits(db: Db, rows: readonly NewVisitRow[], at: string, skipDuplicates: boolean) {
  return chunksOf(rows, VISIT_ROWS_PER_INSERT).map((chunk) => {
    const insert = db.insert(visits).values(chunk.map((row) => ({ ...row, createdAt: at, updatedAt: at })));
    return skipDuplicates ? insert.onConflictDoNothing() : insert;
  });
}

export async function getVisit(db: Db, id: string): Promise<StoredVisit | null> {
  const [row] = await db.select().from(visits).where(eq(visits.id, id)).limit(1);
  return row ? visitFromRow(row) : null;
}

export async function getVisitByIdempotencyKey(
  db: Db,
  centreId: string,
  key: string,
): Promise<StoredVisit | null> {
  const [row] = await db
    .select()
    .from(visits)
    .where(and(eq(visits.centreId, centreId), eq(visits.idempotencyKey, key)))
    .limit(1);
  return row ? visitFromRow(row) : null;
}

export interface ListVisitsOptions {
  centreId?: string;
  /** Inclusive range of centre-local days. */
  fromDay?: LocalDate;
  toDay?: LocalDate;
  afterId?: string;
  limit: number;
}

/** Visits (voided ones left out) in id (arrival-recording) order, one more than `limit` so the caller knows whether a next page exists. */
export async function listVisits(db: Db, options: ListVisitsOptions): Promise<StoredVisit[]> {
  const conditions: SQL[] = [isNull(visits.voidedAt)];
  if (options.centreId) conditions.push(eq(visits.centreId, options.centreId));
  if (options.fromDay) conditions.push(gte(visits.localDay, options.fromDay));
  if (options.toDay) conditions.push(lte(visits.localDay, options.toDay));
  if (options.afterId) conditions.push(gt(visits.id, options.afterId));
  const rows = await db
    .select()
    .from(visits)
    .where(and(...conditions))
    .orderBy(asc(visits.id))
    .limit(options.limit + 1);
  return rows.map(visitFromRow);
}

/** How many visits (not voided) a centre recorded on a local day, and how many distinct visitor codes among them. */
export async function countVisitsOn(
  db: Db,
  centreId: string,
  day: LocalDate,
): Promise<{ visits: number; visitorCodes: number }> {
  const [row] = await db
    .select({
      visits: sql<number>`count(*)`,
      visitorCodes: sql<number>`count(distinct ${visits.visitorCodeHash})`,
    })
    .from(visits)
    .where(and(eq(visits.centreId, centreId), eq(visits.localDay, day), isNull(visits.voidedAt)));
  return { visits: Number(row?.visits ?? 0), visitorCodes: Number(row?.visitorCodes ?? 0) };
}

/** What the door needs to know about a service: whose it is, when it is open, and how many it can take. */
export interface DoorService {
  id: string;
  centreId: string;
  organizationId: string;
  name: string;
  status: string;
  schedule: Schedule;
  /** Reception hands out tickets for it (core `ticket.ts`). */
  ticketQueue: boolean;
  archivedAt: string | null;
}

/** The columns of a service that writes check against (centre, organisation, schedule, archived). */
export const doorServiceColumns = {
  id: services.id,
  centreId: services.centreId,
  organizationId: services.organizationId,
  name: services.name,
  status: services.status,
  schedule: services.schedule,
  ticketQueue: services.ticketQueue,
  archivedAt: services.archivedAt,
};

/** The services with these ids (of any centre: the caller checks they are the right centre's), by id. */
export async function doorServicesByIds(db: Db, ids: readonly string[]): Promise<Map<string, DoorService>> {
  const found = new Map<string, DoorService>();
  for (const chunk of chunksOf([...new Set(ids)], D1_MAX_PARAMS - 1)) {
    const rows = await db.select(doorServiceColumns).from(services).where(inArray(services.id, chunk));
    for (const row of rows) found.set(row.id, row);
  }
  return found;
}

/** The centres and services a set of door writes names, as `doorReferences` reads them. */
export interface DoorReferences {
  /** Every named centre that exists, archived or not, by id. */
  centres: Map<string, Centre>;
  /**
   * The binding of each found centre's database (`d1_binding`), by id: read in the directory, where the door
   * finds a centre's database without a look-up of its own (a centre database's copy is not the authority).
   */
  bindings: Map<string, string>;
  /** Every named service that exists (of any centre: the caller checks), by id. */
  services: Map<string, DoorService>;
  /** Per centre, the ids of the visits already stored under the idempotency keys asked about, by key. */
  visitIdsByKey: Map<string, Map<string, string>>;
}

/**
 * The centres and services named by a set of visits and, when asked, which of their idempotency keys
 * (per centre) are already stored — all read in **one** D1 round trip (a batch of `IN (…)` selects, each
 * under the bound-parameter limit). The door's hot path is a session lookup, this, and its write batch.
 */
export async function doorReferences(
  db: Db,
  centreIds: readonly string[],
  serviceIds: readonly string[],
  idempotencyKeys: ReadonlyMap<string, readonly string[]> = new Map(),
): Promise<DoorReferences> {
  const found: DoorReferences = {
    centres: new Map(),
    bindings: new Map(),
    services: new Map(),
    visitIdsByKey: new Map(),
  };
  const reads: { statement: BatchItem<"sqlite">; collect: (rows: unknown[]) => void }[] = [];
  for (const chunk of chunksOf([...new Set(centreIds)], D1_MAX_PARAMS - 1)) {
    reads.push({
      statement: db.select().from(centres).where(inArray(centres.id, chunk)),
      collect: (rows) => {
        for (const row of rows as CentreRow[]) {
          found.centres.set(row.id, centreFromRow(row));
          found.bindings.set(row.id, row.d1Binding);
        }
      },
    });
  }
  for (const chunk of chunksOf([...new Set(serviceIds)], D1_MAX_PARAMS - 1)) {
    reads.push({
      statement: db.select(doorServiceColumns).from(services).where(inArray(services.id, chunk)),
      collect: (rows) => {
        for (const row of rows as DoorService[]) found.services.set(row.id, row);
      },
    });
  }
  for (const [centreId, keys] of idempotencyKeys) {
    const ids = new Map<string, string>();
    found.visitIdsByKey.set(centreId, ids);
    for (const chunk of chunksOf([...new Set(keys)], D1_MAX_PARAMS - 1)) {
      reads.push({
        statement: db
          .select({ id: visits.id, key: visits.idempotencyKey })
          .from(visits)
          .where(and(eq(visits.centreId, centreId), inArray(visits.idempotencyKey, chunk))),
        collect: (rows) => {
          for (const row of rows as { id: string; key: string | null }[]) {
            if (row.key !== null) ids.set(row.key, row.id);
          }
        },
      });
    }
  }
  const [first, ...rest] = reads.map((read) => read.statement);
  if (!first) return found;
  const results = (await db.batch([first, ...rest])) as unknown[][];
  results.forEach((rows, index) => {
    reads[index]?.collect(rows);
  });
  return found;
}

/** A centre's services that are not archived, in id order (the door screen). */
export async function doorServicesOfCentre(db: Db, centreId: string): Promise<DoorService[]> {
  return db
    .select(doorServiceColumns)
    .from(services)
    .where(and(eq(services.centreId, centreId), isNull(services.archivedAt)))
    .orderBy(asc(services.id));
}

/** Total quantity of uses (not voided) per service of a centre on a local day. */
export async function serviceUseTotalsOn(
  db: Db,
  centreId: string,
  day: LocalDate,
): Promise<Map<string, number>> {
  const rows = await db
    .select({ serviceId: serviceUses.serviceId, total: sql<number>`sum(${serviceUses.quantity})` })
    .from(serviceUses)
    .where(
      and(eq(serviceUses.centreId, centreId), eq(serviceUses.localDay, day), isNull(serviceUses.voidedAt)),
    )
    .groupBy(serviceUses.serviceId);
  return new Map(rows.map((row) => [row.serviceId, Number(row.total)]));
}
