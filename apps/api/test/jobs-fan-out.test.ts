// The scheduled jobs fanned out per centre through the real local jobs queue, inside workerd with the real
// local D1: one roll-up message per centre not archived, the nightly purge of a centre only after that
// night's roll-up of the same centre, a centre whose stored data breaks its job failing alone, and the
// dead-letter queue recording what ran out of retries.
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { localDateOf, zonedDateTime } from "@halte/core";
import { insertVisits, jobRuns, type NewVisitRow, visitMonthRollups, visitRollups } from "@halte/db";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../src/ids.js";
import { NIGHTLY_CRON, runScheduled } from "../src/jobs/index.js";
import { PURGE_JOB } from "../src/jobs/purge.js";
import {
  type CentreJobMessage,
  consumeJobQueue,
  JOB_RETRY_DELAYS_SECONDS,
  jobRetryDelaySeconds,
} from "../src/jobs/queue.js";
import { ROLLUP_JOB, SETTLE_MS } from "../src/jobs/rollup.js";
import worker from "../src/worker.js";
import { db, givenCentre } from "./helpers.js";

/** Visits of a centre written straight to D1, filed under their Paris day. */
async function givenVisits(centreId: string, instants: string[]) {
  const rows: NewVisitRow[] = instants.map((at) => ({
    id: uuidv7(new Date()),
    centreId,
    arrivedAt: new Date(at).toISOString(),
    localDay: localDateOf(at, "Europe/Paris"),
    localHour: zonedDateTime(at, "Europe/Paris").hour,
    visitorCodeHash: null,
    ageBand: null,
    gender: null,
    languages: [],
    firstVisit: null,
    idempotencyKey: null,
    recordedBy: null,
  }));
  for (const statement of insertVisits(db, rows, new Date().toISOString(), false)) await statement;
}

/** A centre whose stored time zone no runtime knows: written past the API's validation, as a bad import would. */
async function givenBrokenCentre(): Promise<string> {
  const centreId = await givenCentre();
  await env.DB.prepare(
    "UPDATE centres SET opening_hours = json_set(opening_hours, '$.timeZone', 'Mars/Olympus_Mons'), time_zone = 'Mars/Olympus_Mons' WHERE id = ?1",
  )
    .bind(centreId)
    .run();
  // Rows stored without their local hour: the roll-up computes it in the centre's zone, and cannot.
  await givenVisits(centreId, ["2026-11-03T09:00:00+01:00"]);
  await env.DB.prepare("UPDATE visits SET local_hour = NULL WHERE centre_id = ?1").bind(centreId).run();
  return centreId;
}

/** Fires the cron as the platform would; the queue's consumer then runs in the background. */
async function cron(at: Date, expression: string) {
  const ctx = createExecutionContext();
  await worker.scheduled(
    createScheduledController({ scheduledTime: at, cron: expression }),
    env as never,
    ctx,
  );
  await waitOnExecutionContext(ctx);
}

async function runsOf(centreIds: (string | null)[], at: Date) {
  const rows = await db
    .select()
    .from(jobRuns)
    .where(inArray(jobRuns.startedAt, [at.toISOString()]));
  return rows.filter((run) => centreIds.includes(run.centreId));
}

const later = () => new Date(Date.now() + SETTLE_MS);

describe("the scheduled jobs, one queue message per centre", () => {
  it("roll up every centre in its own run, then purge each centre after its roll-up, and the shared tables once", async () => {
    const centres = [await givenCentre(), await givenCentre(), await givenCentre()];
    for (const [i, centreId] of centres.entries()) {
      await givenVisits(
        centreId,
        Array.from({ length: i + 1 }, (_, n) => `2026-11-0${n + 1}T10:00:00+01:00`),
      );
    }
    const archived = await givenCentre();
    await env.DB.prepare("UPDATE centres SET archived_at = ?1 WHERE id = ?2")
      .bind(new Date().toISOString(), archived)
      .run();
    const at = later();
    await cron(at, NIGHTLY_CRON);

    const everything = [...centres, archived, null];
    // Three roll-ups, three purges of a centre, one purge of what belongs to no centre.
    await expect.poll(async () => (await runsOf(everything, at)).length, { timeout: 10_000 }).toBe(7);
    const runs = await runsOf(everything, at);
    for (const [i, centreId] of centres.entries()) {
      const rollup = runs.find((run) => run.centreId === centreId && run.job === ROLLUP_JOB);
      const purge = runs.find((run) => run.centreId === centreId && run.job === PURGE_JOB);
      expect(rollup).toMatchObject({ status: "succeeded", daysRolled: i + 1, errorKind: null });
      expect(purge).toMatchObject({ status: "succeeded", watermarkFrom: "purge" });
      // Run ids are UUIDv7, in time order: the purge was written after the roll-up of the same centre.
      expect((purge?.id ?? "") > (rollup?.id ?? "")).toBe(true);
      const days = await db.select().from(visitRollups).where(eq(visitRollups.centreId, centreId));
      expect(days).toHaveLength(i + 1);
    }
    expect(runs.filter((run) => run.centreId === archived)).toEqual([]);
    expect(runs.filter((run) => run.centreId === null)).toMatchObject([
      { job: PURGE_JOB, status: "succeeded" },
    ]);
  });

  it("lets one centre whose data breaks its roll-up fail alone: the others roll up, it is recorded and retried", async () => {
    const healthy = [await givenCentre(), await givenCentre()];
    for (const centreId of healthy) await givenVisits(centreId, ["2026-11-04T10:00:00+01:00"]);
    const broken = await givenBrokenCentre();
    const at = later();
    await cron(at, NIGHTLY_CRON);

    const watched = [...healthy, broken];
    await expect
      .poll(async () => (await runsOf(watched, at)).length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(5);
    const runs = await runsOf(watched, at);
    for (const centreId of healthy) {
      expect(runs.filter((run) => run.centreId === centreId).map((run) => [run.job, run.status])).toEqual(
        expect.arrayContaining([
          [ROLLUP_JOB, "succeeded"],
          [PURGE_JOB, "succeeded"],
        ]),
      );
    }
    const ofBroken = runs.filter((run) => run.centreId === broken);
    // Its first attempt failed; the retry waits a minute, so nothing else of it has run yet — its purge
    // above all, which waits for its roll-up.
    expect(ofBroken).toMatchObject([
      { job: ROLLUP_JOB, status: "failed", errorKind: "invalid-value", daysRolled: 0 },
    ]);
    expect(await db.select().from(visitRollups).where(eq(visitRollups.centreId, broken))).toEqual([]);
  });

  it("without a jobs queue bound, does the same work inline in the cron's invocation, a failing centre apart", async () => {
    const healthy = await givenCentre();
    await givenVisits(healthy, ["2026-11-05T10:00:00+01:00"]);
    const broken = await givenBrokenCentre();
    const at = later();
    await runScheduled({ cron: NIGHTLY_CRON, scheduledTime: at.getTime() }, {
      ...env,
      JOB_QUEUE: undefined,
    } as never);
    const runs = await runsOf([healthy, broken], at);
    expect(runs.filter((run) => run.centreId === healthy).map((run) => [run.job, run.status])).toEqual(
      expect.arrayContaining([
        [ROLLUP_JOB, "succeeded"],
        [PURGE_JOB, "succeeded"],
      ]),
    );
    expect(runs.filter((run) => run.centreId === broken)).toMatchObject([
      { job: ROLLUP_JOB, status: "failed", errorKind: "invalid-value" },
    ]);
    const months = await db.select().from(visitMonthRollups).where(eq(visitMonthRollups.centreId, healthy));
    expect(months.map((month) => month.month)).toEqual(["2026-11"]);
  });

  it("retries a failed centre job after growing delays, and records a dead-lettered run when retries run out", async () => {
    const broken = await givenBrokenCentre();
    const body: CentreJobMessage = {
      job: "rollup",
      centreId: broken,
      scheduledTime: later().getTime(),
      nightly: true,
    };
    const consume = async (queue: string, attempts: number) => {
      const batch = createMessageBatch<CentreJobMessage>(queue, [
        { id: `m-${queue}-${attempts}`, timestamp: new Date(), attempts, body },
      ]);
      const ctx = createExecutionContext();
      await consumeJobQueue(batch, env);
      return getQueueResult(batch, ctx);
    };
    for (const [i, delay] of JOB_RETRY_DELAYS_SECONDS.entries()) {
      const result = await consume("halte-jobs", i + 1);
      expect(result.explicitAcks).toEqual([]);
      // (The test runtime's result does not carry the delay the consumer asked for: checked on its own.)
      expect(result.retryMessages).toEqual([{ msgId: `m-halte-jobs-${i + 1}` }]);
      expect(jobRetryDelaySeconds(i + 1)).toBe(delay);
    }
    expect(JOB_RETRY_DELAYS_SECONDS).toEqual([...JOB_RETRY_DELAYS_SECONDS].sort((a, b) => a - b));

    const dead = await consume("halte-jobs-dlq", 1);
    expect(dead.explicitAcks).toEqual(["m-halte-jobs-dlq-1"]);
    const runs = await db.select().from(jobRuns).where(eq(jobRuns.centreId, broken));
    expect(runs.map((run) => run.status).sort()).toEqual([
      "dead-lettered",
      "failed",
      "failed",
      "failed",
      "failed",
    ]);
    // Counts, times and kinds only: nothing of the rows that broke the job.
    for (const run of runs) expect(JSON.stringify(run)).not.toContain("Mars");
  });
});
