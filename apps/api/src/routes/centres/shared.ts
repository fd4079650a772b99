import { Centre } from "@halte/core";
import { copyCentreRow, getCentreBySlug, getCentreRow } from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { Databases } from "../../databases.js";

type CentreRow = NonNullable<Awaited<ReturnType<typeof getCentreRow>>>;

export const CentreRecord = Centre.openapi("Centre");

export const CentreParams = z.object({ centreId: z.string().min(1).max(64) });

export async function slugTaken(db: Parameters<typeof getCentreBySlug>[0], slug: string, exceptId?: string) {
  const existing = await getCentreBySlug(db, slug);
  return existing !== null && existing.id !== exceptId;
}

/**
 * Before a centre's directory row changes, its copy in the centre's own database (which that database's
 * foreign keys and retention queries read) is written as the row will be: the copy first, then the
 * directory. Two databases cannot share a batch; in this order a failure between the two writes leaves
 * the directory as it was, so the API goes on serving the centre as it was and the request fails; a retry
 * writes the same copy again (an upsert of the whole row: idempotent) and then the directory. Nothing to
 * do on a single-database install, where the directory's row is the centre's own.
 */
export async function writeCentreCopy(
  dbs: Databases,
  centreId: string,
  change: (row: CentreRow) => CentreRow,
): Promise<void> {
  if (await dbs.sharesDirectory(centreId)) return;
  const row = await getCentreRow(dbs.directory, centreId);
  if (!row) return;
  await copyCentreRow(await dbs.dbFor(centreId), change(row));
}
