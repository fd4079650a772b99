// Privacy: a realistic run through the API — sign-ins (good and bad), a tap with a visitor card, a
// referral with contact details, a partner's answer, feedback from the directory naming its writer, a staff
// account created and its password set, a token issued and used, malformed and refused requests — and then
// not one line the Worker logged may contain a personal value (names, emails, phone numbers, visitor codes,
// passwords, tokens, session cookies, the feedback's text, the sender's address).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { api, givenCentre, givenPartner, signedIn } from "./helpers.js";
import { givenService } from "./visits-helpers.js";

const lines: string[] = [];
const spies: { mockRestore(): void }[] = [];

beforeAll(() => {
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[level].bind(console);
    spies.push(
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg))).join(" "));
        original(...args);
      }),
    );
  }
});
afterAll(() => {
  for (const spy of spies) spy.mockRestore();
});

const personal = {
  staffEmail: "mariam.haidari@halte.test",
  staffName: "Mariam Haidari",
  password: "une phrase de passe assez longue",
  newPassword: "une autre phrase de passe longue",
  visitorCode: "CARTE-4471",
  contactName: "Ahmad Karimi",
  phone: "+33 6 12 34 56 78",
  email: "ahmad.karimi@example.org",
  feedbackText: "Je m'appelle Ahmad Karimi, les douches ferment trop tôt",
  address: "198.51.100.77",
};

describe("logs of a full run", () => {
  it("record each request but never a personal value", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId, "Samu social");
    const serviceId = await givenService(centreId, partnerId, { name: "Douches" });
    const admin = await signedIn("admin");
    const secrets: string[] = [];

    // A staff account, created by an admin, who then signs in (and fails once).
    const created = await api("POST", "/api/users", {
      as: admin,
      body: {
        email: personal.staffEmail,
        name: personal.staffName,
        role: "coordinator",
        centreId,
        password: personal.password,
      },
    });
    expect(created.status).toBe(201);
    const failed = await api("POST", "/api/auth/login", {
      body: { email: personal.staffEmail, password: "wrong password entirely" },
    });
    expect(failed.status).toBe(401);
    const login = await api("POST", "/api/auth/login", {
      body: { email: personal.staffEmail, password: personal.password },
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const coordinator = {
      userId: created.body.id,
      headers: { cookie, "x-csrf-token": login.body.csrfToken },
    };
    secrets.push(cookie.split("=")[1] as string, login.body.csrfToken);

    // A tap with a visitor card and a shower, then the same card malformed.
    const tap = await api("POST", "/api/visits", {
      as: coordinator,
      body: {
        centreId,
        arrivedAt: new Date().toISOString(),
        visitorCode: personal.visitorCode,
        uses: [{ serviceId }],
      },
    });
    expect(tap.status).toBe(201);
    const badTap = await api("POST", "/api/visits", {
      as: coordinator,
      body: { centreId, arrivedAt: "yesterday", visitorCode: personal.visitorCode },
    });
    expect(badTap.status).toBe(422);

    // A referral with contact details and consent; the partner answers with its token.
    const referral = await api("POST", "/api/referrals", {
      as: coordinator,
      body: {
        centreId,
        partnerId,
        need: "accommodation",
        contact: { name: personal.contactName, phone: personal.phone, email: personal.email },
        consent: {
          givenAt: new Date().toISOString(),
          method: "verbal",
          scopes: ["store_contact", "share_with_partner"],
        },
        send: true,
      },
    });
    expect(referral.status).toBe(201);
    const issued = await api("POST", `/api/partners/${partnerId}/tokens`, {
      as: coordinator,
      body: { name: "Samu SI" },
    });
    expect(issued.status).toBe(201);
    secrets.push(issued.body.token);
    const partner = { userId: "", headers: { authorization: `Bearer ${issued.body.token}` } };
    const read = await api("GET", `/api/referrals/${referral.body.id}`, { as: partner });
    expect(read.status).toBe(200);
    const answer = await api("POST", `/api/referrals/${referral.body.id}/status`, {
      as: partner,
      body: { status: "accepted" },
    });
    expect(answer.status).toBe(200);

    // The password changed, a refused write with a forged token, and a body that is not JSON.
    const changed = await api("POST", `/api/users/${created.body.id}/password`, {
      as: coordinator,
      body: { currentPassword: personal.password, password: personal.newPassword },
    });
    expect(changed.status).toBeLessThan(300);
    const forged = await api("GET", "/api/referrals", {
      headers: { authorization: `Bearer halte_pt_${"A".repeat(43)}` },
    });
    expect(forged.status).toBe(401);
    const garbled = await api("POST", "/api/referrals", {
      as: admin,
      body: `{"contact":{"name":"${personal.contactName}"`,
    });
    expect(garbled.status).toBe(400);

    // Feedback from the directory, whose writer named himself despite the advice, from his address.
    const centre = (await api("GET", `/api/centres/${centreId}`, { as: admin })).body;
    const feedback = await api("POST", `/api/public/centres/${centre.slug}/feedback`, {
      body: { text: personal.feedbackText, language: "fr", fillSeconds: 12 },
      headers: { "cf-connecting-ip": personal.address },
    });
    expect(feedback.status).toBe(202);

    // Each request left a line: the logs are there to be read, and hold nothing personal.
    expect(lines.filter((line) => line.includes('"message":"request"')).length).toBeGreaterThanOrEqual(12);
    const forbidden = [...Object.values(personal), ...secrets, "A".repeat(43)];
    for (const line of lines) {
      for (const value of forbidden) expect(line, `a log line contains ${value}`).not.toContain(value);
    }
  });
});
