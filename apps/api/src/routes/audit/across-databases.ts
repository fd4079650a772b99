import { type AuditRow, type Db, type ListAuditOptions, listAudit } from "@halte/db";
import type { Databases } from "../../databases.js";
import { ApiProblem } from "../../problem.js";

/**
 * The audit log of the databases a list reads when a centre's rows live in a database of their own
 * (docs/scale.md): the directory's entries (users, partners, centres, jobs) and each centre database's
 * (its people and visits). Ids are per database and do not compare across them, so the merged list is
 * newest first by time (`at`), then by database binding and id, and its cursor names that position:
 * `<at>~<binding>~<id>`. With one database (a single-database install) the list and its numeric cursor
 * are as they always were (`list-audit-entries.ts`).
 */
export interface AuditSource {
  binding: string;
  db: Db;
}

/** The databases whose entries a list of these centres (or of every centre) reads, the directory first. */
export async function auditSources(dbs: Databases, centreIds: string[] | "all"): Promise<AuditSource[]> {
  const sources: AuditSource[] = [{ binding: "DB", db: dbs.directory }];
  for (const held of await dbs.databasesOf(centreIds)) {
    const [first] = held.centreIds;
    if (held.d1 === dbs.directoryD1 || first === undefined) continue;
    sources.push({ binding: (await dbs.bindingOf(first)) ?? first, db: held.db });
  }
  return sources;
}

interface Position {
  at: string;
  binding: string;
  id: number;
}

const CURSOR = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?Z)~([A-Za-z0-9_]{1,64})~(\d{1,15})$/;

function parseCursor(cursor: string): Position {
  const match = CURSOR.exec(cursor);
  const id = Number(match?.[3]);
  if (!match || !Number.isSafeInteger(id)) {
    throw new ApiProblem("validation_failed", "The cursor is not one this API issued", [
      { path: ["query", "cursor"], code: "invalid_format", message: "Unknown cursor" },
    ]);
  }
  return { at: match[1] as string, binding: match[2] as string, id };
}

/** Whether `a` comes before `b` in the merged list (newer first). */
function newerFirst(a: Position, b: Position): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  if (a.binding !== b.binding) return a.binding < b.binding ? 1 : -1;
  return b.id - a.id;
}

/**
 * One page of entries across the sources: `limit + 1` from each after the cursor's position, merged
 * newest first and cut; the next cursor is the last entry's position.
 */
export async function auditPageAcross(
  sources: readonly AuditSource[],
  filters: Omit<ListAuditOptions, "beforeId" | "olderThan" | "limit">,
  limit: number,
  cursor: string | undefined,
): Promise<{ items: AuditRow[]; nextCursor: string | null }> {
  const after = cursor === undefined ? null : parseCursor(cursor);
  const pages = await Promise.all(
    sources.map(async ({ binding, db }) => {
      const sameAt =
        after === null || binding < after.binding
          ? ("all" as const)
          : binding === after.binding
            ? { beforeId: after.id }
            : ("none" as const);
      const rows = await listAudit(db, {
        ...filters,
        olderThan: { at: after?.at ?? "9999-12-31T23:59:59.999Z", sameAt },
        limit,
      });
      return rows.map((row) => ({ row, position: { at: row.at, binding, id: row.id } }));
    }),
  );
  const merged = pages.flat().sort((a, b) => newerFirst(a.position, b.position));
  const page = merged.slice(0, limit);
  const last = page.at(-1)?.position;
  return {
    items: page.map((entry) => entry.row),
    nextCursor: merged.length > limit && last ? `${last.at}~${last.binding}~${last.id}` : null,
  };
}
