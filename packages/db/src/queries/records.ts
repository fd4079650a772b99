import { and, asc, eq, gt, isNull, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** The table columns every archivable, centre-scoped record table has. */
export interface ScopedColumns {
  id: SQLiteColumn;
  centreId: SQLiteColumn;
  archivedAt: SQLiteColumn;
}

export interface PageOptions {
  /** null: every centre the caller may see (admins of every centre). */
  centreId: string | null;
  afterId?: string;
  limit: number;
  includeArchived?: boolean;
}

/** The WHERE conditions shared by every centre-scoped list, plus the caller's own filters. */
export function pageConditions(table: ScopedColumns, options: PageOptions, extra: (SQL | undefined)[] = []) {
  const conditions: (SQL | undefined)[] = [...extra];
  if (options.centreId !== null) conditions.push(eq(table.centreId, options.centreId));
  if (options.afterId) conditions.push(gt(table.id, options.afterId));
  if (!options.includeArchived) conditions.push(isNull(table.archivedAt));
  return and(...conditions);
}

export function byId(table: ScopedColumns) {
  return asc(table.id);
}
