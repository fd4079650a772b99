import { apiTokens, auditLog } from "@halte/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../src/auth/crypto.js";
import { api, type Caller, db, givenCentre, givenPartner, partnerToken, signedIn } from "./helpers.js";

async function issue(as: Caller, partnerId: string, body: Record<string, unknown> = { name: "Samu SI" }) {
  return api("POST", `/api/partners/${partnerId}/tokens`, { as, body });
}

function bearer(token: string): Caller {
  return { headers: { authorization: `Bearer ${token}` }, userId: "" };
}

/** Token use is recorded after the response (waitUntil): wait for it rather than race it. */
async function lastUsedAt(tokenId: string): Promise<string | null> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, tokenId));
    if (row?.lastUsedAt) return row.lastUsedAt;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return null;
}

describe("issuing a partner API token", () => {
  it("shows the secret once, stores only its SHA-256, and the token acts for that partner", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const coordinator = await signedIn("coordinator", { centreId });
    const issued = await issue(coordinator, partnerId, {
      name: "Samu SI",
      expiresAt: "2099-01-01T00:00:00+01:00",
    });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      centreId,
      partnerId,
      name: "Samu SI",
      createdBy: coordinator.userId,
      expiresAt: "2098-12-31T23:00:00.000Z",
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(issued.body.token).toMatch(/^halte_pt_[A-Za-z0-9_-]{43}$/);

    const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, issued.body.id));
    expect(row?.tokenHash).toBe(await sha256Hex(issued.body.token));
    expect(JSON.stringify(row)).not.toContain(issued.body.token);

    const [entry] = await db.select().from(auditLog).where(eq(auditLog.entityId, issued.body.id));
    expect(entry).toMatchObject({
      action: "create",
      entity: "api_token",
      centreId,
      actorId: coordinator.userId,
    });
    expect(JSON.stringify(entry)).not.toContain(issued.body.token.slice(9));

    // The token is a partner principal: it reads referrals but cannot manage anything.
    const token = bearer(issued.body.token);
    expect((await api("GET", "/api/referrals", { as: token })).status).toBe(200);
    expect((await api("GET", "/api/users", { as: token })).status).toBe(403);
    expect((await issue(token, partnerId)).status).toBe(403);
  });

  it("is for coordinators and admins of the partner's centre only", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    expect((await issue(await signedIn("admin"), partnerId)).status).toBe(201);
    for (const role of ["reception", "observer"] as const) {
      expect((await issue(await signedIn(role, { centreId }), partnerId)).status).toBe(403);
    }
    expect((await issue(await signedIn("partner", { centreId, partnerId }), partnerId)).status).toBe(403);
    expect((await issue(await partnerToken(centreId, partnerId), partnerId)).status).toBe(403);
    expect((await api("POST", `/api/partners/${partnerId}/tokens`, { body: { name: "x" } })).status).toBe(
      401,
    );
    // Another centre's coordinator does not learn that the partner exists.
    const stranger = await signedIn("coordinator", { centreId: await givenCentre() });
    expect((await issue(stranger, partnerId)).status).toBe(404);
  });

  it("answers 422 to a missing name, an unknown field, a malformed or past expiry; 404 to an unknown partner", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const admin = await signedIn("admin");
    const cases: [Record<string, unknown>, string, string][] = [
      [{}, "name", "required"],
      [{ name: "  " }, "name", "too_small"],
      [{ name: "x", scope: "all" }, "", "unknown_field"],
      [{ name: "x", expiresAt: "next week" }, "expiresAt", "invalid_format"],
      [{ name: "x", expiresAt: "2020-01-01T00:00:00Z" }, "expiresAt", "invalid_value"],
    ];
    for (const [body, path, code] of cases) {
      const response = await issue(admin, partnerId, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      const [error] = response.body.errors;
      expect(error.code, JSON.stringify(body)).toBe(code);
      if (path) expect(error.path).toEqual([path]);
    }
    expect((await issue(admin, "no-such-partner")).status).toBe(404);
    const malformed = await api("POST", `/api/partners/${partnerId}/tokens`, { as: admin, body: "{" });
    expect(malformed.status).toBe(400);
  });

  it("is refused for an archived partner (409)", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const admin = await signedIn("admin");
    expect((await api("POST", `/api/partners/${partnerId}/archive`, { as: admin })).status).toBe(200);
    const refused = await issue(admin, partnerId);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("conflict");
  });
});

describe("listing a partner's tokens", () => {
  it("never shows secrets, shows when each was last used or revoked, and pages by cursor", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const coordinator = await signedIn("coordinator", { centreId });
    const used = await issue(coordinator, partnerId, { name: "used" });
    const revoked = await issue(coordinator, partnerId, { name: "revoked" });
    await issue(coordinator, partnerId, { name: "idle" });
    await issue(coordinator, await givenPartner(centreId, "Aurore"), { name: "another partner's" });

    expect((await api("GET", "/api/referrals", { as: bearer(used.body.token) })).status).toBe(200);
    expect(await lastUsedAt(used.body.id)).toEqual(expect.any(String));
    expect((await api("POST", `/api/tokens/${revoked.body.id}/revoke`, { as: coordinator })).status).toBe(
      200,
    );

    const listed = await api("GET", `/api/partners/${partnerId}/tokens`, { as: coordinator });
    expect(listed.status).toBe(200);
    // Ids are UUIDv7: tokens issued within the same millisecond may list in either order.
    const byName = Object.fromEntries(listed.body.items.map((t: { name: string }) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual(["idle", "revoked", "used"]);
    expect(byName.used).toMatchObject({ lastUsedAt: expect.any(String), revokedAt: null });
    expect(byName.revoked).toMatchObject({ revokedAt: expect.any(String) });
    expect(byName.idle).toMatchObject({ lastUsedAt: null, revokedAt: null });
    const text = JSON.stringify(listed.body);
    for (const secret of [used.body.token, revoked.body.token]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/token_?hash/i);

    const first = await api("GET", `/api/partners/${partnerId}/tokens?limit=2`, { as: coordinator });
    expect(first.body.items).toHaveLength(2);
    const rest = await api(
      "GET",
      `/api/partners/${partnerId}/tokens?limit=2&cursor=${first.body.nextCursor}`,
      {
        as: coordinator,
      },
    );
    expect([...first.body.items, ...rest.body.items].map((t: { id: string }) => t.id)).toEqual(
      listed.body.items.map((t: { id: string }) => t.id),
    );
    expect(rest.body.nextCursor).toBeNull();

    expect(
      (
        await api("GET", `/api/partners/${partnerId}/tokens`, {
          as: await signedIn("reception", { centreId }),
        })
      ).status,
    ).toBe(403);
    const stranger = await signedIn("coordinator", { centreId: await givenCentre() });
    expect((await api("GET", `/api/partners/${partnerId}/tokens`, { as: stranger })).status).toBe(404);
  });
});

/** A coordinator, and a fresh token of a fresh partner that works until the test stops it. */
async function givenWorkingToken() {
  const centreId = await givenCentre();
  const partnerId = await givenPartner(centreId);
  const coordinator = await signedIn("coordinator", { centreId });
  const issued = await issue(coordinator, partnerId);
  const token = bearer(issued.body.token);
  expect((await api("GET", "/api/referrals", { as: token })).status).toBe(200);
  return { partnerId, coordinator, issued, token };
}

describe("a token stops working", () => {
  it("the moment its organisation is archived", async () => {
    const { partnerId, coordinator, token } = await givenWorkingToken();
    expect((await api("POST", `/api/partners/${partnerId}/archive`, { as: coordinator })).status).toBe(200);
    const refused = await api("GET", "/api/referrals", { as: token });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe("unauthenticated");
  });

  it("once revoked: the next call is 401, and revoking again is 409", async () => {
    const { coordinator, issued, token } = await givenWorkingToken();

    const revoked = await api("POST", `/api/tokens/${issued.body.id}/revoke`, { as: coordinator });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: issued.body.id, revokedAt: expect.any(String) });
    expect(revoked.body.token).toBeUndefined();
    const refused = await api("GET", "/api/referrals", { as: token });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe("unauthenticated");
    expect(refused.headers.get("www-authenticate")).toContain("Bearer");

    expect((await api("POST", `/api/tokens/${issued.body.id}/revoke`, { as: coordinator })).status).toBe(409);
    const actions = (await db.select().from(auditLog).where(eq(auditLog.entityId, issued.body.id))).map(
      (e) => e.action,
    );
    expect(actions).toEqual(["create", "revoke"]);
  });

  it("once expired", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const issued = await issue(await signedIn("admin"), partnerId, {
      name: "short-lived",
      expiresAt: "2099-01-01T00:00:00Z",
    });
    const token = bearer(issued.body.token);
    expect((await api("GET", "/api/referrals", { as: token })).status).toBe(200);
    await db
      .update(apiTokens)
      .set({ expiresAt: "2020-01-01T00:00:00.000Z" })
      .where(eq(apiTokens.id, issued.body.id));
    expect((await api("GET", "/api/referrals", { as: token })).status).toBe(401);
  });

  it("revocation is refused to other roles and other centres; an unknown token is 404", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const issued = await issue(await signedIn("admin"), partnerId);
    const path = `/api/tokens/${issued.body.id}/revoke`;
    expect((await api("POST", path, { as: await signedIn("reception", { centreId }) })).status).toBe(403);
    expect((await api("POST", path, { as: bearer(issued.body.token) })).status).toBe(403);
    const stranger = await signedIn("coordinator", { centreId: await givenCentre() });
    expect((await api("POST", path, { as: stranger })).status).toBe(404);
    expect(
      (await api("POST", "/api/tokens/no-such-token/revoke", { as: await signedIn("admin") })).status,
    ).toBe(404);
    expect((await api("GET", "/api/referrals", { as: bearer(issued.body.token) })).status).toBe(200);
  });
});
