import { createDb } from "@halte/db";
import type { Env } from "../env.js";
import { uuidv7 } from "../ids.js";
import { createConsoleLogger, describeError } from "../logger.js";
import { ROLLUP_JOB, runRollup } from "./rollup.js";

/**
 * The Worker's `scheduled()` side. Every cron trigger in wrangler.jsonc (every 15 minutes, and nightly)
 * runs the incremental roll-up; a run with nothing new costs two small reads and one batch. Runs log counts
 * and durations only.
 */
export async function runScheduled(
  controller: Pick<ScheduledController, "cron" | "scheduledTime">,
  env: Env,
) {
  const logger = createConsoleLogger({ job: ROLLUP_JOB, cron: controller.cron });
  const db = createDb(env.DB);
  try {
    const run = await runRollup({
      db,
      now: new Date(controller.scheduledTime),
      newId: () => uuidv7(new Date()),
    });
    logger.info("job finished", { ...run });
  } catch (error) {
    logger.error("job failed", { error: describeError(error) });
    throw error;
  }
}
