import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { Db } from "../client.js";
import { auditLog } from "../schema/audit-log.js";

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = typeof auditLog.$inferInsert;

/** Adds an audit row; a statement, to put in the same `db.batch` as the write it records. */
export function insertAuditEntry(db: Db, entry: NewAuditRow) {
  return db.insert(auditLog).values(entry);
}

export interface ListAuditOptions {
  centreId?: string | null;
  entity?: string;
  entityId?: string;
  /** Newest first: the page after this id holds older entries. */
  beforeId?: number;
  limit: number;
}

/** Audit entries newest first, one more than `limit` so the caller knows whether a next page exists. */
export async function listAudit(db: Db, options: ListAuditOptions): Promise<AuditRow[]> {
  const conditions: (SQL | undefined)[] = [];
  if (options.centreId) conditions.push(eq(auditLog.centreId, options.centreId));
  if (options.entity) conditions.push(eq(auditLog.entity, options.entity));
  if (options.entityId) conditions.push(eq(auditLog.entityId, options.entityId));
  if (options.beforeId !== undefined) conditions.push(lt(auditLog.id, options.beforeId));
  return db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.id))
    .limit(options.limit + 1);
}
