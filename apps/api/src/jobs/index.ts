import { createDb } from "@halte/db";
import type { Env } from "../env.js";
import { uuidv7 } from "../ids.js";
import { createConsoleLogger, describeError } from "../logger.js";
import { runPurge } from "./purge.js";
import { ROLLUP_JOB, runRollup } from "./rollup.js";

/** The nightly trigger (wrangler.jsonc) also runs the retention purge, after the roll-up. */
export const NIGHTLY_CRON = "30 2 * * *";

/**
 * The Worker's `scheduled()` side. Every cron trigger in wrangler.jsonc (every 15 minutes, and nightly)
 * runs the incremental roll-up; a run with nothing new costs two small reads and one batch. The nightly one
 * then runs the retention purge. Runs log counts and durations only.
 */
export async function runScheduled(
  controller: Pick<ScheduledController, "cron" | "scheduledTime">,
  env: Env,
) {
  const logger = createConsoleLogger({ job: ROLLUP_JOB, cron: controller.cron });
  const db = createDb(env.DB);
  const newId = () => uuidv7(new Date());
  try {
    const run = await runRollup({
      db,
      now: new Date(controller.scheduledTime),
      newId,
    });
    logger.info("job finished", { ...run });
    if (controller.cron === NIGHTLY_CRON) {
      const now = new Date(controller.scheduledTime);
      const purged = await runPurge({ db, d1: env.DB, now, newId, dryRun: false });
      logger.info("retention purge finished", { ...purged });
    }
  } catch (error) {
    logger.error("job failed", { error: describeError(error) });
    throw error;
  }
}
