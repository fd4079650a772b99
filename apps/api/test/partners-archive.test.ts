// Archiving a partner ends every way its organisation reaches the centre's data, at once: its staff's
// sessions and sign-ins, its API tokens, and the webhooks we send it — checked when archiving, and again
// each time a session, token or delivery is used.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { apiTokens, insertWebhookDelivery, sessions, webhookDeliveries, webhookEndpoints } from "@halte/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createSession } from "../src/auth/sessions.js";
import { uuidv7 } from "../src/ids.js";
import { consumeWebhookQueue, type OutboundWebhookMessage } from "../src/routes/webhooks/delivery.js";
import { api, db, partnerToken, signedIn } from "./helpers.js";
import { givenWebhookPartner } from "./webhooks-helpers.js";

const contact = { name: "Ahmad K.", phone: "+33 6 12 34 56 78" };
const password = "correct horse battery staple";

async function archivedPartnerScene() {
  const { centreId, partnerId, admin } = await givenWebhookPartner();
  const coordinator = await signedIn("coordinator", { centreId });
  const staff = await signedIn("partner", { centreId, partnerId, password });
  const token = await partnerToken(centreId, partnerId);
  const endpoint = await api("POST", `/api/partners/${partnerId}/webhook-endpoints`, {
    as: admin,
    body: { url: "https://partner.example/halte" },
  });
  expect(endpoint.status).toBe(201);
  const created = await api("POST", "/api/referrals", {
    as: coordinator,
    body: {
      centreId,
      partnerId,
      need: "accommodation",
      contact,
      consent: {
        givenAt: new Date().toISOString(),
        method: "verbal",
        scopes: ["store_contact", "share_with_partner"],
      },
      send: true,
    },
  });
  expect(created.status).toBe(201);
  return {
    centreId,
    partnerId,
    coordinator,
    staff,
    token,
    endpointId: endpoint.body.id as string,
    id: created.body.id as string,
  };
}

/** A delivery queued for the endpoint and not yet attempted, written straight to D1. */
async function queuedDelivery(centreId: string, endpointId: string, referralId: string) {
  const id = uuidv7(new Date());
  await insertWebhookDelivery(db, {
    id,
    centreId,
    endpointId,
    eventType: "referral.status_changed",
    referralId,
    payload: { type: "referral.status_changed", data: { referralId, status: "requested" } },
    status: "pending",
    attempts: 0,
    createdAt: new Date().toISOString(),
    lastAttemptAt: null,
    deliveredAt: null,
  });
  return id;
}

async function consume(deliveryId: string, fetch: (request: Request) => Promise<Response>) {
  const batch = createMessageBatch<OutboundWebhookMessage>("halte-webhooks", [
    { id: `m-${deliveryId}`, timestamp: new Date(), attempts: 1, body: { deliveryId } },
  ]);
  await consumeWebhookQueue(batch, env, { fetch, now: () => new Date() });
  return getQueueResult(batch, createExecutionContext());
}

describe("archiving a partner", () => {
  it("ends its staff's sessions and sign-ins and its tokens at once", async () => {
    const s = await archivedPartnerScene();
    // Before: the partner's staff read the referral with the contact the person agreed to share.
    const before = await api("GET", `/api/referrals/${s.id}`, { as: s.staff });
    expect(before.status).toBe(200);
    expect(before.body.contact).toMatchObject(contact);

    expect((await api("POST", `/api/partners/${s.partnerId}/archive`, { as: s.coordinator })).status).toBe(
      200,
    );

    const read = await api("GET", `/api/referrals/${s.id}`, { as: s.staff });
    expect(read.status).toBe(401);
    expect(JSON.stringify(read.body)).not.toContain("Ahmad");
    expect((await api("GET", "/api/referrals", { as: s.staff })).status).toBe(401);
    const moved = await api("POST", `/api/referrals/${s.id}/status`, {
      as: s.staff,
      body: { status: "accepted" },
    });
    expect(moved.status).toBe(401);
    expect((await api("GET", `/api/referrals/${s.id}`, { as: s.token })).status).toBe(401);
    const login = await api("POST", "/api/auth/login", { body: { email: s.staff.email, password } });
    expect(login.status).toBe(401);
    expect(login.headers.get("set-cookie")).toBeNull();

    // The rows say so too: every session of its staff and every token is revoked.
    const staffSessions = await db.select().from(sessions).where(eq(sessions.userId, s.staff.userId));
    expect(staffSessions.length).toBeGreaterThan(0);
    expect(staffSessions.every((row) => row.revokedAt !== null)).toBe(true);
    const [token] = await db.select().from(apiTokens).where(eq(apiTokens.id, s.token.userId));
    expect(token?.revokedAt).not.toBeNull();
    // The referral did not move.
    expect((await api("GET", `/api/referrals/${s.id}`, { as: s.coordinator })).body.status).toBe("requested");
  });

  it("refuses a session of its staff at use time, even one that escaped the archive", async () => {
    const s = await archivedPartnerScene();
    expect((await api("POST", `/api/partners/${s.partnerId}/archive`, { as: s.coordinator })).status).toBe(
      200,
    );
    // A session written after the archive (a sign-in racing it) is refused all the same.
    const late = await createSession(db, s.staff.userId, new Date());
    await late.statement;
    const caller = {
      userId: s.staff.userId,
      headers: { cookie: `halte_session=${late.cookie}`, "x-csrf-token": late.csrfToken },
    };
    expect((await api("GET", `/api/referrals/${s.id}`, { as: caller })).status).toBe(401);
    expect((await api("GET", "/api/auth/session", { as: caller })).status).toBe(401);
    expect(
      (await api("POST", `/api/referrals/${s.id}/status`, { as: caller, body: { status: "accepted" } }))
        .status,
    ).toBe(401);
  });

  it("stops every webhook to it: endpoints disabled, queued deliveries not sent, no new ones", async () => {
    const s = await archivedPartnerScene();
    const queued = await queuedDelivery(s.centreId, s.endpointId, s.id);
    expect((await api("POST", `/api/partners/${s.partnerId}/archive`, { as: s.coordinator })).status).toBe(
      200,
    );

    const [endpoint] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, s.endpointId));
    expect(endpoint?.disabledAt).not.toBeNull();
    const sent: Request[] = [];
    const result = await consume(queued, async (request) => {
      sent.push(request);
      return new Response(null, { status: 204 });
    });
    expect(sent).toHaveLength(0);
    expect(result.explicitAcks).toHaveLength(1);
    const [delivery] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, queued));
    expect(delivery?.status).toBe("failed");

    // The centre still closes the referral on its side; the archived partner hears nothing of it.
    const before = await db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, s.endpointId));
    const cancelled = await api("POST", `/api/referrals/${s.id}/status`, {
      as: s.coordinator,
      body: { status: "cancelled" },
    });
    expect(cancelled.status).toBe(200);
    const after = await db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, s.endpointId));
    expect(after).toHaveLength(before.length);
  });

  it("does not send a delivery whose endpoint is still live once its partner is archived", async () => {
    const s = await archivedPartnerScene();
    const queued = await queuedDelivery(s.centreId, s.endpointId, s.id);
    expect((await api("POST", `/api/partners/${s.partnerId}/archive`, { as: s.coordinator })).status).toBe(
      200,
    );
    // As if the archive had missed the endpoint (written by a request racing it): delivery checks again.
    await db
      .update(webhookEndpoints)
      .set({ disabledAt: null, disabledReason: null })
      .where(eq(webhookEndpoints.id, s.endpointId));
    await db.update(webhookDeliveries).set({ status: "pending" }).where(eq(webhookDeliveries.id, queued));
    const sent: Request[] = [];
    await consume(queued, async (request) => {
      sent.push(request);
      return new Response(null, { status: 204 });
    });
    expect(sent).toHaveLength(0);
    const [delivery] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, queued));
    expect(delivery?.status).toBe("failed");
  });
});
