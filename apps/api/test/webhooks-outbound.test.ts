import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { insertWebhookDelivery, webhookDeliveries } from "@halte/db";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../src/ids.js";
import {
  consumeWebhookQueue,
  MAX_DELIVERY_ATTEMPTS,
  type OutboundWebhookMessage,
  retryDelaySeconds,
} from "../src/routes/webhooks/delivery.js";
import { api, type Caller, db, partnerToken } from "./helpers.js";
import { givenSentReferral, givenWebhookPartner } from "./webhooks-helpers.js";

/**
 * A partner's receiver, as a fetch handler: it checks each request with the reference library and answers
 * with the statuses it is told to, in turn (the last one repeats).
 */
function receiver(secret: string, statuses: number[]) {
  const seen: Array<{ id: string; status: number; verified: boolean; body: unknown }> = [];
  const handler = async (request: Request) => {
    const body = await request.text();
    let verified = false;
    try {
      new Webhook(secret).verify(body, Object.fromEntries(request.headers));
      verified = true;
    } catch {
      verified = false;
    }
    const status = statuses[Math.min(seen.length, statuses.length - 1)] ?? 500;
    seen.push({ id: request.headers.get("webhook-id") ?? "", status, verified, body: JSON.parse(body) });
    return new Response(null, { status });
  };
  return { handler, seen };
}

async function givenEndpoint(admin: Caller, partnerId: string): Promise<string> {
  const response = await api("POST", `/api/partners/${partnerId}/webhook-endpoints`, {
    as: admin,
    body: { url: "https://partner.example/halte" },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.id;
}

/** A delivery written straight to D1, so nothing else (the real queue) attempts it meanwhile. */
async function givenDelivery(centreId: string, endpointId: string): Promise<string> {
  const id = uuidv7(new Date());
  await insertWebhookDelivery(db, {
    id,
    centreId,
    endpointId,
    eventType: "referral.status_changed",
    referralId: null,
    payload: { type: "referral.status_changed", data: { referralId: "r-1", status: "requested" } },
    status: "pending",
    attempts: 0,
    createdAt: new Date().toISOString(),
    lastAttemptAt: null,
    deliveredAt: null,
  });
  return id;
}

/** Runs the `queue()` consumer on one message at its n-th attempt, as the platform would. */
async function consume(deliveryId: string, attempts: number, fetch: (request: Request) => Promise<Response>) {
  const batch = createMessageBatch<OutboundWebhookMessage>("halte-webhooks", [
    { id: `m-${deliveryId}-${attempts}`, timestamp: new Date(), attempts, body: { deliveryId } },
  ]);
  const ctx = createExecutionContext();
  await consumeWebhookQueue(batch, env, { fetch, now: () => new Date() });
  return getQueueResult(batch, ctx);
}

async function deliveryLog(admin: Caller, endpointId: string, deliveryId: string) {
  const page = await api("GET", `/api/webhook-endpoints/${endpointId}/deliveries`, { as: admin });
  expect(page.status).toBe(200);
  return page.body.items.find((d: { id: string }) => d.id === deliveryId);
}

describe("outbound webhooks", () => {
  it("queues a minimised, consent-free event when a referral is sent to a partner with an endpoint", async () => {
    const { centreId, partnerId, admin } = await givenWebhookPartner();
    const endpointId = await givenEndpoint(admin, partnerId);
    const created = await api("POST", "/api/referrals", {
      as: admin,
      body: {
        centreId,
        partnerId,
        need: "health",
        note: "Needs an interpreter in Dari",
        contact: { name: "Ahmad K.", phone: "+33 6 12 34 56 78" },
        consent: {
          givenAt: new Date().toISOString(),
          method: "verbal",
          scopes: ["store_contact", "share_with_partner"],
        },
        send: true,
      },
    });
    expect(created.status).toBe(201);
    const [delivery] = await db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, endpointId));
    expect(delivery?.referralId).toBe(created.body.id);
    const payload = JSON.stringify(delivery?.payload);
    expect(payload).not.toContain("Ahmad");
    expect(payload).not.toContain("12 34");
    expect(payload).not.toContain("interpreter");
    expect(delivery?.payload).toMatchObject({
      type: "referral.status_changed",
      data: {
        referralId: created.body.id,
        status: "requested",
        previousStatus: "draft",
        need: "health",
        hasContact: true,
      },
    });
  });

  it("retries with growing delays until the receiver answers, which then sees exactly one success", async () => {
    const { centreId, partnerId, admin, secret } = await givenWebhookPartner();
    const endpointId = await givenEndpoint(admin, partnerId);
    const deliveryId = await givenDelivery(centreId, endpointId);
    const partner = receiver(secret, [500, 503, 429, 204]);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const result = await consume(deliveryId, attempt, partner.handler);
      // The test batch records that the message was retried; the delay it asked for is checked below.
      expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual([
        `m-${deliveryId}-${attempt}`,
      ]);
    }
    const done = await consume(deliveryId, 4, partner.handler);
    expect(done.explicitAcks).toEqual([`m-${deliveryId}-4`]);
    // A redelivered message after success changes nothing and calls nobody.
    await consume(deliveryId, 5, partner.handler);

    expect(partner.seen.map((s) => s.status)).toEqual([500, 503, 429, 204]);
    expect(partner.seen.filter((s) => s.status < 300)).toHaveLength(1);
    expect(partner.seen.every((s) => s.verified && s.id === deliveryId)).toBe(true);
    const log = await deliveryLog(admin, endpointId, deliveryId);
    expect(log.status).toBe("delivered");
    expect(
      log.log.map((a: { attempt: number; responseStatus: number }) => [a.attempt, a.responseStatus]),
    ).toEqual([
      [1, 500],
      [2, 503],
      [3, 429],
      [4, 204],
    ]);
    expect(log.log.every((a: { latencyMs: number }) => a.latencyMs >= 0)).toBe(true);
    expect(log).not.toHaveProperty("payload");
  });

  it("ends in the dead-letter queue when the receiver always fails, and can be re-sent by an admin", async () => {
    const { centreId, partnerId, admin, secret } = await givenWebhookPartner();
    const endpointId = await givenEndpoint(admin, partnerId);
    const deliveryId = await givenDelivery(centreId, endpointId);
    const failing = receiver(secret, [500]);
    let last: Awaited<ReturnType<typeof consume>> | undefined;
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
      last = await consume(deliveryId, attempt, failing.handler);
    }
    // The last failure is handed back to the platform without a delay: with `max_retries` spent, it moves the
    // message to the dead-letter queue.
    expect(last?.retryMessages).toEqual([{ msgId: `m-${deliveryId}-${MAX_DELIVERY_ATTEMPTS}` }]);
    const dead = await deliveryLog(admin, endpointId, deliveryId);
    expect(dead.status).toBe("dead");
    expect(dead.log).toHaveLength(MAX_DELIVERY_ATTEMPTS);

    const resent = await api("POST", `/api/webhook-deliveries/${deliveryId}/resend`, { as: admin });
    expect(resent.status).toBe(202);
    const healed = receiver(secret, [200]);
    await consume(deliveryId, 1, healed.handler);
    expect(healed.seen).toHaveLength(1);
    expect((await deliveryLog(admin, endpointId, deliveryId)).status).toBe("delivered");
  });

  it("disables an endpoint that answers 410 Gone, and sends it nothing more", async () => {
    const { centreId, partnerId, admin, secret } = await givenWebhookPartner();
    const endpointId = await givenEndpoint(admin, partnerId);
    const deliveryId = await givenDelivery(centreId, endpointId);
    const gone = receiver(secret, [410]);
    const result = await consume(deliveryId, 1, gone.handler);
    expect(result.explicitAcks).toHaveLength(1);
    const endpoints = await api("GET", `/api/partners/${partnerId}/webhook-endpoints`, { as: admin });
    expect(endpoints.body.items[0]).toMatchObject({ id: endpointId, disabledReason: "gone" });
    expect((await deliveryLog(admin, endpointId, deliveryId)).status).toBe("failed");

    await givenSentReferral(admin, centreId, partnerId);
    const rows = await db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, endpointId));
    expect(rows).toHaveLength(1);
    const resend = await api("POST", `/api/webhook-deliveries/${deliveryId}/resend`, { as: admin });
    expect(resend.status).toBe(409);
  });

  it("stops sending to an endpoint an admin disables", async () => {
    const { centreId, partnerId, admin } = await givenWebhookPartner();
    const endpointId = await givenEndpoint(admin, partnerId);
    const disabled = await api("POST", `/api/webhook-endpoints/${endpointId}/disable`, { as: admin });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ disabledReason: "manual" });
    await givenSentReferral(admin, centreId, partnerId);
    const rows = await db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, endpointId));
    expect(rows).toHaveLength(0);
    const again = await api("POST", `/api/webhook-endpoints/${endpointId}/disable`, { as: admin });
    expect(again.status).toBe(409);
  });

  it("refuses an endpoint that is not https", async () => {
    const { partnerId, admin } = await givenWebhookPartner();
    const response = await api("POST", `/api/partners/${partnerId}/webhook-endpoints`, {
      as: admin,
      body: { url: "http://partner.example/halte" },
    });
    expect(response.status).toBe(422);
  });
});

describe("retry schedule", () => {
  it("grows from 30 seconds to 8 hours and spans more than 15 hours before the dead-letter queue", () => {
    const delays = Array.from({ length: MAX_DELIVERY_ATTEMPTS - 1 }, (_, i) => retryDelaySeconds(i + 1));
    expect(delays).toEqual([30, 120, 600, 1800, 3600, 7200, 14_400, 28_800]);
    expect(delays.reduce((a, b) => a + b, 0)).toBeGreaterThan(15 * 3600);
    expect(retryDelaySeconds(99)).toBe(28_800);
  });
});

describe("partner pull API", () => {
  it("lets a partner list its referrals with its token and acknowledge them, once", async () => {
    const { centreId, partnerId, admin } = await givenWebhookPartner();
    const referralId = await givenSentReferral(admin, centreId, partnerId);
    const token = await partnerToken(centreId, partnerId);
    const list = await api("GET", "/api/referrals", { as: token });
    expect(list.body.items.map((r: { id: string }) => r.id)).toContain(referralId);
    const first = await api("POST", `/api/referrals/${referralId}/acknowledge`, { as: token });
    expect(first.status).toBe(200);
    const again = await api("POST", `/api/referrals/${referralId}/acknowledge`, { as: token });
    expect(again.body).toEqual(first.body);
    const newer = await givenSentReferral(admin, centreId, partnerId);
    const waiting = await api("GET", "/api/referrals?acknowledged=false", { as: token });
    expect(waiting.body.items.map((r: { id: string }) => r.id)).toEqual([newer]);
    const picked = await api("GET", "/api/referrals?acknowledged=true", { as: token });
    expect(picked.body.items.map((r: { id: string }) => r.id)).toEqual([referralId]);

    const other = await givenWebhookPartner();
    const stranger = await partnerToken(other.centreId, other.partnerId);
    expect((await api("POST", `/api/referrals/${referralId}/acknowledge`, { as: stranger })).status).toBe(
      404,
    );
  });
});
