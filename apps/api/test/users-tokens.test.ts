import { env } from "cloudflare:workers";
import { auditLog } from "@halte/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { api, db, givenCentre, givenPartner, signedIn } from "./helpers.js";

describe("users", () => {
  it("are created by an admin, can sign in, and never expose their password hash", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const email = `Fatima.${Date.now()}@Halte.test`;
    const created = await api("POST", "/api/users", {
      as: admin,
      body: { email, name: "Fatima", role: "reception", centreId, password: "a long enough password" },
    });
    expect(created.status).toBe(201);
    expect(created.body.email).toBe(email.toLowerCase());
    expect(JSON.stringify(created.body)).not.toMatch(/password/i);
    const login = await api("POST", "/api/auth/login", {
      body: { email, password: "a long enough password" },
    });
    expect(login.status).toBe(200);
    const again = await api("POST", "/api/users", {
      as: admin,
      body: { email, name: "Twin", role: "reception", centreId, password: "a long enough password" },
    });
    expect(again.status).toBe(409);
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.entityId, created.body.id));
    expect(JSON.stringify(entry?.diff)).not.toContain(email.toLowerCase());
  });

  it("refuses a short password, a non-admin without centre, and a partner user without a partner of that centre", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const base = { email: `x${Date.now()}@halte.test`, name: "X", password: "a long enough password" };
    const short = await api("POST", "/api/users", {
      as: admin,
      body: { ...base, role: "reception", centreId, password: "short" },
    });
    expect(short.body.errors.map((e: { path: string[] }) => e.path[0])).toEqual(["password"]);
    const nowhere = await api("POST", "/api/users", { as: admin, body: { ...base, role: "coordinator" } });
    expect(nowhere.body.errors.map((e: { path: string[] }) => e.path[0])).toEqual(["centreId"]);
    const elsewhere = await givenPartner(await givenCentre());
    const partner = await api("POST", "/api/users", {
      as: admin,
      body: { ...base, role: "partner", centreId, partnerId: elsewhere },
    });
    expect(partner.body.errors.map((e: { path: string[] }) => e.path[0])).toEqual(["partnerId"]);
  });

  it("a narrower role takes effect at once: the user's sessions end", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const user = await signedIn("coordinator", { centreId });
    const updated = await api("PUT", `/api/users/${user.userId}`, {
      as: admin,
      body: { name: "Now reception", role: "reception", centreId },
    });
    expect(updated.body.role).toBe("reception");
    expect((await api("GET", "/api/auth/session", { as: user })).status).toBe(401);
  });

  it("lets a user change their own password with the current one, ending their other sessions", async () => {
    const centreId = await givenCentre();
    const first = await signedIn("coordinator", { centreId, password: "the first password" });
    const other = await api("POST", "/api/auth/login", {
      body: { email: first.email, password: "the first password" },
    });
    const otherCookie = (other.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const wrong = await api("POST", `/api/users/${first.userId}/password`, {
      as: first,
      body: { currentPassword: "nope", password: "the second password" },
    });
    expect(wrong.status).toBe(422);
    const changed = await api("POST", `/api/users/${first.userId}/password`, {
      as: first,
      body: { currentPassword: "the first password", password: "the second password" },
    });
    expect(changed.status).toBe(204);
    expect((await api("GET", "/api/auth/session", { as: first })).status).toBe(200);
    expect((await api("GET", "/api/auth/session", { headers: { cookie: otherCookie } })).status).toBe(401);
  });

  it("are managed by admins only", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    expect((await api("GET", "/api/users", { as: coordinator })).status).toBe(403);
    expect(
      (
        await api("POST", `/api/users/${coordinator.userId}/password`, {
          as: await signedIn("reception", { centreId }),
          body: { password: "a long enough password" },
        })
      ).status,
    ).toBe(403);
  });
});

describe("partner API tokens", () => {
  it("are shown once, work for the partner's referrals, and stop working when revoked", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const coordinator = await signedIn("coordinator", { centreId });
    const issued = await api("POST", `/api/partners/${partnerId}/tokens`, {
      as: coordinator,
      body: { name: "Samu SI" },
    });
    expect(issued.status).toBe(201);
    expect(issued.body.token).toMatch(/^halte_pt_[A-Za-z0-9_-]{43}$/);
    const bearer = { headers: { authorization: `Bearer ${issued.body.token}` }, userId: issued.body.id };
    expect((await api("GET", "/api/referrals", { as: bearer })).status).toBe(200);

    const listed = await api("GET", `/api/partners/${partnerId}/tokens`, { as: coordinator });
    expect(listed.body.items).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(issued.body.token);

    expect(
      (await api("POST", `/api/tokens/${issued.body.id}/revoke`, { as: coordinator })).body.revokedAt,
    ).not.toBeNull();
    expect((await api("GET", "/api/referrals", { as: bearer })).status).toBe(401);
  });

  it("refuse an expiry in the past, and expire", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const admin = await signedIn("admin");
    const past = await api("POST", `/api/partners/${partnerId}/tokens`, {
      as: admin,
      body: { name: "old", expiresAt: "2020-01-01T00:00:00Z" },
    });
    expect(past.status).toBe(422);
  });
});

describe("the audit log", () => {
  it("is read by admins, newest first, filtered by record, and refused to coordinators", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const partner = await api("POST", "/api/partners", {
      as: admin,
      body: { centreId, name: "Aurore", roles: ["funder"] },
    });
    await api("POST", `/api/partners/${partner.body.id}/archive`, { as: admin });
    const log = await api("GET", `/api/audit?entity=partner&entityId=${partner.body.id}`, { as: admin });
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(["archive", "create"]);
    expect(log.body.items[0]).toMatchObject({ actorType: "user", actorId: admin.userId, entity: "partner" });
    const page = await api("GET", `/api/audit?entity=partner&entityId=${partner.body.id}&limit=1`, {
      as: admin,
    });
    const next = await api(
      "GET",
      `/api/audit?entity=partner&entityId=${partner.body.id}&limit=1&cursor=${page.body.nextCursor}`,
      { as: admin },
    );
    expect(next.body.items[0].action).toBe("create");
    expect((await api("GET", "/api/audit", { as: await signedIn("coordinator", { centreId }) })).status).toBe(
      403,
    );
  });
});

describe("the first-admin command", () => {
  it("writes a row the Worker signs in with", async () => {
    // The CLI hashes with node:crypto's PBKDF2; WebCrypto's PBKDF2 with the same inputs is the same function.
    const { adminInsertSql } = await import("../scripts/admin-sql.mjs");
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode("first admin password"),
      "PBKDF2",
      false,
      ["deriveBits"],
    );
    const bits = await crypto.subtle.deriveBits(
      { name: "PBKDF2", hash: "SHA-256", salt, iterations: 100_000 },
      key,
      256,
    );
    const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
    const email = `First.Admin.${Date.now()}@Example.org`;
    const sql = adminInsertSql({
      id: `admin-${Date.now()}`,
      email,
      name: "O'Brien",
      passwordHash: b64(new Uint8Array(bits)),
      passwordSalt: b64(salt),
      passwordIterations: 100_000,
      at: new Date().toISOString(),
    });
    await env.DB.prepare(sql).run();
    const login = await api("POST", "/api/auth/login", { body: { email, password: "first admin password" } });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({
      role: "admin",
      name: "O'Brien",
      email: email.toLowerCase(),
      centreId: null,
    });
    await expect(env.DB.prepare(sql).run()).rejects.toThrow(/UNIQUE/);
  });
});
