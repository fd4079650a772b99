import { lastJobRuns } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { authorizeUnbound, permit } from "../../auth/middleware.js";
import { PURGE_JOB } from "../../jobs/purge.js";
import { ROLLUP_JOB } from "../../jobs/rollup.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { JobRun } from "./shared.js";

const route = defineRoute({
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

export const listJobRunsRoute = createRouter().openapi(route, async (c) => {
  authorizeUnbound(c, "centre:manage");
  const { db } = c.get("services");
  const [rollup, purge] = await Promise.all([
    lastJobRuns(db, ROLLUP_JOB, 20),
    lastJobRuns(db, PURGE_JOB, 20),
  ]);
  return c.json({ rollup, purge }, 200);
});
