import type { Db } from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { BatchItem } from "drizzle-orm/batch";
import type { Context } from "hono";
import { auditStatement } from "../audit.js";
import type { AppEnv } from "../context.js";

/** `?includeArchived=true` on list routes: archived records are hidden unless asked for. */
export const IncludeArchived = z
  .enum(["true", "false"])
  .optional()
  .transform((value) => value === "true")
  .openapi({ description: "Also list archived records" });

/**
 * Archives a record and logs it in one batch; returns the record as it now stands. Records are archived,
 * never deleted: figures and history that cite them stay whole.
 */
export async function archiveRecord<T extends { id: string; centreId: string; archivedAt: string | null }>(
  c: Context<AppEnv>,
  entity: string,
  before: T,
  archive: (db: Db, id: string, at: string) => BatchItem<"sqlite">,
  /** What else ends with the record, in the same batch (a partner's sessions, tokens and webhooks). */
  alsoEnd: (db: Db, id: string, at: string) => readonly BatchItem<"sqlite">[] = () => [],
  /** The database the record lives in: its centre's (`dbs.dbFor(centreId)`) for a service, event or lesson. */
  into?: Db,
): Promise<T & { updatedAt: string }> {
  const { db: directory, now } = c.get("services");
  const db = into ?? directory;
  const at = now().toISOString();
  await db.batch([
    archive(db, before.id, at),
    ...alsoEnd(db, before.id, at),
    auditStatement(
      c,
      {
        action: "archive",
        entity,
        entityId: before.id,
        centreId: before.centreId,
        before: { archivedAt: before.archivedAt },
        after: { archivedAt: at },
      },
      db,
    ),
  ]);
  return { ...before, archivedAt: at, updatedAt: at };
}
