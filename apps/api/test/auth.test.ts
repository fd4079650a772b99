import { sessions, users } from "@halte/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { api, db, givenCentre, givenPartner, partnerToken, signedIn } from "./helpers.js";
import { givenService } from "./visits-helpers.js";

const password = "correct horse battery staple";

async function login(email: string, secret = password, address = "203.0.113.7") {
  return api("POST", "/api/auth/login", {
    body: { email, password: secret },
    headers: { "cf-connecting-ip": address },
  });
}

function cookieOf(response: { headers: Headers }): string {
  return (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

describe("signing in", () => {
  it("sets a HttpOnly, Secure, SameSite=Strict session cookie and returns the CSRF token", async () => {
    const user = await signedIn("coordinator", { centreId: await givenCentre() });
    const response = await login(user.email);
    expect(response.status).toBe(200);
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^halte_session=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("SameSite=Strict");
    const session = await api("GET", "/api/auth/session", { headers: { cookie: cookieOf(response) } });
    expect(session.body).toMatchObject({
      user: { email: user.email, role: "coordinator" },
      csrfToken: response.body.csrfToken,
    });
  });

  it("answers a wrong password and an unknown email alike, with 401", async () => {
    const user = await signedIn("reception", { centreId: await givenCentre() });
    const wrong = await login(user.email, "not the password", "203.0.113.8");
    const unknown = await login("nobody@halte.test", password, "203.0.113.8");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toMatchObject({ code: "unauthenticated", detail: "Wrong email or password" });
    expect(wrong.headers.get("set-cookie")).toBeNull();
  });

  it("accepts the email in any case", async () => {
    const user = await signedIn("observer", { centreId: await givenCentre() });
    expect((await login(user.email.toUpperCase())).status).toBe(200);
  });

  it("answers 422 to a body that is not an email and a password, and 400 to one that is not JSON", async () => {
    const invalid = await api("POST", "/api/auth/login", {
      body: { email: "nobody", password: "x", remember: true },
    });
    expect(invalid.status).toBe(422);
    const malformed = await api("POST", "/api/auth/login", { body: "{" });
    expect(malformed.status).toBe(400);
  });

  it("does not let failures from one address lock the account out from another (issue 12, finding 5)", async () => {
    const user = await signedIn("reception", { centreId: await givenCentre() });
    const attacker = "198.51.100.66";
    for (let i = 0; i < 5; i++) expect((await login(user.email, "wrong", attacker)).status).toBe(401);
    // The door tablet, elsewhere, signs in at once.
    expect((await login(user.email, password, "198.51.100.99")).status).toBe(200);
    // The address that guessed is refused for this account for 15 minutes, even with the right password.
    const locked = await login(user.email, password, attacker);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe("rate_limited");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(800);
    expect(Number(locked.headers.get("retry-after"))).toBeLessThanOrEqual(900);
  });

  it("slows an account down, without refusing the right password, when many addresses guess it", async () => {
    const user = await signedIn("reception", { centreId: await givenCentre() });
    for (let i = 0; i < 12; i++)
      expect((await login(user.email, "wrong", `198.51.102.${i}`)).status).toBe(401);
    const started = Date.now();
    const door = await login(user.email, password, "198.51.102.200");
    expect(door.status).toBe(200);
    // 12 failures: the attempt waited 500 ms × 2² = 2 s before the password was checked.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it("forgets an address's earlier failures after it signs in", async () => {
    const user = await signedIn("reception", { centreId: await givenCentre() });
    const address = "198.51.101.7";
    for (let i = 0; i < 4; i++) await login(user.email, "wrong", address);
    expect((await login(user.email, password, address)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(user.email, "wrong", address)).status).toBe(401);
    expect((await login(user.email, password, address)).status).toBe(200);
  });

  it("limits one address to 20 failures across accounts", async () => {
    const address = "192.0.2.77";
    for (let i = 0; i < 20; i++)
      expect((await login(`stranger${i}@halte.test`, "guess", address)).status).toBe(401);
    const user = await signedIn("reception", { centreId: await givenCentre() });
    const limited = await login(user.email, password, address);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await login(user.email, password, "192.0.2.78")).status).toBe(200);
  });

  it("refuses a disabled account, and its open sessions stop working", async () => {
    const centreId = await givenCentre();
    const user = await signedIn("reception", { centreId });
    const admin = await signedIn("admin");
    expect((await api("POST", `/api/users/${user.userId}/disable`, { as: admin })).status).toBe(200);
    expect((await login(user.email)).status).toBe(401);
    expect((await api("GET", "/api/auth/session", { as: user })).status).toBe(401);
    expect((await api("GET", "/api/services", { as: user })).status).toBe(401);
  });
});

describe("sessions", () => {
  it("end at logout even when the browser sends an empty body without a content type", async () => {
    const user = await signedIn("observer", { centreId: await givenCentre() });
    const out = await api("POST", "/api/auth/logout", {
      as: user,
      body: "",
      headers: { "content-type": "", "content-length": "0" },
    });
    expect(out.status, JSON.stringify(out.body)).toBe(204);
    expect((await api("GET", "/api/auth/session", { as: user })).status).toBe(401);
  });

  it("end at logout: the same cookie is refused afterwards", async () => {
    const user = await signedIn("observer", { centreId: await givenCentre() });
    expect((await api("POST", "/api/auth/logout", { as: user })).status).toBe(204);
    expect((await api("GET", "/api/auth/session", { as: user })).status).toBe(401);
  });

  it("expire: a session past its expiry is refused", async () => {
    const user = await signedIn("observer", { centreId: await givenCentre() });
    await db
      .update(sessions)
      .set({ expiresAt: "2020-01-01T00:00:00.000Z" })
      .where(eq(sessions.userId, user.userId));
    expect((await api("GET", "/api/auth/session", { as: user })).status).toBe(401);
  });
});

describe("CSRF protection on cookie-authenticated writes", () => {
  const visit = (centreId: string) => ({ centreId, arrivedAt: "2026-11-28T08:00:00Z" });

  it("refuses a write without the CSRF header, with a wrong one, or from another origin", async () => {
    const centreId = await givenCentre();
    const user = await signedIn("reception", { centreId });
    const cookie = user.headers.cookie as string;
    const missing = await api("POST", "/api/visits", { headers: { cookie }, body: visit(centreId) });
    expect(missing.status).toBe(403);
    const wrong = await api("POST", "/api/visits", {
      headers: { cookie, "x-csrf-token": "forged" },
      body: visit(centreId),
    });
    expect(wrong.status).toBe(403);
    const crossSite = await api("POST", "/api/visits", {
      as: user,
      headers: { origin: "https://evil.example" },
      body: visit(centreId),
    });
    expect(crossSite.status).toBe(403);
    expect((await api("POST", "/api/visits", { as: user, body: visit(centreId) })).status).toBe(201);
  });

  it("also guards logout: without the header the session stays open", async () => {
    const user = await signedIn("observer", { centreId: await givenCentre() });
    const cookie = user.headers.cookie as string;
    expect((await api("POST", "/api/auth/logout", { headers: { cookie } })).status).toBe(403);
    expect((await api("GET", "/api/auth/session", { as: user })).status).toBe(200);
  });

  it("does not apply to bearer tokens, which a browser never sends by itself", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const serviceId = await givenService(centreId, partnerId, { name: "Consultations" });
    const token = await partnerToken(centreId, partnerId);
    const report = await api("POST", "/api/service-uses", {
      as: token,
      headers: { origin: "https://partner.example" },
      body: { centreId, serviceId, usedAt: "2026-11-28T15:00:00Z", quantity: 3, source: "partner_report" },
    });
    expect(report.status).toBe(201);
  });

  it("refuses a malformed Authorization header with 401", async () => {
    expect((await api("GET", "/api/referrals", { headers: { authorization: "Basic abc" } })).status).toBe(
      401,
    );
    for (const authorization of [
      "Bearer",
      "Bearer not_a_halte_token",
      "Bearer halte_pt_a halte_pt_b",
      "halte_pt_x",
    ]) {
      const response = await api("GET", "/api/referrals", { headers: { authorization } });
      expect(response.status, authorization).toBe(401);
      expect(response.body.code).toBe("unauthenticated");
    }
    const unknown = await api("GET", "/api/referrals", {
      headers: { authorization: "Bearer halte_pt_unknown" },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("www-authenticate")).toContain("Bearer");
  });
});

describe("stored secrets", () => {
  it("keeps only a PBKDF2 hash of passwords", async () => {
    const user = await signedIn("coordinator", { centreId: await givenCentre() });
    const [row] = await db.select().from(users).where(eq(users.id, user.userId));
    expect(row?.passwordHash).not.toContain(password);
    expect(row?.passwordHash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});
