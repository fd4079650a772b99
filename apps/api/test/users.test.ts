import { env } from "cloudflare:workers";
import { derivePasswordHash, PASSWORD_HASH } from "@halte/core";
import { auditLog, sessions } from "@halte/db";
import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { adminInsertSql } from "../scripts/admin-sql.mjs";
import { api, db, givenCentre, givenPartner, partnerToken, signedIn } from "./helpers.js";

const longPassword = "a long enough password";
let emails = 0;
const uniqueEmail = (stem = "person") => `${stem}.${Date.now()}.${++emails}@halte.test`;

function login(email: string, password: string) {
  return api("POST", "/api/auth/login", { body: { email, password } });
}

function cookieOf(response: { headers: Headers }) {
  return { cookie: (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "" };
}

function fieldPaths(body: { errors?: { path: (string | number)[] }[] }) {
  return (body.errors ?? []).map((e) => e.path.join("."));
}

async function auditOf(entityId: string) {
  return db.select().from(auditLog).where(eq(auditLog.entityId, entityId));
}

async function liveSessions(userId: string) {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}

describe("creating a user", () => {
  it("stores the email lower-cased, never returns the password, and the new user can sign in", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const email = uniqueEmail("Fatima.Reception").replace("halte.test", "Halte.TEST");
    const created = await api("POST", "/api/users", {
      as: admin,
      body: { email, name: "Fatima", role: "reception", centreId, password: longPassword },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      email: email.toLowerCase(),
      name: "Fatima",
      role: "reception",
      centreId,
      partnerId: null,
      disabledAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const signIn = await login(email, longPassword);
    expect(signIn.status).toBe(200);
    expect(signIn.body.user).toMatchObject({ id: created.body.id, role: "reception", centreId });
  });

  it("refuses a second account with the same email, whatever its case, with 409", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const email = uniqueEmail("twin");
    const body = { email, name: "First", role: "observer", centreId, password: longPassword };
    expect((await api("POST", "/api/users", { as: admin, body })).status).toBe(201);
    const again = await api("POST", "/api/users", {
      as: admin,
      body: { ...body, email: email.toUpperCase(), name: "Second" },
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("conflict");
  });

  it("creates a partner user for a partner of that centre", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId, "France terre d'asile");
    const created = await api("POST", "/api/users", {
      as: await signedIn("admin"),
      body: {
        email: uniqueEmail(),
        name: "Omar",
        role: "partner",
        centreId,
        partnerId,
        password: longPassword,
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ role: "partner", centreId, partnerId });
  });

  it("writes an audit row that records the change but not the person's email or name", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const email = uniqueEmail("audited");
    const created = await api("POST", "/api/users", {
      as: admin,
      body: { email, name: "Amina Traoré", role: "coordinator", centreId, password: longPassword },
    });
    const [entry] = await auditOf(created.body.id);
    expect(entry).toMatchObject({ action: "create", entity: "user", actorId: admin.userId, centreId });
    expect(entry?.diff).toEqual({
      after: {
        email: "[redacted]",
        name: "[redacted]",
        role: "coordinator",
        centreId,
        partnerId: null,
      },
    });
    const stored = JSON.stringify(entry);
    expect(stored).not.toContain(email);
    expect(stored).not.toContain("Amina");
    expect(stored).not.toContain(longPassword);
  });

  it("answers 422 with the field of each invalid value", async () => {
    const centreId = await givenCentre();
    const elsewhere = await givenPartner(await givenCentre());
    const ours = await givenPartner(centreId);
    const admin = await signedIn("admin");
    const base = { email: uniqueEmail(), name: "X", role: "reception", centreId, password: longPassword };
    const cases: [Record<string, unknown>, string[]][] = [
      [{ ...base, password: "elevenchars" }, ["password"]],
      [{ ...base, email: "not-an-email" }, ["email"]],
      [{ ...base, role: "superuser" }, ["role"]],
      [{ ...base, name: "   " }, ["name"]],
      [{ ...base, isAdmin: true }, [""]],
      [{ ...base, role: "coordinator", centreId: null }, ["centreId"]],
      [{ ...base, centreId: "no-such-centre" }, ["centreId"]],
      [{ ...base, role: "partner", partnerId: elsewhere }, ["partnerId"]],
      [{ ...base, role: "partner" }, ["partnerId"]],
      [{ ...base, role: "reception", partnerId: ours }, ["partnerId"]],
    ];
    for (const [body, paths] of cases) {
      const response = await api("POST", "/api/users", { as: admin, body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.body.code).toBe("validation_failed");
      if (paths[0] === "") expect(response.body.errors[0].code).toBe("unknown_field");
      else expect(fieldPaths(response.body)).toEqual(paths);
    }
    const { password: _password, ...withoutPassword } = base;
    expect(fieldPaths((await api("POST", "/api/users", { as: admin, body: withoutPassword })).body)).toEqual([
      "password",
    ]);
  });

  it("answers 400 to a body that is not JSON", async () => {
    const response = await api("POST", "/api/users", { as: await signedIn("admin"), body: "{not json" });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe("malformed_request");
  });

  it("lets an admin without a centre create another admin of every centre", async () => {
    const created = await api("POST", "/api/users", {
      as: await signedIn("admin"),
      body: { email: uniqueEmail("admin"), name: "Second admin", role: "admin", password: longPassword },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ role: "admin", centreId: null });
  });
});

describe("who manages users", () => {
  it("only admins: other roles get 403, partner tokens 403, anonymous callers 401", async () => {
    const centreId = await givenCentre();
    const target = await signedIn("reception", { centreId });
    const body = { email: uniqueEmail(), name: "X", role: "reception", centreId, password: longPassword };
    for (const role of ["coordinator", "reception", "observer"] as const) {
      const caller = await signedIn(role, { centreId });
      expect((await api("GET", "/api/users", { as: caller })).status).toBe(403);
      expect((await api("POST", "/api/users", { as: caller, body })).status).toBe(403);
      expect((await api("GET", `/api/users/${target.userId}`, { as: caller })).status).toBe(403);
      expect((await api("POST", `/api/users/${target.userId}/disable`, { as: caller })).status).toBe(403);
    }
    const partnerId = await givenPartner(centreId);
    const partnerUser = await signedIn("partner", { centreId, partnerId });
    const token = await partnerToken(centreId, partnerId);
    for (const caller of [partnerUser, token]) {
      expect((await api("GET", "/api/users", { as: caller })).status).toBe(403);
      expect((await api("POST", "/api/users", { as: caller, body })).status).toBe(403);
    }
    expect((await api("GET", "/api/users")).status).toBe(401);
    expect((await api("POST", "/api/users", { body })).status).toBe(401);
  });

  it("an admin bound to one centre sees and manages that centre's users only", async () => {
    const centreId = await givenCentre();
    const otherCentre = await givenCentre();
    const localAdmin = await signedIn("admin", { centreId });
    const ours = await signedIn("reception", { centreId });
    const theirs = await signedIn("reception", { centreId: otherCentre });
    const globalAdmin = await signedIn("admin");

    const listed = await api("GET", "/api/users?limit=200", { as: localAdmin });
    const ids = listed.body.items.map((u: { id: string }) => u.id);
    expect(ids).toContain(ours.userId);
    expect(ids).not.toContain(theirs.userId);
    expect(ids).not.toContain(globalAdmin.userId);
    expect((await api("GET", `/api/users?centreId=${otherCentre}`, { as: localAdmin })).status).toBe(403);
    expect((await api("GET", `/api/users/${theirs.userId}`, { as: localAdmin })).status).toBe(404);
    expect((await api("GET", `/api/users/${globalAdmin.userId}`, { as: localAdmin })).status).toBe(404);
    expect((await api("POST", `/api/users/${theirs.userId}/disable`, { as: localAdmin })).status).toBe(404);

    const everywhere = await api("POST", "/api/users", {
      as: localAdmin,
      body: { email: uniqueEmail(), name: "Escalation", role: "admin", password: longPassword },
    });
    expect(everywhere.status).toBe(403);
    const moved = await api("PUT", `/api/users/${ours.userId}`, {
      as: localAdmin,
      body: { name: "Moved", role: "admin", centreId: null },
    });
    expect(moved.status).toBe(403);
    const elsewhere = await api("PUT", `/api/users/${ours.userId}`, {
      as: localAdmin,
      body: { name: "Moved", role: "reception", centreId: otherCentre },
    });
    expect(elsewhere.status).toBe(403);
    expect((await api("GET", `/api/users/${ours.userId}`, { as: globalAdmin })).body.centreId).toBe(centreId);
  });
});

describe("listing and reading users", () => {
  it("filters by centre and role, hides disabled accounts unless asked, and pages by cursor", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const coordinator = await signedIn("coordinator", { centreId });
    const receptionists = [
      await signedIn("reception", { centreId }),
      await signedIn("reception", { centreId }),
      await signedIn("reception", { centreId }),
    ];
    await signedIn("reception", { centreId: await givenCentre() });
    const gone = receptionists[2]?.userId as string;
    expect((await api("POST", `/api/users/${gone}/disable`, { as: admin })).status).toBe(200);

    const all = await api("GET", `/api/users?centreId=${centreId}`, { as: admin });
    expect(all.body.items.map((u: { id: string }) => u.id).sort()).toEqual(
      [coordinator.userId, receptionists[0]?.userId, receptionists[1]?.userId].sort(),
    );
    expect(JSON.stringify(all.body)).not.toMatch(/password|salt/i);

    const reception = await api("GET", `/api/users?centreId=${centreId}&role=reception`, { as: admin });
    expect(reception.body.items).toHaveLength(2);
    const withDisabled = await api(
      "GET",
      `/api/users?centreId=${centreId}&role=reception&includeDisabled=true`,
      { as: admin },
    );
    expect(withDisabled.body.items).toHaveLength(3);
    expect(withDisabled.body.items.find((u: { id: string }) => u.id === gone).disabledAt).not.toBeNull();

    const first = await api("GET", `/api/users?centreId=${centreId}&limit=2`, { as: admin });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api(
      "GET",
      `/api/users?centreId=${centreId}&limit=2&cursor=${first.body.nextCursor}`,
      {
        as: admin,
      },
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
  });

  it("answers 422 to an unknown role filter, a bad limit or a forged cursor, and 404 to an unknown id", async () => {
    const admin = await signedIn("admin");
    const role = await api("GET", "/api/users?role=superuser", { as: admin });
    expect(role.status).toBe(422);
    expect(fieldPaths(role.body)).toEqual(["query.role"]);
    expect((await api("GET", "/api/users?limit=0", { as: admin })).status).toBe(422);
    expect((await api("GET", "/api/users?cursor=!!!", { as: admin })).status).toBe(422);
    const missing = await api("GET", "/api/users/no-such-user", { as: admin });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("not_found");
  });
});

describe("updating a user", () => {
  it("a narrower role takes effect at once: the user's sessions end; the audit keeps the role change", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const user = await signedIn("coordinator", { centreId });
    const updated = await api("PUT", `/api/users/${user.userId}`, {
      as: admin,
      body: { name: "Now at the door", role: "reception", centreId },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: "Now at the door", role: "reception", centreId });
    expect((await api("GET", "/api/auth/session", { as: user })).status).toBe(401);
    const entry = (await auditOf(user.userId)).find((e) => e.action === "update");
    expect(entry?.diff).toEqual({
      before: { name: "[redacted]", role: "coordinator" },
      after: { name: "[redacted]", role: "reception" },
    });
  });

  it("a new name alone keeps the user's sessions open", async () => {
    const centreId = await givenCentre();
    const user = await signedIn("observer", { centreId });
    const updated = await api("PUT", `/api/users/${user.userId}`, {
      as: await signedIn("admin"),
      body: { name: "Renamed", role: "observer", centreId },
    });
    expect(updated.status).toBe(200);
    expect((await api("GET", "/api/auth/session", { as: user })).status).toBe(200);
  });

  it("refuses an admin changing their own role (409), an unknown user (404) and invalid scope (422)", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const self = await api("PUT", `/api/users/${admin.userId}`, {
      as: admin,
      body: { name: "Me", role: "coordinator", centreId },
    });
    expect(self.status).toBe(409);
    expect((await api("GET", "/api/auth/session", { as: admin })).status).toBe(200);
    const renamed = await api("PUT", `/api/users/${admin.userId}`, {
      as: admin,
      body: { name: "Me", role: "admin" },
    });
    expect(renamed.status).toBe(200);
    const missing = await api("PUT", "/api/users/no-such-user", {
      as: admin,
      body: { name: "Nobody", role: "reception", centreId },
    });
    expect(missing.status).toBe(404);
    const user = await signedIn("reception", { centreId });
    const noCentre = await api("PUT", `/api/users/${user.userId}`, {
      as: admin,
      body: { name: "X", role: "reception", centreId: null },
    });
    expect(noCentre.status).toBe(422);
    expect(fieldPaths(noCentre.body)).toEqual(["centreId"]);
    const email = await api("PUT", `/api/users/${user.userId}`, {
      as: admin,
      body: { name: "X", role: "reception", centreId, email: "new@halte.test" },
    });
    expect(email.status).toBe(422);
    expect(email.body.errors[0].code).toBe("unknown_field");
  });
});

describe("disabling a user", () => {
  it("ends every session in the same write, blocks sign-in, and is logged", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const user = await signedIn("reception", { centreId, password: longPassword });
    const second = await login(user.email, longPassword);
    expect(second.status).toBe(200);
    expect(await liveSessions(user.userId)).toHaveLength(2);

    const disabled = await api("POST", `/api/users/${user.userId}/disable`, { as: admin });
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabledAt).toEqual(expect.any(String));
    expect(await liveSessions(user.userId)).toHaveLength(0);
    expect((await api("GET", "/api/auth/session", { as: user })).status).toBe(401);
    expect((await api("GET", "/api/auth/session", { headers: cookieOf(second) })).status).toBe(401);
    expect((await login(user.email, longPassword)).status).toBe(401);
    expect((await auditOf(user.userId)).map((e) => e.action)).toContain("disable");
  });

  it("re-enables a disabled account: it signs in again, old sessions stay ended, and it is logged", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const user = await signedIn("reception", { centreId, password: longPassword });
    expect((await api("POST", `/api/users/${user.userId}/enable`, { as: admin })).status).toBe(409);
    expect((await api("POST", `/api/users/${user.userId}/disable`, { as: admin })).status).toBe(200);
    expect((await api("POST", `/api/users/${user.userId}/enable`, { as: user })).status).toBe(401);
    const enabled = await api("POST", `/api/users/${user.userId}/enable`, { as: admin });
    expect(enabled.status).toBe(200);
    expect(enabled.body.disabledAt).toBeNull();
    expect((await api("GET", "/api/auth/session", { as: user })).status).toBe(401);
    expect((await login(user.email, longPassword)).status).toBe(200);
    expect((await auditOf(user.userId)).map((e) => e.action)).toEqual(
      expect.arrayContaining(["disable", "enable"]),
    );
    const elsewhere = await signedIn("admin", { centreId: await givenCentre() });
    expect((await api("POST", `/api/users/${user.userId}/enable`, { as: elsewhere })).status).toBe(404);
    const coordinator = await signedIn("coordinator", { centreId });
    expect((await api("POST", `/api/users/${user.userId}/enable`, { as: coordinator })).status).toBe(403);
  });

  it("refuses disabling twice or disabling yourself (409), and an unknown user (404)", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const user = await signedIn("reception", { centreId });
    expect((await api("POST", `/api/users/${user.userId}/disable`, { as: admin })).status).toBe(200);
    expect((await api("POST", `/api/users/${user.userId}/disable`, { as: admin })).status).toBe(409);
    const self = await api("POST", `/api/users/${admin.userId}/disable`, { as: admin });
    expect(self.status).toBe(409);
    expect((await api("GET", "/api/auth/session", { as: admin })).status).toBe(200);
    expect((await api("POST", "/api/users/no-such-user/disable", { as: admin })).status).toBe(404);
  });
});

describe("passwords", () => {
  it("a user changes their own with the current one; this session stays, the others end", async () => {
    const centreId = await givenCentre();
    const first = await signedIn("coordinator", { centreId, password: "the first password" });
    const other = await login(first.email, "the first password");
    const wrong = await api("POST", `/api/users/${first.userId}/password`, {
      as: first,
      body: { currentPassword: "not the first one", password: "the second password" },
    });
    expect(wrong.status).toBe(422);
    expect(fieldPaths(wrong.body)).toEqual(["currentPassword"]);
    const missing = await api("POST", `/api/users/${first.userId}/password`, {
      as: first,
      body: { password: "the second password" },
    });
    expect(missing.status).toBe(422);
    const short = await api("POST", `/api/users/${first.userId}/password`, {
      as: first,
      body: { currentPassword: "the first password", password: "short" },
    });
    expect(fieldPaths(short.body)).toEqual(["password"]);

    const changed = await api("POST", `/api/users/${first.userId}/password`, {
      as: first,
      body: { currentPassword: "the first password", password: "the second password" },
    });
    expect(changed.status).toBe(204);
    expect((await api("GET", "/api/auth/session", { as: first })).status).toBe(200);
    expect((await api("GET", "/api/auth/session", { headers: cookieOf(other) })).status).toBe(401);
    expect((await login(first.email, "the first password")).status).toBe(401);
    expect((await login(first.email, "the second password")).status).toBe(200);
    const entry = (await auditOf(first.userId)).find((e) => e.action === "change_password");
    expect(JSON.stringify(entry)).not.toContain("second password");
  });

  it("refuses a sixth wrong current password within 15 minutes, then even the right one, with retry-after", async () => {
    const centreId = await givenCentre();
    const user = await signedIn("reception", { centreId, password: "the real password" });
    const change = (currentPassword: string) =>
      api("POST", `/api/users/${user.userId}/password`, {
        as: user,
        body: { currentPassword, password: "a brand new password" },
      });
    for (let i = 0; i < 5; i++) expect((await change(`guess number ${i}`)).status).toBe(422);
    const limited = await change("the real password");
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: "rate_limited" });
    expect(fieldPaths(limited.body)).toEqual(["currentPassword"]);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(800);
    // The password did not change: the old one still signs in, the new one does not.
    expect((await login(user.email, "a brand new password")).status).toBe(401);
    expect((await login(user.email, "the real password")).status).toBe(200);
  });

  it("forgets wrong current passwords once the change succeeds", async () => {
    const centreId = await givenCentre();
    const user = await signedIn("observer", { centreId, password: "the real password" });
    const change = (currentPassword: string, password: string) =>
      api("POST", `/api/users/${user.userId}/password`, { as: user, body: { currentPassword, password } });
    for (let i = 0; i < 4; i++) expect((await change("wrong", "a brand new password")).status).toBe(422);
    expect((await change("the real password", "a brand new password")).status).toBe(204);
    for (let i = 0; i < 4; i++) expect((await change("wrong", "a third new password")).status).toBe(422);
    expect((await change("a brand new password", "a third new password")).status).toBe(204);
  });

  it("an admin resets anyone's without the current one, ending all their sessions", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const user = await signedIn("reception", { centreId, password: "forgotten password" });
    const reset = await api("POST", `/api/users/${user.userId}/password`, {
      as: admin,
      body: { password: "a fresh reset password" },
    });
    expect(reset.status).toBe(204);
    expect((await api("GET", "/api/auth/session", { as: user })).status).toBe(401);
    expect((await login(user.email, "a fresh reset password")).status).toBe(200);
    expect((await auditOf(user.userId)).map((e) => e.action)).toContain("reset_password");
  });

  it("nobody else may set a user's password (403, whether or not the user exists)", async () => {
    const centreId = await givenCentre();
    const target = await signedIn("reception", { centreId });
    const coordinator = await signedIn("coordinator", { centreId });
    const body = { password: "an attacker's password" };
    expect(
      (await api("POST", `/api/users/${target.userId}/password`, { as: coordinator, body })).status,
    ).toBe(403);
    expect((await api("POST", "/api/users/no-such-user/password", { as: coordinator, body })).status).toBe(
      403,
    );
    expect((await api("POST", `/api/users/${target.userId}/password`, { body })).status).toBe(401);
    expect(
      (await api("POST", "/api/users/no-such-user/password", { as: await signedIn("admin"), body })).status,
    ).toBe(404);
  });
});

describe("the first-admin command", () => {
  // scripts/create-admin.mjs hashes with node:crypto and scripts/admin-sql.mjs builds the INSERT. These are
  // the values the CLI wrote for "first admin password" (node:crypto pbkdf2Sync, 100,000 iterations, 32
  // bytes, base64); reproduce with
  //   node -e "console.log(require('crypto').pbkdf2Sync('first admin password',
  //     Buffer.from('hlrJKrxMeWDJkkzPOTmfzA==','base64'), 100000, 32, 'sha256').toString('base64'))"
  const fromNode = {
    passwordHash: "g5il1szJbHB/6dJSIwZyP1Nwl0HRBY23V8alpUpmv2w=",
    passwordSalt: "hlrJKrxMeWDJkkzPOTmfzA==",
    passwordIterations: 100_000,
  };

  it("writes a row the Worker signs in with, as an admin of every centre", async () => {
    const email = `First.Admin.${Date.now()}@Example.org`;
    const sql = adminInsertSql({
      id: `first-admin-${Date.now()}`,
      email,
      name: "Seán O'Brien",
      ...fromNode,
      at: new Date().toISOString(),
    });
    await env.DB.prepare(sql).run();
    const signIn = await login(email, "first admin password");
    expect(signIn.status).toBe(200);
    expect(signIn.body.user).toMatchObject({
      role: "admin",
      name: "Seán O'Brien",
      email: email.toLowerCase(),
      centreId: null,
      partnerId: null,
    });
    const admin = { headers: { ...cookieOf(signIn), "x-csrf-token": signIn.body.csrfToken }, userId: "" };
    expect((await api("GET", "/api/users", { as: admin })).status).toBe(200);
    expect((await login(email, "first admin passworD")).status).toBe(401);
    // A second run with the same email changes nothing.
    await expect(env.DB.prepare(sql).run()).rejects.toThrow(/UNIQUE/);
  });

  it("agrees with the Worker's own PBKDF2 for a fresh salt (core's recipe, which the CLI now calls)", async () => {
    const salt = crypto.getRandomValues(new Uint8Array(PASSWORD_HASH.saltBytes));
    const hashed = await derivePasswordHash("another admin password", salt);
    const email = uniqueEmail("second-admin");
    await env.DB.prepare(
      adminInsertSql({
        id: `second-admin-${Date.now()}`,
        email,
        name: "'); DROP TABLE users; --",
        passwordHash: hashed.hash,
        passwordSalt: hashed.salt,
        passwordIterations: hashed.iterations,
        at: new Date().toISOString(),
      }),
    ).run();
    const signIn = await login(email, "another admin password");
    expect(signIn.status).toBe(200);
    expect(signIn.body.user.name).toBe("'); DROP TABLE users; --");
  });
});
