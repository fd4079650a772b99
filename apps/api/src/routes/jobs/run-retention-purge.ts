import { z } from "@hono/zod-openapi";
import { authorizeUnbound, permit } from "../../auth/middleware.js";
import { runPurge } from "../../jobs/purge.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { PurgeCounts } from "./shared.js";

const route = defineRoute({
  method: "post",
  path: "/jobs/retention-purge",
  operationId: "runRetentionPurge",
  middleware: [permit("centre:manage")] as const,
  tags: ["jobs"],
  summary:
    "Run the retention purge now, or with `dryRun` only count what it would remove, for every centre (an admin bound to no centre)",
  security: staffOnly,
  request: {
    body: {
      required: true,
      content: { "application/json": { schema: z.strictObject({ dryRun: z.boolean().default(true) }) } },
    },
  },
  responses: {
    200: {
      description: "What went (or would go), as counts",
      content: { "application/json": { schema: PurgeCounts } },
    },
    ...problemResponses("malformed_request", "unauthenticated", "forbidden", "validation_failed"),
  },
});

export const runRetentionPurgeRoute = createRouter().openapi(route, async (c) => {
  authorizeUnbound(c, "centre:manage");
  const { dryRun } = c.req.valid("json");
  const { db, now, newId, logger } = c.get("services");
  const counts = await runPurge({ db, d1: c.get("services").d1, now: now(), newId, dryRun });
  logger.info("retention purge", { ...counts });
  return c.json(counts, 200);
});
