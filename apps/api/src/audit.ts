import { redactAuditRecord } from "@halte/core";
import { auditLog, compiledInsert, type Db, insertAuditEntry, type NewAuditRow } from "@halte/db";
import type { Context } from "hono";
import type { AppEnv } from "./context.js";

/** Personal fields and free text are redacted by core's rule (`redactAuditRecord`). */
const redact = redactAuditRecord;

/** The fields whose value differs between two versions of a record, old and new, redacted. */
export function diffRecords(
  entity: string,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): Record<string, unknown> {
  if (!before) return { after: after ? redact(entity, after) : null };
  if (!after) return { before: redact(entity, before) };
  const changedBefore: Record<string, unknown> = {};
  const changedAfter: Record<string, unknown> = {};
  // `after` is what the caller sent: only its fields can have changed.
  for (const key of Object.keys(after)) {
    if (key === "updatedAt" || key === "version") continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      changedBefore[key] = before[key];
      changedAfter[key] = after[key];
    }
  }
  return { before: redact(entity, changedBefore), after: redact(entity, changedAfter) };
}

export interface AuditEntry {
  action: string;
  entity: string;
  entityId: string | null;
  centreId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Who acted when no one is signed in: a partner's verified webhook names the partner. */
  actor?: { type: "partner_webhook"; id: string };
}

/**
 * The audit row for a write, as a statement to put in the same `db.batch` as the write itself: the log
 * and the change land together or not at all. `into` is the database the write goes to (a centre's own,
 * `dbs.dbFor(centreId)`, for its people and visits); the directory by default.
 */
export function auditStatement(c: Context<AppEnv>, entry: AuditEntry, into?: Db) {
  const { db: directory } = c.get("services");
  return insertAuditEntry(into ?? directory, auditRow(c, entry));
}

/**
 * `auditStatement` as a raw statement (`toSQL()` only) for the folded writes, which put it under their own
 * condition (`insertSelect`): compiled once per shape (`compiledInsert`) instead of built by drizzle per request.
 */
export function compiledAuditStatement(c: Context<AppEnv>, entry: AuditEntry, into?: Db) {
  const { db: directory } = c.get("services");
  return compiledInsert(into ?? directory, auditLog, auditRow(c, entry));
}

function auditRow(c: Context<AppEnv>, entry: AuditEntry): NewAuditRow {
  const { now } = c.get("services");
  const principal = c.get("principal");
  return {
    centreId: entry.centreId,
    actorType: entry.actor?.type ?? principal?.kind ?? "system",
    actorId: entry.actor?.id ?? principal?.id ?? null,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    diff: diffRecords(entry.entity, entry.before ?? null, entry.after ?? null),
    at: now().toISOString(),
  };
}
