import type { LocalDate, ServiceUse, ServiceUseSource } from "@halte/core";
import { and, asc, eq, gt, gte, inArray, isNull, lte, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { serviceUses } from "../schema/service-uses.js";
import { services } from "../schema/services.js";

type ServiceUseRow = typeof serviceUses.$inferSelect;

// D1 refuses a statement with more than 100 bound parameters; 12 columns per row.
const USE_ROWS_PER_INSERT = Math.floor(99 / 13);

/** A stored use as recorded, with the local day it was filed under and its idempotency key. */
export type StoredServiceUse = ServiceUse & { localDay: LocalDate; idempotencyKey: string | null };

export function serviceUseFromRow(
  row: Omit<ServiceUseRow, "recordKey" | "voidedAt" | "recordedBy">,
): StoredServiceUse {
  return {
    id: row.id,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    centreId: row.centreId,
    serviceId: row.serviceId,
    visitId: row.visitId,
    usedAt: row.usedAt,
    localDay: row.localDay,
    quantity: row.quantity,
    source: row.source,
    partnerId: row.partnerId,
    idempotencyKey: row.idempotencyKey,
  };
}

/** A use as it will be written: local day already derived by the caller. */
export interface NewServiceUseRow {
  id: string;
  centreId: string;
  serviceId: string;
  visitId: string | null;
  usedAt: string;
  localDay: LocalDate;
  quantity: number;
  source: ServiceUseSource;
  partnerId: string | null;
  idempotencyKey: string | null;
  /** The principal who recorded it (only they may undo it at the door). */
  recordedBy?: string | null;
}

/** Insert statements for service uses, chunked under D1's parameter limit. */
export function insertServiceUses(db: Db, rows: readonly NewServiceUseRow[], at: string) {
  const statements = [];
  for (let i = 0; i < rows.length; i += USE_ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + USE_ROWS_PER_INSERT);
    statements.push(
      db.insert(serviceUses).values(chunk.map((row) => ({ ...row, createdAt: at, updatedAt: at }))),
    );
  }
  return statements;
}

export async function getServiceUse(db: Db, id: string): Promise<StoredServiceUse | null> {
  const [row] = await db.select().from(serviceUses).where(eq(serviceUses.id, id)).limit(1);
  return row ? serviceUseFromRow(row) : null;
}

export async function getServiceUseByIdempotencyKey(
  db: Db,
  centreId: string,
  key: string,
): Promise<StoredServiceUse | null> {
  const [row] = await db
    .select()
    .from(serviceUses)
    .where(and(eq(serviceUses.centreId, centreId), eq(serviceUses.idempotencyKey, key)))
    .limit(1);
  return row ? serviceUseFromRow(row) : null;
}

/** The uses (not voided) recorded with one visit, in the order they were sent. */
export async function serviceUsesOfVisit(db: Db, visitId: string): Promise<StoredServiceUse[]> {
  // Ids made in the same millisecond are not ordered among themselves; the rowid keeps insertion order.
  const rows = await db
    .select()
    .from(serviceUses)
    .where(and(eq(serviceUses.visitId, visitId), isNull(serviceUses.voidedAt)))
    .orderBy(sql`rowid`);
  return rows.map(serviceUseFromRow);
}

export interface ListServiceUsesOptions {
  /** Only uses of these centres (one centre's staff: that one; a partner working with several: theirs). */
  centreIds?: readonly string[];
  serviceId?: string;
  /** Only uses of services this organisation provides (partner callers). */
  providerId?: string;
  fromDay?: LocalDate;
  toDay?: LocalDate;
  afterId?: string;
  limit: number;
}

/** Uses (voided ones left out) in id order, one more than `limit` so the caller knows whether a next page exists. */
export async function listServiceUses(db: Db, options: ListServiceUsesOptions): Promise<StoredServiceUse[]> {
  const conditions: SQL[] = [isNull(serviceUses.voidedAt)];
  if (options.centreIds) conditions.push(inArray(serviceUses.centreId, [...options.centreIds]));
  if (options.serviceId) conditions.push(eq(serviceUses.serviceId, options.serviceId));
  if (options.providerId) {
    conditions.push(
      inArray(
        serviceUses.serviceId,
        db.select({ id: services.id }).from(services).where(eq(services.organizationId, options.providerId)),
      ),
    );
  }
  if (options.fromDay) conditions.push(gte(serviceUses.localDay, options.fromDay));
  if (options.toDay) conditions.push(lte(serviceUses.localDay, options.toDay));
  if (options.afterId) conditions.push(gt(serviceUses.id, options.afterId));
  const rows = await db
    .select()
    .from(serviceUses)
    .where(and(...conditions))
    .orderBy(asc(serviceUses.id))
    .limit(options.limit + 1);
  return rows.map(serviceUseFromRow);
}
