import { describe, expect, it } from "vitest";
import { api, type Caller, givenCentre, givenPartner, partnerToken, signedIn } from "./helpers.js";

interface Entry {
  id: number;
  centreId: string | null;
  actorType: string;
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  diff: Record<string, unknown> | null;
  at: string;
}

async function auditPage(as: Caller, query: string) {
  return api<{ items: Entry[]; nextCursor: string | null }>("GET", `/api/audit?${query}`, { as });
}

/** A partner created, renamed and archived through the API: three audited writes. */
async function partnerHistory(admin: Caller, centreId: string) {
  const created = await api("POST", "/api/partners", {
    as: admin,
    body: { centreId, name: "Aurore", roles: ["funder"] },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const renamed = await api("PUT", `/api/partners/${id}`, {
    as: admin,
    body: { name: "Aurore (Paris)", roles: ["funder"] },
  });
  expect(renamed.status).toBe(200);
  expect((await api("POST", `/api/partners/${id}/archive`, { as: admin })).status).toBe(200);
  return id;
}

describe("reading the audit log", () => {
  it("shows who did what to which record and when, newest first", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const partnerId = await partnerHistory(admin, centreId);
    const log = await auditPage(admin, `entity=partner&entityId=${partnerId}`);
    expect(log.status).toBe(200);
    expect(log.body.items.map((e) => e.action)).toEqual(["archive", "update", "create"]);
    const ids = log.body.items.map((e) => e.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    expect(log.body.items[1]).toEqual({
      id: expect.any(Number),
      centreId,
      actorType: "user",
      actorId: admin.userId,
      action: "update",
      entity: "partner",
      entityId: partnerId,
      diff: { before: { name: "Aurore" }, after: { name: "Aurore (Paris)" } },
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(log.body.nextCursor).toBeNull();
  });

  it("pages newest first with an opaque cursor, and filters by centre", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const partnerId = await partnerHistory(admin, centreId);
    await partnerHistory(admin, await givenCentre());

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof auditPage>> = await auditPage(
        admin,
        `centreId=${centreId}&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      for (const entry of page.body.items) {
        expect(entry.centreId).toBe(centreId);
        seen.push(`${entry.action} ${entry.entityId}`);
      }
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual([`archive ${partnerId}`, `update ${partnerId}`, `create ${partnerId}`]);
  });

  it("holds user changes without the person's email or name", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const created = await api("POST", "/api/users", {
      as: admin,
      body: {
        email: `mariam.${Date.now()}@halte.test`,
        name: "Mariam Diallo",
        role: "reception",
        centreId,
        password: "a long enough password",
      },
    });
    await api("PUT", `/api/users/${created.body.id}`, {
      as: admin,
      body: { name: "Mariam D.", role: "coordinator", centreId },
    });
    const log = await auditPage(admin, `entity=user&entityId=${created.body.id}`);
    expect(log.body.items.map((e) => e.action)).toEqual(["update", "create"]);
    const text = JSON.stringify(log.body);
    expect(text).not.toContain("Mariam");
    expect(text).not.toContain("mariam.");
    expect(text).not.toContain("long enough");
    expect(log.body.items[0]?.diff).toEqual({
      before: { name: "[redacted]", role: "reception" },
      after: { name: "[redacted]", role: "coordinator" },
    });
  });

  it("is for admins: others get 403, anonymous callers 401; a centre's admin reads that centre only", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    for (const role of ["coordinator", "reception", "observer"] as const) {
      expect((await auditPage(await signedIn(role, { centreId }), "")).status).toBe(403);
    }
    expect((await auditPage(await signedIn("partner", { centreId, partnerId }), "")).status).toBe(403);
    expect((await auditPage(await partnerToken(centreId, partnerId), "")).status).toBe(403);
    expect((await api("GET", "/api/audit")).status).toBe(401);

    const otherCentre = await givenCentre();
    await partnerHistory(await signedIn("admin"), otherCentre);
    const localAdmin = await signedIn("admin", { centreId });
    expect((await auditPage(localAdmin, `centreId=${otherCentre}`)).status).toBe(403);
    const own = await auditPage(localAdmin, "limit=200");
    expect(own.status).toBe(200);
    for (const entry of own.body.items) expect(entry.centreId).toBe(centreId);
  });

  it("answers 422 to a forged cursor, a limit out of range or an invalid centre id", async () => {
    const admin = await signedIn("admin");
    const forged = await auditPage(admin, "cursor=abc");
    expect(forged.status).toBe(422);
    expect(forged.body).toMatchObject({ code: "validation_failed" });
    for (const query of ["limit=0", "limit=201", "centreId=not%20an%20id"]) {
      expect((await auditPage(admin, query)).status, query).toBe(422);
    }
  });
});
