import { centreBindings } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { authorizeUnbound, permit } from "../../auth/middleware.js";
import { type PurgeCounts as Counts, PURGE_JOB, runPurge } from "../../jobs/purge.js";
import { jobErrorKind, recordFailedRun } from "../../jobs/runs.js";
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
  const { db, d1, dbs, now, newId, logger } = c.get("services");
  const at = now();
  // The directory's run covers what is shared and every centre whose rows it holds; each centre database
  // then purges its own centres' records (each run recorded in the directory), and the counts add up.
  // Every centre's binding is read first: once the directory's purge is written, no read can fail the call.
  const byBinding = new Map<string, string[]>();
  for (const { id, binding } of await centreBindings(db)) {
    if (binding !== "DB") byBinding.set(binding, [...(byBinding.get(binding) ?? []), id]);
  }
  let counts = await runPurge({ db, d1, now: at, newId, dryRun });
  for (const [binding, centreIds] of byBinding) {
    try {
      const held = { db: dbs.dbNamed(binding), d1: dbs.d1Named(binding) };
      const more = await runPurge({ ...held, directory: db, now: at, newId, dryRun, scope: "centres" });
      counts = addPurgeCounts(counts, more);
    } catch (error) {
      // A centre database the Worker lacks, or failing, fails alone, as at night: a failed run per centre.
      const errorKind = jobErrorKind(error);
      for (const centreId of centreIds) {
        await recordFailedRun(db, { id: newId(), job: PURGE_JOB, centreId, at, errorKind, status: "failed" });
      }
      logger.error("retention purge failed for a centre database", { centres: centreIds.length, errorKind });
    }
  }
  logger.info("retention purge", { ...counts });
  return c.json(counts, 200);
});

/** Two runs' counts added up, category by category. */
function addPurgeCounts(a: Counts & { dryRun: boolean }, b: Counts): Counts & { dryRun: boolean } {
  const sum = { ...a };
  for (const key of Object.keys(sum) as (keyof typeof sum)[]) {
    if (key !== "dryRun") sum[key] = a[key] + b[key];
  }
  return sum;
}
