import { Id } from "@halte/core";
import { daysToRebuild, getCentre, lastJobRuns } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { authorize, authorizeUnbound, permit } from "../../auth/middleware.js";
import { PURGE_JOB, runPurge } from "../../jobs/purge.js";
import { ROLLUP_JOB, rollDays } from "../../jobs/rollup.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { runRollupNowRoute } from "./run-rollup.js";

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

const listRunsRoute = defineRoute({
  method: "get",
  path: "/jobs/runs",
  operationId: "listJobRuns",
  middleware: [permit("centre:manage")] as const,
  tags: ["jobs"],
  summary:
    "The last runs of the scheduled jobs (roll-up and retention purge), newest first (an admin bound to no centre)",
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
    historyNotes: z.int(),
    consents: z.int(),
    sessions: z.int(),
    apiTokens: z.int(),
    dayPartials: z.int().openapi({
      description: "Day partials past retention whose visitor-code prefixes were dropped (at most 200 a run)",
    }),
  })
  .openapi("PurgeCounts");

const purgeRoute = defineRoute({
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

const rebuildRoute = defineRoute({
  method: "post",
  path: "/jobs/rebuild",
  operationId: "rebuildCentreMonth",
  middleware: [permit("centre:manage")] as const,
  tags: ["jobs"],
  summary: "Re-roll one month of a centre's day partials from its rows (admin); run it month by month",
  description:
    "A month is at most 31 days of one centre: one invocation's work, well inside D1's limits. The result " +
    "equals what the incremental roll-up stores for the same rows, byte for byte.",
  security: staffOnly,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.strictObject({
            centreId: Id,
            month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Use YYYY-MM"),
          }),
        },
      },
    },
  },
  responses: {
    200: {
      description: "How much was re-rolled",
      content: {
        "application/json": {
          schema: z.object({
            daysRolled: z.int(),
            daysFrozen: z.int().openapi({
              description:
                "Days past the centre's retention, left as they were (their visitor codes are purged)",
            }),
            rowsRead: z.int(),
          }),
        },
      },
    },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "validation_failed",
    ),
  },
});

export const jobRoutes = createRouter()
  .route("/", runRollupNowRoute)
  .openapi(listRunsRoute, async (c) => {
    authorizeUnbound(c, "centre:manage");
    const { db } = c.get("services");
    const [rollup, purge] = await Promise.all([
      lastJobRuns(db, ROLLUP_JOB, 20),
      lastJobRuns(db, PURGE_JOB, 20),
    ]);
    return c.json({ rollup, purge }, 200);
  })
  .openapi(purgeRoute, async (c) => {
    authorizeUnbound(c, "centre:manage");
    const { dryRun } = c.req.valid("json");
    const { db, now, newId, logger } = c.get("services");
    const counts = await runPurge({ db, d1: c.get("services").d1, now: now(), newId, dryRun });
    logger.info("retention purge", { ...counts });
    return c.json(counts, 200);
  })
  .openapi(rebuildRoute, async (c) => {
    const { centreId, month } = c.req.valid("json");
    authorize(c, "centre:manage", centreId);
    const { db, now, newId, logger } = c.get("services");
    if (!(await getCentre(db, centreId))) throw new ApiProblem("not_found", "No such centre");
    const days = await daysToRebuild(db, centreId, `${month}-01`, `${month}-31`);
    const rolled = await rollDays({ db, now: now(), newId }, days);
    logger.info("rollup rebuild", { centreId, month, ...rolled });
    return c.json(rolled, 200);
  });
