import { env } from "cloudflare:workers";
import { auditLog, jobRuns } from "@halte/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ROLLUP_JOB, SETTLE_MS } from "../src/jobs/rollup.js";
import { api, db, givenCentre, signedIn } from "./helpers.js";

describe("POST /api/jobs/rollup", () => {
  it("runs the roll-up now, centre by centre, for an admin of every centre: each run is recorded, the call audited", async () => {
    const admin = await signedIn("admin");
    const healthy = await givenCentre();
    // A centre whose stored time zone no runtime knows, with a row the roll-up must place in that zone.
    const broken = await givenCentre();
    await env.DB.prepare(
      "UPDATE centres SET opening_hours = json_set(opening_hours, '$.timeZone', 'Nowhere/Atlantis') WHERE id = ?1",
    )
      .bind(broken)
      .run();
    const written = new Date(Date.now() - 2 * SETTLE_MS).toISOString();
    await env.DB.prepare(
      `INSERT INTO visits (id, centre_id, arrived_at, local_day, local_hour, languages, record_key, created_at, updated_at)
       VALUES ('v-broken', ?1, ?2, '2026-11-03', NULL, '[]', 7, ?2, ?2)`,
    )
      .bind(broken, written)
      .run();
    const before = (await db.select().from(jobRuns).where(eq(jobRuns.job, ROLLUP_JOB))).length;
    const asked = Date.now();
    const response = await api("POST", "/api/jobs/rollup", { as: admin });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    // One centre failing does not stop the others, nor the answer.
    const centres = response.body.centres as { centreId: string; status: string; errorKind?: string }[];
    expect(centres.find((centre) => centre.centreId === healthy)).toMatchObject({ status: "succeeded" });
    expect(centres.find((centre) => centre.centreId === broken)).toEqual({
      centreId: broken,
      status: "failed",
      errorKind: "invalid-value",
    });
    expect(Object.keys(response.body).sort()).toEqual([
      "centres",
      "daysRolled",
      "durationMs",
      "rowsRead",
      "watermarkFrom",
      "watermarkTo",
    ]);
    // Rows of the last minute wait for the next run, as with the cron.
    expect(Date.parse(response.body.watermarkTo)).toBeLessThanOrEqual(asked - SETTLE_MS + 5_000);
    const runs = await db.select().from(jobRuns).where(eq(jobRuns.job, ROLLUP_JOB));
    expect(runs.length).toBe(before + centres.length);
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
