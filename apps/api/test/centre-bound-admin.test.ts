import { centres, jobRuns } from "@halte/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { api, centreInput, db, givenCentre, signedIn } from "./helpers.js";

/** Issue 12, finding 9: an admin bound to one centre administers that centre, not the whole platform. */
describe("an admin bound to one centre", () => {
  it("cannot open a new centre: 403, and nothing appears in the public directory", async () => {
    const centreId = await givenCentre();
    const boundAdmin = await signedIn("admin", { centreId });
    const input = centreInput();
    const refused = await api("POST", "/api/centres", { as: boundAdmin, body: input });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("forbidden");
    expect(await db.select().from(centres).where(eq(centres.slug, input.slug))).toEqual([]);
    expect((await api("GET", `/api/public/centres/${input.slug}/services`)).status).toBe(404);

    const unboundAdmin = await signedIn("admin");
    expect((await api("POST", "/api/centres", { as: unboundAdmin, body: input })).status).toBe(201);
  });

  it("cannot run the all-centre retention purge, not even as a dry run", async () => {
    const boundAdmin = await signedIn("admin", { centreId: await givenCentre() });
    const before = await db.select().from(jobRuns);
    for (const dryRun of [true, false]) {
      const refused = await api("POST", "/api/jobs/retention-purge", { as: boundAdmin, body: { dryRun } });
      expect(refused.status).toBe(403);
    }
    expect(await db.select().from(jobRuns)).toHaveLength(before.length);
    const unboundAdmin = await signedIn("admin");
    const allowed = await api("POST", "/api/jobs/retention-purge", {
      as: unboundAdmin,
      body: { dryRun: true },
    });
    expect(allowed.status).toBe(200);
  });

  it("cannot read the job runs of every centre", async () => {
    const boundAdmin = await signedIn("admin", { centreId: await givenCentre() });
    expect((await api("GET", "/api/jobs/runs", { as: boundAdmin })).status).toBe(403);
    expect((await api("GET", "/api/jobs/runs", { as: await signedIn("admin") })).status).toBe(200);
  });

  it("still runs its own centre: updates it and rebuilds its figures", async () => {
    const centreId = await givenCentre();
    const boundAdmin = await signedIn("admin", { centreId });
    const updated = await api("PUT", `/api/centres/${centreId}`, {
      as: boundAdmin,
      body: centreInput({ slug: `own-${centreId.slice(-8)}`, dailyCapacity: 90 }),
    });
    expect(updated.status).toBe(200);
    const rebuilt = await api("POST", "/api/jobs/rebuild", {
      as: boundAdmin,
      body: { centreId, month: "2026-11" },
    });
    expect(rebuilt.status).toBe(200);
  });
});
