import { Databases } from "../databases.js";
import type { Env } from "../env.js";
import { uuidv7 } from "../ids.js";
import { createConsoleLogger } from "../logger.js";
import { mergeMonthPartials } from "./months.js";
import { PURGE_JOB, runPurge } from "./purge.js";
import { ROLLUP_JOB, runRollup } from "./rollup.js";
import { jobErrorKind, recordFailedRun } from "./runs.js";

/**
 * One centre's job on the `halte-jobs` queue (wrangler.jsonc). `centreId` null is the purge of what belongs
 * to no centre (sessions, API tokens). `nightly`: a roll-up that succeeds puts that centre's purge on the
 * queue, so a centre's purge never runs before that night's roll-up of the same centre; the purge then
 * merges the centre's month partials (src/jobs/months.ts).
 */
export interface CentreJobMessage {
  job: "rollup" | "purge";
  centreId: string | null;
  /** The cron's instant (ms since the epoch): the run's "now", however late a retry runs. */
  scheduledTime: number;
  nightly: boolean;
}

/**
 * Delay before each retry of a failed centre job, in seconds: 1, 5, 15, 60 minutes. After the fourth retry
 * (`max_retries: 4` in wrangler.jsonc) the platform moves the message to `halte-jobs-dlq`.
 */
export const JOB_RETRY_DELAYS_SECONDS = [60, 300, 900, 3600] as const;

/** The delay before retrying after failed attempt number `attempt` (1-based). */
export function jobRetryDelaySeconds(attempt: number): number {
  const last = JOB_RETRY_DELAYS_SECONDS.length;
  return JOB_RETRY_DELAYS_SECONDS[Math.min(Math.max(attempt, 1), last) - 1] ?? 60;
}

/** Whether a queue batch is the jobs queue's (or its dead-letter queue's), rather than the webhooks'. */
export function isJobQueue(queue: string): boolean {
  return queue === "halte-jobs" || queue === "halte-jobs-dlq";
}

function isCentreJobMessage(body: unknown): body is CentreJobMessage {
  if (typeof body !== "object" || body === null) return false;
  const { job, centreId, scheduledTime } = body as Record<string, unknown>;
  return (
    (job === "rollup" || job === "purge") &&
    (typeof centreId === "string" || (centreId === null && job === "purge")) &&
    typeof scheduledTime === "number"
  );
}

/**
 * Runs one message's job. Throws when it fails. A centre's roll-up and purge run in its own database
 * (`dbs.dbFor`, resolved here so that a centre whose database is missing fails alone); its month partials
 * go to the figures database; the shared purge (sessions, API tokens) and every `job_runs` row to the
 * directory.
 */
async function runCentreJob(env: Env, dbs: Databases, message: CentreJobMessage) {
  const directory = dbs.directory;
  const now = new Date(message.scheduledTime);
  const newId = () => uuidv7(new Date());
  if (message.centreId === null) {
    return runPurge({ db: directory, d1: dbs.directoryD1, now, newId, dryRun: false, scope: "shared" });
  }
  const centreId = message.centreId;
  const centre = { db: await dbs.dbFor(centreId), d1: await dbs.d1For(centreId), directory, now, newId };
  const purgeAndMerge = async () => {
    const purged = await runPurge({ ...centre, dryRun: false, scope: { centreId } });
    // Then the centre's month partials, from day partials rolled and purged tonight.
    const months = message.nightly
      ? await mergeMonthPartials({
          db: centre.db,
          figures: dbs.figures,
          figuresApart: dbs.figuresApart,
          centreId,
          now,
        })
      : [];
    return { ...purged, monthsMerged: months.length };
  };
  if (message.job === "purge") return purgeAndMerge();
  const run = await runRollup({ ...centre, centreId });
  if (message.nightly) {
    const purge: CentreJobMessage = { ...message, job: "purge" };
    if (env.JOB_QUEUE) await env.JOB_QUEUE.send(purge);
    else await purgeAndMerge();
  }
  return run;
}

/**
 * The jobs queue's consumer: one message, one centre's roll-up or purge (`max_batch_size: 1`, so each
 * centre's work has its own invocation, CPU and query budget). A job that succeeds records its own
 * `job_runs` row and is acknowledged; one that throws records a `failed` row (the kind of error, never its
 * message) and is retried after {@link jobRetryDelaySeconds}. Messages of the dead-letter queue, where the
 * platform moves a message after its last retry, record a `dead-lettered` row and are logged.
 */
export async function consumeJobQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const logger = createConsoleLogger({ queue: batch.queue });
  const dbs = new Databases(env);
  const db = dbs.directory;
  for (const message of batch.messages) {
    const body = message.body;
    if (!isCentreJobMessage(body)) {
      logger.warn("unreadable job message dropped", { messageId: message.id });
      message.ack();
      continue;
    }
    const job = body.job === "rollup" ? ROLLUP_JOB : PURGE_JOB;
    const about = { job, centreId: body.centreId, attempt: message.attempts };
    if (batch.queue.endsWith("-dlq")) {
      await recordFailedRun(db, {
        id: uuidv7(new Date()),
        job,
        centreId: body.centreId,
        at: new Date(body.scheduledTime),
        errorKind: "other",
        status: "dead-lettered",
      });
      logger.error("job dead-lettered: retries exhausted", about);
      message.ack();
      continue;
    }
    try {
      const outcome = await runCentreJob(env, dbs, body);
      logger.info("job finished", { ...about, ...outcome });
      message.ack();
    } catch (error) {
      const errorKind = jobErrorKind(error);
      logger.error("job failed", { ...about, errorKind });
      await recordFailedRun(db, {
        id: uuidv7(new Date()),
        job,
        centreId: body.centreId,
        at: new Date(body.scheduledTime),
        errorKind,
        status: "failed",
      }).catch(() => undefined);
      message.retry({ delaySeconds: jobRetryDelaySeconds(message.attempts) });
    }
  }
}
