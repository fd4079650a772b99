import {
  auditLog,
  consents,
  getReferral,
  insertReferralHistoryAfterUpdate,
  referralHistory,
  referrals,
  updateReferralStatus,
} from "@halte/db";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { api, type Caller, db, givenCentre, givenPartner, partnerToken, signedIn } from "./helpers.js";
import { fieldErrors, givenService } from "./visits-helpers.js";

const contact = { name: "Ahmad K.", phone: "+33 6 12 34 56 78", preferredLanguage: "prs" };
const storeOnly = {
  givenAt: "2026-11-28T09:00:00Z",
  method: "verbal",
  scopes: ["store_contact"],
  language: "prs",
};
const storeAndShare = { ...storeOnly, scopes: ["store_contact", "share_with_partner"] };

async function network() {
  const centreId = await givenCentre();
  const shelter = await givenPartner(centreId, "Samu social");
  const other = await givenPartner(centreId, "France terre d'asile");
  const coordinator = await signedIn("coordinator", { centreId });
  const shelterToken = await partnerToken(centreId, shelter);
  const otherToken = await partnerToken(centreId, other);
  return { centreId, shelter, other, coordinator, shelterToken, otherToken };
}

async function sentReferral(
  n: Awaited<ReturnType<typeof network>>,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const created = await api("POST", "/api/referrals", {
    as: n.coordinator,
    body: {
      centreId: n.centreId,
      partnerId: n.shelter,
      need: "accommodation",
      consent: storeOnly,
      send: true,
      ...extra,
    },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

function move(as: Caller, id: string, body: Record<string, unknown>) {
  return api("POST", `/api/referrals/${id}/status`, { as, body });
}

describe("referral lifecycle", () => {
  it("runs from sending to completion, with consent, history and audit rows free of contact details", async () => {
    const n = await network();
    const created = await api("POST", "/api/referrals", {
      as: n.coordinator,
      body: {
        centreId: n.centreId,
        partnerId: n.shelter,
        need: "accommodation",
        note: "Family of four, needs a place tonight",
        contact,
        consent: storeOnly,
        ageBand: "18-59",
        languages: ["prs"],
        send: true,
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "requested", version: 1, contact, hasContact: true });
    expect(created.body.requestedAt).not.toBeNull();
    const id = created.body.id;

    const [consent] = await db.select().from(consents).where(eq(consents.referralId, id));
    expect(consent).toMatchObject({
      id: created.body.consentId,
      scopes: ["store_contact"],
      method: "verbal",
    });

    const accepted = await move(n.shelterToken, id, {
      status: "accepted",
      partnerReference: "SAMU-2026-118",
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      status: "accepted",
      partnerReference: "SAMU-2026-118",
      version: 2,
    });
    expect((await move(n.shelterToken, id, { status: "in-progress" })).status).toBe(200);
    const completed = await move(n.shelterToken, id, { status: "completed", note: "Placed in a shelter" });
    expect(completed.body).toMatchObject({ status: "completed", version: 4 });
    expect(completed.body.closedAt).not.toBeNull();
    // The person agreed to storing their contact, not to sharing details: the partner's view holds no
    // free text, the centre's does.
    expect(completed.body.statusNote).toBeNull();
    expect((await api("GET", `/api/referrals/${id}`, { as: n.coordinator })).body.statusNote).toBe(
      "Placed in a shelter",
    );

    const history = await api("GET", `/api/referrals/${id}/history`, { as: n.coordinator });
    expect(history.status).toBe(200);
    expect(
      history.body.items.map((h: { from: string; to: string; actor: string }) => [h.from, h.to, h.actor]),
    ).toEqual([
      ["draft", "requested", "centre"],
      ["requested", "accepted", "partner"],
      ["accepted", "in-progress", "partner"],
      ["in-progress", "completed", "partner"],
    ]);
    const paged = await api("GET", `/api/referrals/${id}/history?limit=3`, { as: n.coordinator });
    const rest = await api("GET", `/api/referrals/${id}/history?limit=3&cursor=${paged.body.nextCursor}`, {
      as: n.coordinator,
    });
    expect(rest.body.items.map((h: { to: string }) => h.to)).toEqual(["completed"]);

    const log = await db.select().from(auditLog).where(eq(auditLog.entityId, id));
    expect(log.map((row) => [row.action, row.actorType])).toEqual([
      ["create", "user"],
      ["update_status", "token"],
      ["update_status", "token"],
      ["update_status", "token"],
    ]);
    expect(log[0]?.diff).toMatchObject({
      after: { contact: "[redacted]", consentScopes: ["store_contact"] },
    });
    const logged = JSON.stringify(log);
    for (const value of [contact.name, contact.phone, "Ahmad", "12 34"]) expect(logged).not.toContain(value);
  });

  it("lets the partner reject with a reason, and refuses a missing or wrong reason", async () => {
    const n = await network();
    const id = await sentReferral(n);
    const missing = await move(n.shelterToken, id, { status: "rejected" });
    expect(missing.status).toBe(422);
    expect(fieldErrors(missing.body)).toEqual(["reason:required"]);
    const wrong = await move(n.shelterToken, id, { status: "rejected", reason: "no_show" });
    expect(wrong.status).toBe(422);
    expect(fieldErrors(wrong.body)).toEqual(["reason:invalid_value"]);
    const notAReason = await move(n.shelterToken, id, { status: "rejected", reason: "busy" });
    expect(fieldErrors(notAReason.body)).toEqual(["reason:invalid_value"]);

    const rejected = await move(n.shelterToken, id, { status: "rejected", reason: "at_capacity" });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: "rejected", statusReason: "at_capacity" });
    expect(rejected.body.closedAt).not.toBeNull();

    const reopen = await move(n.shelterToken, id, { status: "accepted" });
    expect(reopen.status).toBe(409);
    expect(reopen.body.code).toBe("illegal_transition");
    const history = await db.select().from(referralHistory).where(eq(referralHistory.referralId, id));
    expect(history.map((h) => [h.toStatus, h.reason])).toEqual([
      ["requested", null],
      ["rejected", "at_capacity"],
    ]);
  });

  it("keeps each side to its own moves and refuses a move to the current status as a conflict", async () => {
    const n = await network();
    const id = await sentReferral(n);
    const centreAccepts = await move(n.coordinator, id, { status: "accepted" });
    expect(centreAccepts.status).toBe(409);
    expect(centreAccepts.body.code).toBe("illegal_transition");
    expect(centreAccepts.body.detail).toMatch(/Only the partner/);
    const partnerCancels = await move(n.shelterToken, id, { status: "cancelled" });
    expect(partnerCancels.status).toBe(409);
    expect(partnerCancels.body.code).toBe("illegal_transition");
    const again = await move(n.coordinator, id, { status: "requested" });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("conflict");
    const cancelled = await move(n.coordinator, id, { status: "cancelled", note: "Found a place meanwhile" });
    expect(cancelled.status).toBe(200);
    const invalid = await move(n.coordinator, id, { status: "archived", colour: "red" });
    expect(fieldErrors(invalid.body)).toEqual(["colour:unknown_field", "status:invalid_value"]);
  });

  it("keeps a draft until consent is recorded: sending it without consent is refused", async () => {
    const n = await network();
    const draft = await api("POST", "/api/referrals", {
      as: n.coordinator,
      body: { centreId: n.centreId, partnerId: n.shelter, need: "health" },
    });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({
      status: "draft",
      version: 0,
      consentId: null,
      contact: null,
      hasContact: false,
    });
    const send = await move(n.coordinator, draft.body.id, { status: "requested" });
    expect(send.status).toBe(422);
    expect(fieldErrors(send.body)).toEqual(["consent:required"]);
    const sendAtOnce = await api("POST", "/api/referrals", {
      as: n.coordinator,
      body: { centreId: n.centreId, partnerId: n.shelter, need: "health", send: true },
    });
    expect(fieldErrors(sendAtOnce.body)).toEqual(["consent:invalid"]);
    expect(
      await db.select().from(referralHistory).where(eq(referralHistory.referralId, draft.body.id)),
    ).toEqual([]);
  });

  it("refuses a change computed from an old version, leaving no history behind", async () => {
    const n = await network();
    const id = await sentReferral(n);
    const referral = await getReferral(db, id);
    if (!referral) throw new Error("missing");
    const at = new Date().toISOString();
    const next = { ...referral, status: "accepted" as const, version: referral.version + 1, updatedAt: at };
    const entry = {
      referralId: id,
      from: referral.status,
      to: next.status,
      actor: "partner" as const,
      reason: null,
      note: null,
      at,
    };
    // Another change won: the stored version moved on.
    await db
      .update(referrals)
      .set({ version: referral.version + 1 })
      .where(eq(referrals.id, id));
    await expect(
      db.batch([
        updateReferralStatus(db, next, referral.version),
        insertReferralHistoryAfterUpdate(db, entry, null),
      ]),
    ).rejects.toThrow();
    const history = await db.select().from(referralHistory).where(eq(referralHistory.referralId, id));
    expect(history.map((h) => h.toStatus)).toEqual(["requested"]);
    expect((await getReferral(db, id))?.status).toBe("requested");
  });
});

describe("creating referrals", () => {
  it("refuses unknown fields, a contact without consent, and records of another centre or partner", async () => {
    const n = await network();
    const base = { centreId: n.centreId, partnerId: n.shelter, need: "accommodation" };
    const noConsent = await api("POST", "/api/referrals", {
      as: n.coordinator,
      body: { ...base, contact, mood: "ok" },
    });
    expect(noConsent.status).toBe(422);
    expect(fieldErrors(noConsent.body)).toEqual(["consent:invalid", "mood:unknown_field"]);
    const needOnly = await api("POST", "/api/referrals", {
      as: n.coordinator,
      body: { ...base, need: "shelter", contact: {}, consent: storeOnly },
    });
    expect(fieldErrors(needOnly.body)).toEqual(["contact:invalid", "need:invalid_value"]);

    const elsewhere = await givenCentre();
    const foreignPartner = await givenPartner(elsewhere);
    const wrongPartner = await api("POST", "/api/referrals", {
      as: n.coordinator,
      body: { ...base, partnerId: foreignPartner },
    });
    expect(fieldErrors(wrongPartner.body)).toEqual(["partnerId:invalid_value"]);
    const othersService = await givenService(n.centreId, n.other);
    const wrongService = await api("POST", "/api/referrals", {
      as: n.coordinator,
      body: { ...base, serviceId: othersService },
    });
    expect(fieldErrors(wrongService.body)).toEqual(["serviceId:invalid_value"]);
    const shelterService = await givenService(n.centreId, n.shelter, { name: "115" });
    const ok = await api("POST", "/api/referrals", {
      as: n.coordinator,
      body: { ...base, serviceId: shelterService },
    });
    expect(ok.status).toBe(201);
    const malformed = await api("POST", "/api/referrals", { as: n.coordinator, body: "{" });
    expect(malformed.status).toBe(400);
    const otherCentre = await api("POST", "/api/referrals", {
      as: n.coordinator,
      body: { ...base, centreId: elsewhere, partnerId: foreignPartner },
    });
    expect(otherCentre.status).toBe(403);
  });
});

describe("who sees referrals", () => {
  it("refuses reception and observers every referral route", async () => {
    const n = await network();
    const id = await sentReferral(n);
    for (const role of ["reception", "observer"] as const) {
      const caller = await signedIn(role, { centreId: n.centreId });
      expect((await api("GET", "/api/referrals", { as: caller })).status).toBe(403);
      const one = await api("GET", `/api/referrals/${id}`, { as: caller });
      expect(one.status).toBe(403);
      expect(JSON.stringify(one.body)).not.toContain("Ahmad");
      expect((await api("GET", `/api/referrals/${id}/history`, { as: caller })).status).toBe(403);
      expect((await move(caller, id, { status: "cancelled" })).status).toBe(403);
      const create = await api("POST", "/api/referrals", {
        as: caller,
        body: { centreId: n.centreId, partnerId: n.shelter, need: "food" },
      });
      expect(create.status).toBe(403);
    }
    expect((await api("GET", "/api/referrals")).status).toBe(401);
  });

  it("shows a partner only its own organisation's sent referrals, whatever the filter says", async () => {
    const n = await network();
    const mine = await sentReferral(n);
    const draft = await api("POST", "/api/referrals", {
      as: n.coordinator,
      body: { centreId: n.centreId, partnerId: n.shelter, need: "legal" },
    });
    const listed = await api("GET", "/api/referrals?limit=200", { as: n.shelterToken });
    expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual([mine]);

    const other = n.otherToken;
    expect((await api("GET", `/api/referrals/${mine}`, { as: other })).status).toBe(404);
    expect((await api("GET", `/api/referrals/${mine}/history`, { as: other })).status).toBe(404);
    expect((await move(other, mine, { status: "accepted" })).status).toBe(404);
    const filtered = await api("GET", `/api/referrals?partnerId=${n.shelter}`, { as: other });
    expect(filtered.status).toBe(200);
    expect(filtered.body.items).toEqual([]);
    expect((await api("GET", "/api/referrals", { as: other })).body.items).toEqual([]);
    expect((await api("GET", `/api/referrals/${draft.body.id}`, { as: n.shelterToken })).status).toBe(404);

    const partnerUser = await signedIn("partner", { centreId: n.centreId, partnerId: n.shelter });
    const asUser = await move(partnerUser, mine, { status: "accepted" });
    expect(asUser.status).toBe(200);
    const [last] = (
      await api("GET", `/api/referrals/${mine}/history`, { as: n.coordinator })
    ).body.items.slice(-1);
    expect(last).toMatchObject({ to: "accepted", actor: "partner" });
  });

  it("shows the contact to coordinators, and to the partner only with consent to share it", async () => {
    const n = await network();
    const kept = await sentReferral(n, { contact });
    const shared = await sentReferral(n, { contact, consent: storeAndShare });

    const coordinatorView = await api("GET", `/api/referrals/${kept}`, { as: n.coordinator });
    expect(coordinatorView.body).toMatchObject({ contact, hasContact: true });

    const partnerKept = await api("GET", `/api/referrals/${kept}`, { as: n.shelterToken });
    expect(partnerKept.body).toMatchObject({ contact: null, hasContact: true });
    expect(JSON.stringify(partnerKept.body)).not.toContain("Ahmad");
    const partnerShared = await api("GET", `/api/referrals/${shared}`, { as: n.shelterToken });
    expect(partnerShared.body).toMatchObject({ contact, hasContact: true });

    const list = await api("GET", "/api/referrals?limit=200", { as: n.shelterToken });
    const byId = Object.fromEntries(list.body.items.map((r: { id: string }) => [r.id, r]));
    expect(byId[kept]).toMatchObject({ contact: null, hasContact: true });
    expect(byId[shared]).toMatchObject({ contact });
    const accepted = await move(n.shelterToken, kept, { status: "accepted" });
    expect(accepted.body.contact).toBeNull();
  });

  it("filters a centre's list by status, need and partner, newest first", async () => {
    const n = await network();
    const first = await sentReferral(n);
    const second = await sentReferral(n, { need: "health" });
    const third = await sentReferral(n, { partnerId: n.other });
    await move(n.shelterToken, first, { status: "accepted" });
    const q = (query: string) =>
      api("GET", `/api/referrals?centreId=${n.centreId}&${query}`, { as: n.coordinator }).then((r) =>
        r.body.items.map((i: { id: string }) => i.id),
      );
    expect(await q("limit=200")).toEqual([third, second, first]);
    expect(await q("status=requested")).toEqual([third, second]);
    expect(await q("need=health")).toEqual([second]);
    expect(await q(`partnerId=${n.other}`)).toEqual([third]);
    const page = await api("GET", `/api/referrals?centreId=${n.centreId}&limit=2`, { as: n.coordinator });
    const next = await api(
      "GET",
      `/api/referrals?centreId=${n.centreId}&limit=2&cursor=${page.body.nextCursor}`,
      {
        as: n.coordinator,
      },
    );
    expect(next.body.items.map((i: { id: string }) => i.id)).toEqual([first]);
    const bad = await api("GET", "/api/referrals?status=lost", { as: n.coordinator });
    expect(fieldErrors(bad.body)).toEqual(["query.status:invalid_value"]);
    const elsewhere = await signedIn("coordinator", { centreId: await givenCentre() });
    expect((await api("GET", `/api/referrals/${first}`, { as: elsewhere })).status).toBe(404);
    const log = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.centreId, n.centreId), eq(auditLog.entity, "referral")));
    expect(log).toHaveLength(4);
  });
});

describe("what a partner never sees", () => {
  it("hides a draft that was entered in error without ever being sent", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const coordinator = await signedIn("coordinator", { centreId });
    const token = await partnerToken(centreId, partnerId);
    const created = await api("POST", "/api/referrals", {
      as: coordinator,
      body: { centreId, partnerId, need: "accommodation" },
    });
    expect(created.status).toBe(201);
    const voided = await api("POST", `/api/referrals/${created.body.id}/status`, {
      as: coordinator,
      body: { status: "entered-in-error" },
    });
    expect(voided.status).toBe(200);
    expect((await api("GET", `/api/referrals/${created.body.id}`, { as: token })).status).toBe(404);
    const listed = await api("GET", "/api/referrals", { as: token });
    expect(listed.body.items.map((r: { id: string }) => r.id)).not.toContain(created.body.id);
  });
});
