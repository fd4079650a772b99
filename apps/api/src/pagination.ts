import { z } from "@hono/zod-openapi";
import { ApiProblem } from "./problem.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** `?limit` and `?cursor`, shared by every list route. */
export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .openapi({ description: `Items per page (1–${MAX_PAGE_SIZE})` }),
  cursor: z.string().max(200).optional().openapi({ description: "The `nextCursor` of the previous page" }),
});

/** A page of items and the cursor of the next page (null on the last page). */
export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(`${name}Page`);
}

/** Cursors are opaque to clients: the last id seen, base64url-encoded. */
export function encodeCursor(lastId: string): string {
  return btoa(lastId).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const id = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    if (/^[A-Za-z0-9_-]{1,64}$/.test(id)) return id;
  } catch {
    // fall through to the problem below
  }
  throw new ApiProblem("validation_failed", "The cursor is not one this API issued", [
    { path: ["query", "cursor"], code: "invalid_format", message: "Unknown cursor" },
  ]);
}

/**
 * Given `limit + 1` rows fetched in id order, returns the page and the next cursor.
 */
export function toPage<T extends { id: string }>(
  rows: T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
