import { z } from "@hono/zod-openapi";
import { auditStatement } from "../../audit.js";
import { authorizeUnbound, permit } from "../../auth/middleware.js";
import { ROLLUP_JOB, runRollup } from "../../jobs/rollup.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";

const RollupRunResult = z
  .object({
    watermarkFrom: z.string(),
    watermarkTo: z.string(),
    daysRolled: z.int(),
    rowsRead: z.int(),
    durationMs: z.int(),
  })
  .openapi("RollupRunResult");

const runRollupRoute = defineRoute({
  method: "post",
  path: "/jobs/rollup",
  operationId: "runRollupNow",
  middleware: [permit("centre:manage")] as const,
  tags: ["jobs"],
  summary:
    "Run the incremental roll-up now, as the cron does, for every centre (an admin bound to no centre)",
  description:
    "Re-rolls every centre-day with a row written since the last run (rows of the last minute wait for the " +
    "next run). Safe to call at any time: a day re-rolled from the same rows gives the same partial. The " +
    "demo script calls it every few minutes, since the cron never fires under `wrangler dev` with assets.",
  security: staffOnly,
  responses: {
    200: {
      description: "What the run covered, as the job-runs list records it",
      content: { "application/json": { schema: RollupRunResult } },
    },
    ...problemResponses("unauthenticated", "forbidden"),
  },
});

export const runRollupNowRoute = createRouter().openapi(runRollupRoute, async (c) => {
  authorizeUnbound(c, "centre:manage");
  const { db, now, newId, logger } = c.get("services");
  const run = await runRollup({ db, now: now(), newId });
  // The run's own row and watermark are already written; the audit row says who asked for it.
  await auditStatement(c, {
    action: "run",
    entity: "job",
    entityId: ROLLUP_JOB,
    centreId: null,
    after: { daysRolled: run.daysRolled, rowsRead: run.rowsRead },
  });
  logger.info("rollup run on request", { ...run });
  return c.json(run, 200);
});
