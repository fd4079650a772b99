import { z } from "@hono/zod-openapi";
import { auditStatement } from "../../audit.js";
import { authorizeUnbound, permit } from "../../auth/middleware.js";
import { ROLLUP_JOB, runRollupEverywhere } from "../../jobs/rollup.js";
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
    centres: z
      .array(
        z.object({
          centreId: z.string(),
          status: z.enum(["succeeded", "failed"]),
          daysRolled: z.int().optional(),
          rowsRead: z.int().optional(),
          errorKind: z.enum(["database", "invalid-value", "unreadable-data", "other"]).optional(),
        }),
      )
      .openapi({
        description:
          "Each centre's run, in id order: a centre that failed is recorded as a failed run and the others go on",
      }),
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
    "Re-rolls, centre after centre, each day with a row written since that centre's last run (rows of the " +
    "last minute wait for the next run); `watermarkFrom` is the earliest of the centres', the counts their " +
    "sums. Safe to call at any time: a day re-rolled from the same rows gives the same partial. The " +
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
  const { dbs, now, newId, logger } = c.get("services");
  const run = await runRollupEverywhere({ dbs, now: now(), newId });
  // The run's own row and watermark are already written; the audit row says who asked for it.
  await auditStatement(c, {
    action: "run",
    entity: "job",
    entityId: ROLLUP_JOB,
    centreId: null,
    after: { daysRolled: run.daysRolled, rowsRead: run.rowsRead },
  });
  const failed = run.centres.filter((centre) => centre.status === "failed").length;
  logger.info("rollup run on request", { ...run, centres: run.centres.length, failed });
  const centres = run.centres.map((centre) =>
    centre.status === "succeeded"
      ? {
          centreId: centre.centreId,
          status: centre.status,
          daysRolled: centre.daysRolled,
          rowsRead: centre.rowsRead,
        }
      : centre,
  );
  return c.json({ ...run, centres }, 200);
});
