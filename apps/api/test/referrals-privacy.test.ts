// What leaves the centre about a person, and what stays in its logs: a partner sees only what the person's
// consent lets through, the audit log keeps no free text, and a coordinator can record a withdrawal of
// consent or erase a person's details on request.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { localDateOf } from "@halte/core";
import {
  auditLog,
  consents,
  inboundWebhooks,
  referralHistory,
  referrals,
  webhookDeliveries,
} from "@halte/db";
import { and, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { consumeWebhookQueue, type OutboundWebhookMessage } from "../src/routes/webhooks/delivery.js";
import { api, type Caller, db, givenCentre, givenPartner, partnerToken, signedIn } from "./helpers.js";
import { figure } from "./reports-helpers.js";
import { deliver, givenWebhookPartner, message, statusChanged } from "./webhooks-helpers.js";

const contact = { name: "Ahmad K.", phone: "+33 6 12 34 56 78", preferredLanguage: "prs" };
const storeOnly = { givenAt: "2026-11-28T09:00:00Z", method: "verbal", scopes: ["store_contact"] };
const storeAndShare = { ...storeOnly, scopes: ["store_contact", "share_with_partner"] };
const note = "Ahmad sleeps at Gare du Nord, his wife is pregnant";

async function privacyScene() {
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

/** A partner with a webhook secret and endpoint, its token, a coordinator, and a referral shared with it. */
async function sharedWithEndpoint() {
  const { centreId, partnerId, admin, secret } = await givenWebhookPartner();
  const coordinator = await signedIn("coordinator", { centreId });
  const token = await partnerToken(centreId, partnerId);
  const endpoint = await api("POST", `/api/partners/${partnerId}/webhook-endpoints`, {
    as: admin,
    body: { url: "https://partner.example/halte" },
  });
  expect(endpoint.status).toBe(201);
  const created = await api("POST", "/api/referrals", {
    as: coordinator,
    body: { centreId, partnerId, need: "health", note, contact, consent: storeAndShare, send: true },
  });
  expect(created.status).toBe(201);
  return {
    centreId,
    partnerId,
    coordinator,
    token,
    secret,
    endpointId: endpoint.body.id as string,
    id: created.body.id as string,
  };
}

/** The consent-withdrawn deliveries of an endpoint, sent through the queue consumer to a verifying receiver. */
async function withdrawalEvents(endpointId: string, secret: string) {
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpointId),
        eq(webhookDeliveries.eventType, "referral.consent_withdrawn"),
      ),
    );
  const received: Array<{ verified: boolean; body: string }> = [];
  for (const row of rows) {
    const batch = createMessageBatch<OutboundWebhookMessage>("halte-webhooks", [
      { id: `m-${row.id}`, timestamp: new Date(), attempts: 1, body: { deliveryId: row.id } },
    ]);
    await consumeWebhookQueue(batch, env, {
      fetch: async (request) => {
        const body = await request.text();
        let verified = false;
        try {
          new Webhook(secret).verify(body, Object.fromEntries(request.headers));
          verified = true;
        } catch {
          verified = false;
        }
        received.push({ verified, body });
        return new Response(null, { status: 204 });
      },
      now: () => new Date(),
    });
    await getQueueResult(batch, createExecutionContext());
  }
  return received;
}

const withdraw = (as: Caller, id: string, body: unknown = { method: "verbal" }) =>
  api("POST", `/api/referrals/${id}/consent/withdraw`, { as, body });

describe("withdrawing consent", () => {
  it("stops every detail going to the partner, tells it by a signed event, and shows in the timeline and audit", async () => {
    const s = await sharedWithEndpoint();
    expect((await api("GET", `/api/referrals/${s.id}`, { as: s.token })).body).toMatchObject({
      contact,
      note,
    });

    const withdrawn = await withdraw(s.coordinator, s.id, { method: "written" });
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(withdrawn.body).toMatchObject({ id: s.id, contact: null, hasContact: false, status: "requested" });

    const partnerView = await api("GET", `/api/referrals/${s.id}`, { as: s.token });
    expect(partnerView.body).toMatchObject({ contact: null, note: null, ageBand: null, hasContact: false });
    expect(JSON.stringify(partnerView.body)).not.toContain("Ahmad");
    // The centre kept the contact only under that consent: it is gone there too; the need stays.
    const centreView = await api("GET", `/api/referrals/${s.id}`, { as: s.coordinator });
    expect(centreView.body).toMatchObject({ contact: null, need: "health", note });

    const timeline = await api("GET", `/api/referrals/${s.id}/history`, { as: s.coordinator });
    expect(timeline.body.items.map((h: { event: string; to: string }) => [h.event, h.to])).toEqual([
      ["status_changed", "requested"],
      ["consent_withdrawn", "requested"],
    ]);
    const [logged] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, s.id), eq(auditLog.action, "withdraw_consent")));
    expect(logged).toMatchObject({ actorType: "user", actorId: s.coordinator.userId, centreId: s.centreId });
    expect(logged?.diff).toMatchObject({ after: { withdrawalMethod: "written" } });
    expect(JSON.stringify(logged)).not.toContain("Ahmad");

    const events = await withdrawalEvents(s.endpointId, s.secret);
    expect(events).toHaveLength(1);
    expect(events[0]?.verified).toBe(true);
    const event = JSON.parse(events[0]?.body ?? "{}");
    expect(event).toMatchObject({
      type: "referral.consent_withdrawn",
      data: { referralId: s.id, centreId: s.centreId },
    });
    expect(events[0]?.body).not.toContain("Ahmad");
    expect(events[0]?.body).not.toContain("Gare du Nord");

    // Once is enough: a second withdrawal is a conflict and changes nothing.
    const again = await withdraw(s.coordinator, s.id);
    expect(again.status).toBe(409);
    expect(again.headers.get("content-type")).toContain("application/problem+json");
    const rows = await db
      .select()
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.endpointId, s.endpointId),
          eq(webhookDeliveries.eventType, "referral.consent_withdrawn"),
        ),
      );
    expect(rows).toHaveLength(1);
    // Every event this partner was sent about the person, before and after, carries ids, statuses and the
    // need only — never the contact, the note, age, gender or languages, even with consent to share.
    const sent = await db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, s.endpointId));
    expect(sent.map((row) => row.eventType).sort()).toEqual([
      "referral.consent_withdrawn",
      "referral.status_changed",
    ]);
    for (const row of sent) {
      const data = (row.payload as { data: Record<string, unknown> }).data;
      for (const field of ["contact", "note", "statusNote", "ageBand", "gender", "languages"]) {
        expect(data).not.toHaveProperty(field);
      }
      expect(JSON.stringify(row.payload)).not.toMatch(/Ahmad|Gare du Nord|prs|18-59/);
    }
  });

  it("refuses bad input, callers other than the centre's coordinators, and a referral without consent", async () => {
    const s = await sharedWithEndpoint();
    const missing = await withdraw(s.coordinator, s.id, {});
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: { path: string[] }) => e.path.join("."))).toEqual(["method"]);
    const unknown = await withdraw(s.coordinator, s.id, { method: "telepathy", reason: "x" });
    expect(unknown.status).toBe(422);
    expect((await withdraw(s.coordinator, s.id, "{ nope")).status).toBe(400);
    expect((await withdraw(s.token, s.id)).status).toBe(403);
    const reception = await signedIn("reception", { centreId: s.centreId });
    expect((await withdraw(reception, s.id)).status).toBe(403);
    const elsewhere = await signedIn("coordinator", { centreId: await givenCentre() });
    expect((await withdraw(elsewhere, s.id)).status).toBe(404);
    expect((await withdraw(s.coordinator, "no-such-referral")).status).toBe(404);
    const draft = await api("POST", "/api/referrals", {
      as: s.coordinator,
      body: { centreId: s.centreId, partnerId: s.partnerId, need: "food" },
    });
    const noConsent = await withdraw(s.coordinator, draft.body.id);
    expect(noConsent.status).toBe(409);
    expect(noConsent.body.code).toBe("conflict");
    // Nothing of the refused calls was written.
    expect((await api("GET", `/api/referrals/${s.id}`, { as: s.token })).body.contact).toMatchObject(contact);
  });
});

describe("erasure on request", () => {
  it("erases the person's details and free text everywhere, keeps the counts, and audits who erased what and when", async () => {
    const s = await sharedWithEndpoint();
    expect(
      (
        await move(s.token, s.id, {
          status: "accepted",
          note: "Seen by Dr Haddad",
          partnerReference: "SAMU-ahmad",
        })
      ).status,
    ).toBe(200);
    // The referral is filed on the day it was created in the centre's zone (not UTC's: from 23:00 UTC the
    // UTC day would be yesterday in Paris, the report empty and the comparison below could not fail).
    const today = localDateOf(new Date(), "Europe/Paris");
    const report = `/api/reports/referrals?centreId=${s.centreId}&from=${today}&to=${today}&disclosure=none`;
    const before = await api("GET", report, { as: s.coordinator });
    expect(figure(before.body.total)).toBe(1);

    const erased = await api("POST", `/api/referrals/${s.id}/erase`, { as: s.coordinator });
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body).toMatchObject({
      contact: null,
      note: null,
      statusNote: null,
      partnerReference: null,
      status: "accepted",
    });
    expect(erased.body.erasedAt).not.toBeNull();

    const stored = JSON.stringify([
      await db.select().from(referrals).where(eq(referrals.id, s.id)),
      await db.select().from(referralHistory).where(eq(referralHistory.referralId, s.id)),
      await db.select().from(consents).where(eq(consents.referralId, s.id)),
      await db.select().from(auditLog).where(eq(auditLog.entityId, s.id)),
      (await api("GET", `/api/referrals/${s.id}/history`, { as: s.coordinator })).body,
    ]);
    for (const text of ["Ahmad", "Gare du Nord", "Haddad", "SAMU-ahmad", "12 34", '"prs"']) {
      expect(stored).not.toContain(text);
    }
    const [consent] = await db.select().from(consents).where(eq(consents.referralId, s.id));
    expect(consent?.withdrawnAt).not.toBeNull();
    // Counts stay: the referral is still one accepted health referral in the centre's figures.
    const after = await api("GET", report, { as: s.coordinator });
    expect(after.body.total).toEqual(before.body.total);
    expect(after.body.funnel).toEqual(before.body.funnel);

    const [logged] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, s.id), eq(auditLog.action, "erase")));
    expect(logged).toMatchObject({ actorType: "user", actorId: s.coordinator.userId });
    expect(logged?.diff).toMatchObject({
      after: {
        erasedFields: ["contact", "note", "statusNote", "partnerReference"],
        erasedHistoryNotes: 1,
        consentWithdrawn: true,
      },
    });
    const timeline = await api("GET", `/api/referrals/${s.id}/history`, { as: s.coordinator });
    expect(timeline.body.items.at(-1)).toMatchObject({ event: "erased", to: "accepted", note: null });
    // The partner, who could see the details, is told consent is gone.
    expect(await withdrawalEvents(s.endpointId, s.secret)).toHaveLength(1);

    // Erasing again changes nothing and logs nothing; a later note from the partner is not kept.
    expect((await api("POST", `/api/referrals/${s.id}/erase`, { as: s.coordinator })).status).toBe(200);
    expect(
      await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, s.id), eq(auditLog.action, "erase"))),
    ).toHaveLength(1);
    const later = await move(s.token, s.id, { status: "in-progress", note: "Ahmad moved to room 4" });
    expect(later.status).toBe(200);
    const viaWebhook = await deliver(
      s.partnerId,
      s.secret,
      message(statusChanged(s.id, "completed", new Date(), { note: "Ahmad housed in Lyon" })),
    );
    expect(viaWebhook.status, JSON.stringify(viaWebhook.body)).toBe(200);
    const kept = JSON.stringify([
      await db.select().from(referrals).where(eq(referrals.id, s.id)),
      await db.select().from(referralHistory).where(eq(referralHistory.referralId, s.id)),
      await db.select().from(inboundWebhooks).where(eq(inboundWebhooks.referralId, s.id)),
    ]);
    expect(kept).toContain("completed");
    expect(kept).not.toContain("Ahmad");
  });

  it("is for the centre's coordinators and admins only", async () => {
    const s = await sharedWithEndpoint();
    const erase = (as?: Caller) => api("POST", `/api/referrals/${s.id}/erase`, as ? { as } : {});
    expect((await erase(s.token)).status).toBe(403);
    expect((await erase(await signedIn("reception", { centreId: s.centreId }))).status).toBe(403);
    expect((await erase(await signedIn("observer", { centreId: s.centreId }))).status).toBe(403);
    expect((await erase(await signedIn("coordinator", { centreId: await givenCentre() }))).status).toBe(404);
    expect((await erase()).status).toBe(401);
    expect((await api("POST", "/api/referrals/nope/erase", { as: s.coordinator })).status).toBe(404);
    expect((await api("GET", `/api/referrals/${s.id}`, { as: s.coordinator })).body).toMatchObject({
      contact,
      note,
    });
    const document = await api("GET", "/api/openapi.json");
    const erasePath = document.body.paths["/api/referrals/{referralId}/erase"].post;
    const withdrawPath = document.body.paths["/api/referrals/{referralId}/consent/withdraw"].post;
    expect(Object.keys(erasePath.responses)).toEqual(expect.arrayContaining(["200", "401", "403", "404"]));
    expect(Object.keys(withdrawPath.responses)).toEqual(expect.arrayContaining(["200", "400", "409", "422"]));
  });
});
