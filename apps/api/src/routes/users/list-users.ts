import { Id, Role } from "@halte/core";
import { listUsers } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { decodeCursor, PageQuery, pageOf, toPage } from "../../pagination.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { UserRecord } from "./shared.js";

const route = defineRoute({
  method: "get",
  path: "/users",
  operationId: "listUsers",
  tags: ["users"],
  summary: "List staff accounts (admin)",
  security: staffOnly,
  middleware: [permit("users:manage")] as const,
  request: {
    query: PageQuery.extend({
      centreId: Id.optional(),
      role: Role.optional(),
      includeDisabled: z.enum(["true", "false"]).optional(),
    }),
  },
  responses: {
    200: {
      description: "A page of users",
      content: { "application/json": { schema: pageOf(UserRecord, "User") } },
    },
    ...problemResponses("unauthenticated", "forbidden", "validation_failed"),
  },
});

export const listUsersRoute = createRouter().openapi(route, async (c) => {
  const { limit, cursor, centreId, role, includeDisabled } = c.req.valid("query");
  const principal = authorize(c, "users:manage", centreId);
  const rows = await listUsers(c.get("services").db, {
    centreId: centreId ?? principal.centreId,
    afterId: decodeCursor(cursor),
    limit,
    includeDisabled: includeDisabled === "true",
    ...(role ? { role } : {}),
  });
  return c.json(toPage(rows, limit), 200);
});
