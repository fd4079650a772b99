import { lastJobRuns } from "@halte/db";
import { createRoute, z } from "@hono/zod-openapi";
import { authorize, permit } from "../../auth/middleware.js";
import { PURGE_JOB, runPurge } from "../../jobs/purge.js";
import { ROLLUP_JOB } from "../../jobs/rollup.js";
import { staffOnly } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";

const JobRun = z
  .object({
    id: z.string(),
    job: z.string(),
    startedAt: z.string(),
    finishedAt: z.string(),
    watermarkFrom: z.string(),
    watermarkTo: z.string(),
    rowsRead: z.int(),
    daysRolled: z.int(),
    durationMs: z.int(),
  })
  .openapi("JobRun");

const listRunsRoute = createRoute({
  method: "get",
  path: "/jobs/runs",
  middleware: [permit("centre:manage")] as const,
  tags: ["jobs"],
  summary: "The last runs of the scheduled jobs (roll-up and retention purge), newest first (admin)",
  security: staffOnly,
  responses: {
    200: {
      description: "Counts and durations of each recent run",
      content: {
        "application/json": { schema: z.object({ rollup: z.array(JobRun), purge: z.array(JobRun) }) },
      },
    },
    ...problemResponses("unauthenticated", "forbidden"),
  },
});

const PurgeCounts = z
  .object({
    dryRun: z.boolean(),
    visitorCodes: z.int(),
    referralContacts: z.int(),
    consents: z.int(),
    sessions: z.int(),
    apiTokens: z.int(),
  })
  .openapi("PurgeCounts");

const purgeRoute = createRoute({
  method: "post",
  path: "/jobs/retention-purge",
  middleware: [permit("centre:manage")] as const,
  tags: ["jobs"],
  summary: "Run the retention purge now, or with `dryRun` only count what it would remove (admin)",
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

export const jobRoutes = createRouter()
  .openapi(listRunsRoute, async (c) => {
    authorize(c, "centre:manage");
    const { db } = c.get("services");
    const [rollup, purge] = await Promise.all([
      lastJobRuns(db, ROLLUP_JOB, 20),
      lastJobRuns(db, PURGE_JOB, 20),
    ]);
    return c.json({ rollup, purge }, 200);
  })
  .openapi(purgeRoute, async (c) => {
    authorize(c, "centre:manage");
    const { dryRun } = c.req.valid("json");
    const { db, now, newId, logger } = c.get("services");
    const counts = await runPurge({ db, d1: c.get("services").d1, now: now(), newId, dryRun });
    logger.info("retention purge", { ...counts });
    return c.json(counts, 200);
  });
