// What leaves the centre about a person, and what stays in its logs: a partner sees only what the person's
// consent lets through, the audit log keeps no free text, and a coordinator can record a withdrawal of
// consent or erase a person's details on request.
import { auditLog } from "@halte/db";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { api, type Caller, db, givenCentre, givenPartner, partnerToken, signedIn } from "./helpers.js";

export const contact = { name: "Ahmad K.", phone: "+33 6 12 34 56 78", preferredLanguage: "prs" };
const storeOnly = { givenAt: "2026-11-28T09:00:00Z", method: "verbal", scopes: ["store_contact"] };
const storeAndShare = { ...storeOnly, scopes: ["store_contact", "share_with_partner"] };
const note = "Ahmad sleeps at Gare du Nord, his wife is pregnant";

export async function privacyScene() {
  const centreId = await givenCentre();
  const partnerId = await givenPartner(centreId, "Samu social");
  const coordinator = await signedIn("coordinator", { centreId });
  const token = await partnerToken(centreId, partnerId);
  const refer = async (consent: Record<string, unknown>) => {
    const created = await api("POST", "/api/referrals", {
      as: coordinator,
      body: {
        centreId,
        partnerId,
        need: "accommodation",
        note,
        contact,
        consent,
        ageBand: "18-59",
        gender: "male",
        languages: ["prs"],
        send: true,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id as string;
  };
  return { centreId, partnerId, coordinator, token, refer };
}

function move(as: Caller, id: string, body: Record<string, unknown>) {
  return api("POST", `/api/referrals/${id}/status`, { as, body });
}

describe("what a partner receives without consent to share", () => {
  it("gets neither the contact nor the notes, age, gender or languages when the person refused sharing", async () => {
    const s = await privacyScene();
    const kept = await s.refer(storeOnly);
    const shared = await s.refer(storeAndShare);
    expect((await move(s.token, kept, { status: "accepted" })).status).toBe(200);
    expect((await move(s.coordinator, kept, { status: "on-hold", note: "Ahmad asked to wait" })).status).toBe(
      200,
    );
    expect((await move(s.coordinator, kept, { status: "accepted" })).status).toBe(200);

    const one = await api("GET", `/api/referrals/${kept}`, { as: s.token });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      id: kept,
      need: "accommodation",
      status: "accepted",
      hasContact: true,
      contact: null,
      note: null,
      statusNote: null,
      ageBand: null,
      gender: null,
      languages: [],
    });
    const list = await api("GET", "/api/referrals?limit=200", { as: s.token });
    const history = await api("GET", `/api/referrals/${kept}/history`, { as: s.token });
    const answered = await move(s.token, kept, { status: "in-progress" });
    expect(answered.status).toBe(200);
    for (const body of [
      one.body,
      list.body.items.find((r: { id: string }) => r.id === kept),
      history.body,
      answered.body,
    ]) {
      expect(JSON.stringify(body)).not.toContain("Ahmad");
      expect(JSON.stringify(body)).not.toContain("Gare du Nord");
    }
    expect(history.body.items.map((h: { to: string }) => h.to)).toEqual([
      "requested",
      "accepted",
      "on-hold",
      "accepted",
    ]);

    // With consent to share, the partner gets what the person agreed to.
    const whole = await api("GET", `/api/referrals/${shared}`, { as: s.token });
    expect(whole.body).toMatchObject({ contact, note, ageBand: "18-59", languages: ["prs"] });
    // The centre's coordinator always sees its own records whole.
    expect((await api("GET", `/api/referrals/${kept}`, { as: s.coordinator })).body).toMatchObject({
      contact,
      note,
    });
  });
});

describe("the audit log", () => {
  it("keeps no note, status note, partner reference or contact of a referral, only that they were set", async () => {
    const s = await privacyScene();
    const id = await s.refer(storeOnly);
    expect(
      (
        await move(s.token, id, {
          status: "accepted",
          note: "Seen by Dr Haddad",
          partnerReference: "SAMU-ahmad",
        })
      ).status,
    ).toBe(200);
    expect((await move(s.coordinator, id, { status: "cancelled", note: "Ahmad left for Lyon" })).status).toBe(
      200,
    );
    const log = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, "referral"), eq(auditLog.entityId, id)));
    expect(log.map((row) => row.action)).toEqual(["create", "update_status", "update_status"]);
    const logged = JSON.stringify(log);
    for (const text of ["Ahmad", "Gare du Nord", "Haddad", "SAMU-ahmad", "Lyon", "12 34"]) {
      expect(logged).not.toContain(text);
    }
    expect(log[0]?.diff).toMatchObject({
      after: { note: "[redacted]", contact: "[redacted]", need: "accommodation" },
    });
    expect(log[1]?.diff).toMatchObject({
      after: { status: "accepted", statusNote: "[redacted]", partnerReference: "[redacted]" },
    });
  });
});
