import { auditLog } from "@halte/db";
import { asc, eq } from "drizzle-orm";
import { expect } from "vitest";
import { api, type Caller, db } from "./helpers.js";

/** Helpers for the partners, services, events and lessons tests. */

/** What these helpers read of an answer. */
interface Answer {
  status: number;
  body: { code?: string; errors?: { path: (string | number)[] }[]; items?: { id: string }[] };
}

/** The audit rows written about one record, oldest first. */
export async function auditOf(entityId: string) {
  return db.select().from(auditLog).where(eq(auditLog.entityId, entityId)).orderBy(asc(auditLog.id));
}

/** The field paths of a 422 answer, joined with dots and sorted. */
export function errorPaths(response: Answer): string[] {
  expect(response.status, JSON.stringify(response.body)).toBe(422);
  expect(response.body.code).toBe("validation_failed");
  return (response.body.errors ?? []).map((e) => e.path.join(".")).sort();
}

/** The ids of a page's items, in order. */
export function idsOf(response: Answer): string[] {
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return (response.body.items ?? []).map((item) => item.id);
}

/**
 * Follows `nextCursor` from `path` (which already has a query string) and returns every page's ids, so a
 * test can check page sizes and that the pages neither overlap nor skip.
 */
export async function pagesOf(path: string, caller: Caller, limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const suffix: string = cursor === null ? "" : `&cursor=${cursor}`;
    const response = await api("GET", `${path}&limit=${limit}${suffix}`, { as: caller });
    pages.push(idsOf(response));
    cursor = response.body.nextCursor;
    if (pages.length > 20) throw new Error("pagination does not end");
  } while (cursor !== null);
  return pages;
}
