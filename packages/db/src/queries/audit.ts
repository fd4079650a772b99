import { and, desc, eq, lt, lte, or, type SQL } from "drizzle-orm";
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
  /**
   * Newest first by time (`at`, then id), for a list merged across several databases (whose ids do not
   * compare): the entries older than `at`; with `sameAt` `"all"` also every entry written at `at`, with
   * `{ beforeId }` those written at `at` with a lower id. Replaces `beforeId` and the order by id.
   */
  olderThan?: { at: string; sameAt: "none" | "all" | { beforeId: number } };
  limit: number;
}

/** Audit entries newest first, one more than `limit` so the caller knows whether a next page exists. */
export async function listAudit(db: Db, options: ListAuditOptions): Promise<AuditRow[]> {
  const conditions: (SQL | undefined)[] = [];
  if (options.centreId) conditions.push(eq(auditLog.centreId, options.centreId));
  if (options.entity) conditions.push(eq(auditLog.entity, options.entity));
  if (options.entityId) conditions.push(eq(auditLog.entityId, options.entityId));
  if (options.beforeId !== undefined) conditions.push(lt(auditLog.id, options.beforeId));
  const older = options.olderThan;
  if (older !== undefined) {
    const { at, sameAt } = older;
    conditions.push(
      sameAt === "all"
        ? lte(auditLog.at, at)
        : sameAt === "none"
          ? lt(auditLog.at, at)
          : or(lt(auditLog.at, at), and(eq(auditLog.at, at), lt(auditLog.id, sameAt.beforeId))),
    );
  }
  return db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(...(older === undefined ? [desc(auditLog.id)] : [desc(auditLog.at), desc(auditLog.id)]))
    .limit(options.limit + 1);
}
