import { getUser, listAudit } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { visibleLessonIn } from "./lesson-rules.js";
import { LessonParams } from "./schema.js";

const HistoryEntry = z
  .object({
    at: z.string(),
    action: z.string().openapi({ description: "`create`, `update`, `status` or `archive`" }),
    /** The name of the staff member who acted, or null for an API token or a removed account. */
    actorName: z.string().nullable(),
    actorId: z.string().nullable(),
    fromStatus: z.string().nullable(),
    toStatus: z.string().nullable(),
    /** Why a validated lesson went back to draft. */
    reason: z.string().nullable(),
  })
  .openapi("LessonHistoryEntry");

const historyRoute = defineRoute({
  method: "get",
  path: "/lessons/{lessonId}/history",
  operationId: "getLessonHistory",
  tags: ["lessons"],
  summary: "A lesson's history, oldest first: who contributed, edited and reviewed it, and why it went back",
  security: staffOrToken,
  middleware: [permit("lessons:read")] as const,
  request: { params: LessonParams },
  responses: {
    200: {
      description: "The history",
      content: {
        "application/json": {
          schema: z.object({ items: z.array(HistoryEntry) }).openapi("LessonHistory"),
        },
      },
    },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

function field(diff: Record<string, unknown> | null, side: "before" | "after", key: string): string | null {
  const part = diff?.[side];
  const value = part && typeof part === "object" ? (part as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" ? value : null;
}

export const lessonHistoryRoutes = createRouter().openapi(historyRoute, async (c) => {
  const { lesson, db: lessonDb } = await visibleLessonIn(c, c.req.valid("param").lessonId);
  const { db } = c.get("services");
  // A lesson's history is short: a few edits and review moves. Its audit rows are where it is (its
  // centre's database); the names of the people who acted are in the directory.
  const rows = (await listAudit(lessonDb, { entity: "lesson", entityId: lesson.id, limit: 500 })).reverse();
  const names = new Map<string, string | null>();
  for (const row of rows) {
    if (row.actorType !== "user" || row.actorId === null || names.has(row.actorId)) continue;
    names.set(row.actorId, (await getUser(db, row.actorId))?.name ?? null);
  }
  const items = rows.map((row) => ({
    at: row.at,
    action: row.action,
    actorId: row.actorId,
    actorName: row.actorId === null ? null : (names.get(row.actorId) ?? null),
    fromStatus: field(row.diff ?? null, "before", "status"),
    toStatus: field(row.diff ?? null, "after", "status") ?? (row.action === "create" ? "draft" : null),
    reason: field(row.diff ?? null, "after", "reason"),
  }));
  return c.json({ items }, 200);
});
