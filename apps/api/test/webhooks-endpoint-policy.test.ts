// Issue 12, finding 6: a webhook endpoint cannot point inside a network, and a delivery never follows a
// redirect there.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { insertWebhookDelivery, webhookEndpoints } from "@halte/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../src/ids.js";
import { consumeWebhookQueue, type OutboundWebhookMessage } from "../src/routes/webhooks/delivery.js";
import { api, type Caller, db } from "./helpers.js";
import { givenWebhookPartner } from "./webhooks-helpers.js";

function register(admin: Caller, partnerId: string, url: string) {
  return api("POST", `/api/partners/${partnerId}/webhook-endpoints`, { as: admin, body: { url } });
}

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

async function consume(deliveryId: string, fetch: (request: Request) => Promise<Response>) {
  const batch = createMessageBatch<OutboundWebhookMessage>("halte-webhooks", [
    { id: `m-${deliveryId}`, timestamp: new Date(), attempts: 1, body: { deliveryId } },
  ]);
  const ctx = createExecutionContext();
  await consumeWebhookQueue(batch, env, { fetch, now: () => new Date() });
  return getQueueResult(batch, ctx);
}

async function deliveryLog(admin: Caller, endpointId: string, deliveryId: string) {
  const page = await api("GET", `/api/webhook-endpoints/${endpointId}/deliveries`, { as: admin });
  return page.body.items.find((d: { id: string }) => d.id === deliveryId);
}

describe("registering a webhook endpoint", () => {
  const refused = [
    "https://localtest.me/halte",
    "https://anything.localtest.me/halte",
    "https://10.0.0.7.nip.io/halte",
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://printer.lan/",
    "https://partner.example:22/halte",
    "https://user:pass@partner.example/halte",
    "https://127.0.0.1/halte",
    "https://[::1]/halte",
    "https://localhost/halte",
    "http://partner.example/halte",
  ];
  it.each(refused)("refuses %s with 422 on the url field, and stores nothing", async (url) => {
    const { partnerId, admin } = await givenWebhookPartner();
    const response = await register(admin, partnerId, url);
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors[0].path).toEqual(["url"]);
    expect(response.body.errors[0].message.length).toBeGreaterThan(10);
    expect(await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.partnerId, partnerId))).toEqual(
      [],
    );
  });

  it("accepts a public https receiver", async () => {
    const { partnerId, admin } = await givenWebhookPartner();
    expect((await register(admin, partnerId, "https://hooks.partner.example/halte")).status).toBe(201);
  });
});

describe("delivering to a webhook endpoint", () => {
  it("does not follow a redirect: a 3xx is a failed attempt, and the redirect's target is never called", async () => {
    const { centreId, partnerId, admin } = await givenWebhookPartner();
    const endpoint = await register(admin, partnerId, "https://hooks.partner.example/halte");
    const deliveryId = await givenDelivery(centreId, endpoint.body.id);
    const reachedInside: string[] = [];
    // The runtime's fetch as it behaves: with `redirect: "follow"` it goes where `location` says.
    const network = async (request: Request): Promise<Response> => {
      if (new URL(request.url).hostname === "169.254.169.254") {
        reachedInside.push(request.url);
        return new Response("metadata", { status: 200 });
      }
      const moved = new Response(null, {
        status: 307,
        headers: { location: "http://169.254.169.254/latest/meta-data/" },
      });
      return request.redirect === "follow"
        ? network(new Request("http://169.254.169.254/latest/meta-data/", request))
        : moved;
    };
    const result = await consume(deliveryId, network);
    expect(reachedInside).toEqual([]);
    expect(result.retryMessages).toHaveLength(1);
    const log = await deliveryLog(admin, endpoint.body.id, deliveryId);
    expect(log.status).toBe("pending");
    expect(log.log).toEqual([expect.objectContaining({ responseStatus: 307, error: "redirect" })]);
  });

  it("never calls an endpoint stored before the rules that now points inside a network", async () => {
    const { centreId, partnerId, admin } = await givenWebhookPartner();
    const endpointId = uuidv7(new Date());
    const at = new Date().toISOString();
    await db.insert(webhookEndpoints).values({
      id: endpointId,
      centreId,
      partnerId,
      url: "https://metadata.google.internal/computeMetadata/v1/",
      createdAt: at,
      updatedAt: at,
      createdBy: null,
      disabledAt: null,
      disabledReason: null,
    });
    const deliveryId = await givenDelivery(centreId, endpointId);
    const called: string[] = [];
    const result = await consume(deliveryId, async (request) => {
      called.push(request.url);
      return new Response(null, { status: 204 });
    });
    expect(called).toEqual([]);
    expect(result.explicitAcks).toHaveLength(1);
    const log = await deliveryLog(admin, endpointId, deliveryId);
    expect(log.status).toBe("failed");
    expect(log.log).toEqual([expect.objectContaining({ responseStatus: null, error: "refused_url" })]);
  });
});
