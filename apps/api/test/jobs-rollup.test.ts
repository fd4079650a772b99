import { auditLog, jobRuns } from "@halte/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ROLLUP_JOB, SETTLE_MS } from "../src/jobs/rollup.js";
import { api, db, givenCentre, signedIn } from "./helpers.js";

describe("POST /api/jobs/rollup", () => {
  it("runs the roll-up now for an admin of every centre: the run is recorded and audited", async () => {
    const admin = await signedIn("admin");
    const before = (await db.select().from(jobRuns).where(eq(jobRuns.job, ROLLUP_JOB))).length;
    const asked = Date.now();
    const response = await api("POST", "/api/jobs/rollup", { as: admin });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual([
      "daysRolled",
      "durationMs",
      "rowsRead",
      "watermarkFrom",
      "watermarkTo",
    ]);
    // Rows of the last minute wait for the next run, as with the cron.
    expect(Date.parse(response.body.watermarkTo)).toBeLessThanOrEqual(asked - SETTLE_MS + 5_000);
    const runs = await db.select().from(jobRuns).where(eq(jobRuns.job, ROLLUP_JOB));
    expect(runs.length).toBe(before + 1);
    const audited = await db.select().from(auditLog).where(eq(auditLog.actorId, admin.userId));
    expect(audited).toContainEqual(
      expect.objectContaining({ action: "run", entity: "job", entityId: ROLLUP_JOB }),
    );
  });

  it("refuses coordinators and admins bound to one centre, and callers not signed in", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const boundAdmin = await signedIn("admin", { centreId });
    expect((await api("POST", "/api/jobs/rollup", { as: coordinator })).status).toBe(403);
    expect((await api("POST", "/api/jobs/rollup", { as: boundAdmin })).status).toBe(403);
    expect((await api("POST", "/api/jobs/rollup")).status).toBe(401);
  });
});
