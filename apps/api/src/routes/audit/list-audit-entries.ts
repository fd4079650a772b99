import { Id } from "@halte/core";
import { listAudit } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { PageQuery } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { auditPageAcross, auditSources } from "./across-databases.js";
import { AuditEntry } from "./schema.js";

const route = defineRoute({
  method: "get",
  path: "/audit",
  operationId: "listAuditEntries",
  tags: ["audit"],
  summary: "Read the audit log, newest first (admin); personal fields are redacted at write time",
  security: staffOnly,
  middleware: [permit("audit:read")] as const,
  request: {
    query: PageQuery.extend({
      centreId: Id.optional(),
      entity: z.string().max(40).optional(),
      entityId: z.string().max(64).optional(),
    }),
  },
  responses: {
    200: {
      description: "A page of entries",
      content: {
        "application/json": {
          schema: z
            .object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() })
            .openapi("AuditPage"),
        },
      },
    },
    ...problemResponses("unauthenticated", "forbidden", "validation_failed"),
  },
});

export const listAuditEntriesRoute = createRouter().openapi(route, async (c) => {
  const { limit, cursor, centreId, entity, entityId } = c.req.valid("query");
  const principal = authorize(c, "audit:read", centreId);
  const of = centreId ?? principal.centreId;
  const sources = await auditSources(c.get("services").dbs, of === null ? "all" : [of]);
  if (sources.length > 1) {
    // Centres with databases of their own: the directory's entries and theirs, merged newest first.
    const filters = { centreId: of, ...(entity ? { entity } : {}), ...(entityId ? { entityId } : {}) };
    return c.json(await auditPageAcross(sources, filters, limit, cursor), 200);
  }
  let beforeId: number | undefined;
  if (cursor !== undefined) {
    beforeId = Number.parseInt(cursor, 10);
    if (!/^\d{1,15}$/.test(cursor) || !Number.isSafeInteger(beforeId)) {
      throw new ApiProblem("validation_failed", "The cursor is not one this API issued", [
        { path: ["query", "cursor"], code: "invalid_format", message: "Unknown cursor" },
      ]);
    }
  }
  const rows = await listAudit(c.get("services").db, {
    centreId: of,
    limit,
    ...(entity ? { entity } : {}),
    ...(entityId ? { entityId } : {}),
    ...(beforeId === undefined ? {} : { beforeId }),
  });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return c.json({ items, nextCursor: rows.length > limit && last ? String(last.id) : null }, 200);
});
