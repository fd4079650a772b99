import { Centre } from "@halte/core";
import { getCentreBySlug } from "@halte/db";
import { z } from "@hono/zod-openapi";

export const CentreRecord = Centre.openapi("Centre");

export const CentreParams = z.object({ centreId: z.string().min(1).max(64) });

export async function slugTaken(db: Parameters<typeof getCentreBySlug>[0], slug: string, exceptId?: string) {
  const existing = await getCentreBySlug(db, slug);
  return existing !== null && existing.id !== exceptId;
}
