import { activeCentreIds } from "@halte/db";
import { Databases } from "../databases.js";
import type { Env } from "../env.js";
import { uuidv7 } from "../ids.js";
import { createConsoleLogger, describeError } from "../logger.js";
import { mergeMonthPartials } from "./months.js";
import { runPurge } from "./purge.js";
import type { CentreJobMessage } from "./queue.js";
import { ROLLUP_JOB, runRollupEverywhere } from "./rollup.js";

/** The nightly trigger (wrangler.jsonc) also runs the retention purge, after the roll-up. */
export const NIGHTLY_CRON = "30 2 * * *";

/** Messages per `sendBatch`: the platform's limit. */
const SEND_BATCH = 100;

/**
 * The Worker's `scheduled()` side. Every cron trigger in wrangler.jsonc (every 15 minutes, and nightly) puts
 * one roll-up message per centre not archived on the jobs queue (src/jobs/queue.ts runs them, one centre per
 * invocation); a centre's run with nothing new costs two small reads and one batch. On the nightly trigger
 * each centre's roll-up, once it succeeds, queues that centre's retention purge (which then merges the centre's
 * month partials), and one more message purges
 * what belongs to no centre (sessions, API tokens). Without a jobs queue bound (a local config without
 * queues), the same work runs here, centre after centre, each failure recorded without stopping the others.
 * The centres are listed from the directory; each centre's work runs in its own database (`dbFor`).
 */
export async function runScheduled(
  controller: Pick<ScheduledController, "cron" | "scheduledTime">,
  env: Env,
) {
  const logger = createConsoleLogger({ job: ROLLUP_JOB, cron: controller.cron });
  const dbs = new Databases(env);
  const db = dbs.directory;
  const nightly = controller.cron === NIGHTLY_CRON;
  const now = new Date(controller.scheduledTime);
  const newId = () => uuidv7(new Date());
  try {
    if (!env.JOB_QUEUE) {
      const run = await runRollupEverywhere({ dbs, now, newId });
      logger.info("job finished inline", { ...run, centres: run.centres.length });
      if (nightly) {
        for (const centre of run.centres) {
          if (centre.status !== "succeeded") continue;
          const { centreId } = centre;
          const [centreDb, d1] = [await dbs.dbFor(centreId), await dbs.d1For(centreId)];
          await runPurge({ db: centreDb, d1, directory: db, now, newId, dryRun: false, scope: { centreId } });
          await mergeMonthPartials({
            db: centreDb,
            figures: dbs.figures,
            figuresApart: dbs.figuresApart,
            centreId,
            now,
          });
        }
        await runPurge({ db, d1: env.DB, now, newId, dryRun: false, scope: "shared" });
      }
      return;
    }
    const messages: CentreJobMessage[] = (await activeCentreIds(db)).map((centreId) => ({
      job: "rollup",
      centreId,
      scheduledTime: controller.scheduledTime,
      nightly,
    }));
    if (nightly)
      messages.push({ job: "purge", centreId: null, scheduledTime: controller.scheduledTime, nightly });
    for (let i = 0; i < messages.length; i += SEND_BATCH) {
      await env.JOB_QUEUE.sendBatch(messages.slice(i, i + SEND_BATCH).map((body) => ({ body })));
    }
    logger.info("jobs queued", { messages: messages.length });
  } catch (error) {
    logger.error("job failed", { error: describeError(error) });
    throw error;
  }
}
