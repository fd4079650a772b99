import type { Centre, CentreInput } from "@halte/core";
import { and, asc, eq, gt, isNull, ne, type SQL } from "drizzle-orm";
import type { Db } from "../client.js";
import { centres } from "../schema/centres.js";

type CentreRow = typeof centres.$inferSelect;

/** A stored row as the API's `Centre`. */
export function centreFromRow(row: CentreRow): Centre {
  const { timeZone: _derived, d1Binding: _binding, ...rest } = row;
  return rest as Centre;
}

export interface ListCentresOptions {
  /** Only this centre (callers bound to one centre). */
  onlyId?: string | null;
  afterId?: string;
  limit: number;
  includeArchived?: boolean;
}

/** Centres in id order, one more than `limit` so the caller knows whether a next page exists. */
export async function listCentres(db: Db, options: ListCentresOptions): Promise<Centre[]> {
  const conditions: SQL[] = [];
  if (options.onlyId) conditions.push(eq(centres.id, options.onlyId));
  if (options.afterId) conditions.push(gt(centres.id, options.afterId));
  if (!options.includeArchived) conditions.push(isNull(centres.archivedAt));
  const rows = await db
    .select()
    .from(centres)
    .where(and(...conditions))
    .orderBy(asc(centres.id))
    .limit(options.limit + 1);
  return rows.map(centreFromRow);
}

export async function getCentre(db: Db, id: string): Promise<Centre | null> {
  const [row] = await db.select().from(centres).where(eq(centres.id, id)).limit(1);
  return row ? centreFromRow(row) : null;
}

export async function getCentreBySlug(db: Db, slug: string): Promise<Centre | null> {
  const [row] = await db.select().from(centres).where(eq(centres.slug, slug)).limit(1);
  return row ? centreFromRow(row) : null;
}

/**
 * The insert statement for a new centre, to run in a batch with its audit row; `d1Binding` names the
 * database its rows live in (the directory's own, `DB`, unless given).
 */
export function insertCentre(db: Db, id: string, input: CentreInput, at: string, d1Binding = "DB") {
  return db.insert(centres).values({
    id,
    ...input,
    d1Binding,
    timeZone: input.openingHours.timeZone,
    createdAt: at,
    updatedAt: at,
    archivedAt: null,
  });
}

/** The update statement replacing a centre's fields. */
export function replaceCentre(db: Db, id: string, input: CentreInput, at: string) {
  return db
    .update(centres)
    .set({ ...input, timeZone: input.openingHours.timeZone, updatedAt: at })
    .where(eq(centres.id, id));
}

export function archiveCentre(db: Db, id: string, at: string) {
  return db.update(centres).set({ archivedAt: at, updatedAt: at }).where(eq(centres.id, id));
}

/** The directory's whole row of a centre (with its binding), to copy into the centre's own database. */
export async function getCentreRow(db: Db, id: string): Promise<CentreRow | null> {
  const [row] = await db.select().from(centres).where(eq(centres.id, id)).limit(1);
  return row ?? null;
}

/**
 * The statement writing a centre's row into its own database as the directory holds it (inserted, or
 * replaced when the copy is there): the centre database's foreign keys point at this copy, and the door's
 * folded write checks it (docs/scale.md, "One database per centre").
 */
export function copyCentreRow(centreDb: Db, row: typeof centres.$inferInsert) {
  const { id: _id, ...fields } = row;
  return centreDb.insert(centres).values(row).onConflictDoUpdate({ target: centres.id, set: fields });
}

/**
 * Removes from a centre's database a copy of a centre row with this slug and another id: what a
 * `POST /api/centres` stopped between its two writes leaves (the copy written, the directory row not), so
 * that the retry's copy, under its new id, does not collide on the slug. Fails on the foreign keys if any
 * row of that database names the copy (then it is not a leftover).
 */
export function deleteCentreCopyBySlug(centreDb: Db, slug: string, keepId: string) {
  return centreDb.delete(centres).where(and(eq(centres.slug, slug), ne(centres.id, keepId)));
}
