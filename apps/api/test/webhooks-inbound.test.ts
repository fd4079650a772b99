import { env } from "cloudflare:workers";
import { auditLog, inboundWebhooks, referralHistory, referrals, webhookSecrets } from "@halte/db";
import { and, asc, eq, inArray } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { beforeAll, describe, expect, it } from "vitest";
import { api, type Caller, callHandler, countingD1, db, signedIn } from "./helpers.js";
import {
  deliver,
  givenSentReferral,
  givenSentReferrals,
  givenWebhookPartner,
  type Message,
  message,
  signWithCore,
  signWithReference,
  statusChanged,
} from "./webhooks-helpers.js";

let centreId: string;
let partnerId: string;
let admin: Caller;
let secret: string;

beforeAll(async () => {
  ({ centreId, partnerId, admin, secret } = await givenWebhookPartner());
});

const soon = (seconds: number) => new Date(Date.now() + seconds * 1000);

async function referralStatus(id: string): Promise<string> {
  const response = await api("GET", `/api/referrals/${id}`, { as: admin });
  return response.body.status;
}

async function acceptMessage(): Promise<{ referralId: string; m: Message }> {
  const referralId = await givenSentReferral(admin, centreId, partnerId);
  return { referralId, m: message(statusChanged(referralId, "accepted", soon(1))) };
}

describe("inbound partner webhooks: interoperability with the standardwebhooks library", () => {
  it("accepts a message signed by the reference library and moves the referral", async () => {
    const { referralId, m } = await acceptMessage();
    const response = await deliver(partnerId, secret, m);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({
      webhookId: m.id,
      type: "referral.status_changed",
      outcome: "applied",
      referral: { id: referralId, status: "accepted", version: 2 },
    });
    expect(await referralStatus(referralId)).toBe("accepted");
    const history = await api("GET", `/api/referrals/${referralId}/history`, { as: admin });
    expect(history.body.items.map((h: { to: string; actor: string }) => [h.to, h.actor])).toEqual([
      ["requested", "centre"],
      ["accepted", "partner"],
    ]);
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.entity, "referral"),
          eq(auditLog.entityId, referralId),
          eq(auditLog.actorType, "partner_webhook"),
        ),
      );
    expect(audit?.actorId).toBe(partnerId);
  });

  it("signs the way the reference library verifies", async () => {
    const m = message({ type: "service.capacity_changed", data: { hello: "world" } });
    const signature = await signWithCore([secret], m);
    expect(signature).toBe(signWithReference(secret, m));
    const verified = new Webhook(secret).verify(m.body, {
      "webhook-id": m.id,
      "webhook-timestamp": String(m.timestamp),
      "webhook-signature": signature,
    });
    expect(verified).toEqual(JSON.parse(m.body));
  });

  it("accepts several signatures when one of them matches (key rotation on the sender's side)", async () => {
    const { referralId, m } = await acceptMessage();
    const other = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const signature = `${signWithReference(other, m)} ${signWithReference(secret, m)}`;
    const response = await deliver(partnerId, secret, m, { signature });
    expect(response.status).toBe(200);
    expect(await referralStatus(referralId)).toBe("accepted");
  });
});

describe("inbound partner webhooks: refusals", () => {
  async function expectRefused(
    // biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely
    result: { status: number; headers: Headers; body: any },
    status: number,
    code: string,
    referralId?: string,
  ) {
    expect(result.status, JSON.stringify(result.body)).toBe(status);
    expect(result.headers.get("content-type")).toBe("application/problem+json");
    expect(result.body.code).toBe(code);
    if (referralId) expect(await referralStatus(referralId)).toBe("requested");
  }

  it("refuses a tampered body", async () => {
    const { referralId, m } = await acceptMessage();
    const signature = signWithReference(secret, m);
    const tampered = m.body.replace("accepted", "rejected");
    await expectRefused(
      await deliver(partnerId, secret, { ...m, body: tampered }, { signature }),
      401,
      "unauthenticated",
      referralId,
    );
  });

  it("refuses a tampered webhook-id", async () => {
    const { referralId, m } = await acceptMessage();
    const result = await deliver(partnerId, secret, m, { sent: { id: `${m.id}x` } });
    await expectRefused(result, 401, "unauthenticated", referralId);
  });

  it("refuses a tampered webhook-timestamp", async () => {
    const { referralId, m } = await acceptMessage();
    const result = await deliver(partnerId, secret, m, { sent: { timestamp: m.timestamp + 1 } });
    await expectRefused(result, 401, "unauthenticated", referralId);
  });

  it("refuses a message signed with a wrong secret", async () => {
    const { referralId, m } = await acceptMessage();
    const signature = signWithReference("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", m);
    await expectRefused(
      await deliver(partnerId, secret, m, { signature }),
      401,
      "unauthenticated",
      referralId,
    );
  });

  it("refuses an expired timestamp (6 minutes old, correctly signed)", async () => {
    const { referralId, m } = await acceptMessage();
    const old = { ...m, timestamp: m.timestamp - 360 };
    await expectRefused(await deliver(partnerId, secret, old), 401, "unauthenticated", referralId);
  });

  it("refuses a future timestamp (6 minutes ahead, correctly signed)", async () => {
    const { referralId, m } = await acceptMessage();
    const ahead = { ...m, timestamp: m.timestamp + 360 };
    await expectRefused(await deliver(partnerId, secret, ahead), 401, "unauthenticated", referralId);
  });

  for (const header of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
    it(`refuses a message without ${header}`, async () => {
      const { referralId, m } = await acceptMessage();
      const result = await deliver(partnerId, secret, m, { headers: { [header]: undefined } });
      await expectRefused(result, 401, "unauthenticated", referralId);
      expect(result.body.detail).toContain(header);
    });
  }

  it("refuses a malformed signature header", async () => {
    const { referralId, m } = await acceptMessage();
    const bare = signWithReference(secret, m).slice(3); // the base64 without "v1,"
    await expectRefused(
      await deliver(partnerId, secret, m, { signature: bare }),
      401,
      "unauthenticated",
      referralId,
    );
  });

  it("refuses a message signed with a revoked secret", async () => {
    const own = await givenWebhookPartner();
    const referralId = await givenSentReferral(own.admin, own.centreId, own.partnerId);
    const m = message(statusChanged(referralId, "accepted", soon(1)));
    const revoked = await api("POST", `/api/webhook-secrets/${own.secretId}/revoke`, { as: own.admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const result = await deliver(own.partnerId, own.secret, m);
    expect(result.status).toBe(401);
  });

  it("refuses a message signed with another partner's secret", async () => {
    const other = await givenWebhookPartner();
    const { referralId, m } = await acceptMessage();
    await expectRefused(await deliver(partnerId, other.secret, m), 401, "unauthenticated", referralId);
  });

  it("answers 404 for an unknown partner", async () => {
    const { m } = await acceptMessage();
    const result = await deliver("no-such-partner", secret, m);
    expect(result.status).toBe(404);
    expect(result.body.code).toBe("not_found");
  });

  it("answers 415 for a body that is not JSON", async () => {
    const { referralId, m } = await acceptMessage();
    await expectRefused(
      await deliver(partnerId, secret, m, { contentType: "text/plain" }),
      415,
      "unsupported_media_type",
      referralId,
    );
  });

  it("answers 413 for a body over 20 kB, before verifying it", async () => {
    const referralId = await givenSentReferral(admin, centreId, partnerId);
    const big = message(statusChanged(referralId, "accepted", soon(1), { note: "x".repeat(21 * 1024) }));
    await expectRefused(await deliver(partnerId, secret, big), 413, "payload_too_large", referralId);
  });

  it("answers 400 for a signed body that is not JSON", async () => {
    const m = message(null, { body: "{not json" });
    await expectRefused(await deliver(partnerId, secret, m), 400, "malformed_request");
  });

  it("answers 400 with field errors for an event outside the catalogue", async () => {
    const referralId = await givenSentReferral(admin, centreId, partnerId);
    const m = message({
      type: "referral.status_changed",
      data: { referralId, status: "sideways", extra: 1 },
    });
    const result = await deliver(partnerId, secret, m);
    await expectRefused(result, 400, "malformed_request", referralId);
    expect(result.body.errors.map((e: { path: string[] }) => e.path.join("."))).toEqual(
      expect.arrayContaining(["data.status", "data.occurredAt", "data.extra"]),
    );
  });

  it("answers 400 for a rejection without a reason", async () => {
    const referralId = await givenSentReferral(admin, centreId, partnerId);
    const m = message(statusChanged(referralId, "rejected", soon(1)));
    await expectRefused(await deliver(partnerId, secret, m), 400, "malformed_request", referralId);
  });

  it("answers 404 for a referral of another partner", async () => {
    const other = await givenWebhookPartner();
    const referralId = await givenSentReferral(other.admin, other.centreId, other.partnerId);
    const m = message(statusChanged(referralId, "accepted", soon(1)));
    const result = await deliver(partnerId, secret, m);
    expect(result.status).toBe(404);
    expect(await referralStatus(referralId)).toBe("requested");
  });

  it("answers 409 for an illegal transition, records it, and does not apply it", async () => {
    const referralId = await givenSentReferral(admin, centreId, partnerId);
    const m = message(statusChanged(referralId, "completed", soon(1)));
    const result = await deliver(partnerId, secret, m);
    await expectRefused(result, 409, "illegal_transition", referralId);
    const [row] = await db.select().from(inboundWebhooks).where(eq(inboundWebhooks.webhookId, m.id));
    expect(row?.outcome).toBe("pending");
    // The same delivery again gets the same answer.
    const again = await deliver(partnerId, secret, m);
    expect(again.status).toBe(409);
    expect(again.body).toEqual(result.body);
  });
});

describe("inbound partner webhooks: idempotency and order", () => {
  it("answers a repeated webhook-id with the first answer and changes nothing", async () => {
    const { referralId, m } = await acceptMessage();
    const first = await deliver(partnerId, secret, m);
    const second = await deliver(partnerId, secret, m);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    const history = await api("GET", `/api/referrals/${referralId}/history`, { as: admin });
    expect(history.body.items).toHaveLength(2);
  });

  it("applies a change that arrived before the step it needs once that step arrives", async () => {
    const referralId = await givenSentReferral(admin, centreId, partnerId);
    const started = await deliver(
      partnerId,
      secret,
      message(statusChanged(referralId, "in-progress", soon(2))),
    );
    expect(started.status).toBe(409);
    const accepted = await deliver(
      partnerId,
      secret,
      message(statusChanged(referralId, "accepted", soon(1))),
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.referral.status).toBe("in-progress");
    expect(await referralStatus(referralId)).toBe("in-progress");
  });

  it("leaves an older change superseded when a newer one was applied", async () => {
    const referralId = await givenSentReferral(admin, centreId, partnerId);
    await deliver(partnerId, secret, message(statusChanged(referralId, "accepted", soon(1))));
    await deliver(partnerId, secret, message(statusChanged(referralId, "in-progress", soon(3))));
    const late = await deliver(partnerId, secret, message(statusChanged(referralId, "on-hold", soon(2))));
    expect(late.status).toBe(200);
    expect(late.body.outcome).toBe("superseded");
    expect(await referralStatus(referralId)).toBe("in-progress");
  });

  it("settles 200 deliveries sent twice, shuffled and concurrently, with one history line per real change", async () => {
    // Each step is legal only once the one before it has applied, so whatever the arrival order, the state
    // machine and occurredAt rebuild the whole journey.
    const journeys: string[][] = [
      ["accepted", "in-progress", "completed"],
      ["rejected"],
      ["accepted", "failed"],
      ["accepted", "in-progress"],
    ];
    const reasons: Record<string, string> = { rejected: "at_capacity", failed: "no_show" };
    const counts = journeys.map((j) => j.length);
    const perRound = counts.reduce((a, b) => a + b, 0);
    const rounds = Math.ceil(200 / perRound);
    const referralIds = await givenSentReferrals(centreId, partnerId, rounds * journeys.length);
    // The partner's changes happen after the referrals reached it.
    const base = Date.now() + 1000;
    const expected = referralIds.map((referralId, index) => ({
      referralId,
      journey: journeys[index % journeys.length] as string[],
    }));
    const messages: Message[] = expected.flatMap(({ referralId, journey }) =>
      journey.map((status, step) => {
        const extra = reasons[status] ? { reason: reasons[status] } : {};
        return message(statusChanged(referralId, status, new Date(base + step * 1000), extra));
      }),
    );
    expect(messages.length).toBeGreaterThanOrEqual(200);
    const deliveries = [...messages, ...messages].sort(() => Math.random() - 0.5);
    const results = await Promise.all(deliveries.map((m) => deliver(partnerId, secret, m)));
    for (const result of results) expect([200, 409], JSON.stringify(result.body)).toContain(result.status);

    const rows = await db
      .select({ id: referrals.id, status: referrals.status })
      .from(referrals)
      .where(inArray(referrals.id, referralIds));
    const statuses = new Map(rows.map((r) => [r.id, r.status]));
    const lines = await db
      .select({ referralId: referralHistory.referralId, to: referralHistory.toStatus })
      .from(referralHistory)
      .where(inArray(referralHistory.referralId, referralIds))
      .orderBy(asc(referralHistory.id));
    for (const { referralId, journey } of expected) {
      expect(statuses.get(referralId)).toBe(journey.at(-1));
      expect(lines.filter((l) => l.referralId === referralId).map((l) => l.to)).toEqual([
        "requested",
        ...journey,
      ]);
    }
  }, 120_000);
});

describe("inbound partner webhooks: services", () => {
  let serviceId: string;
  beforeAll(async () => {
    const schedule = {
      timeZone: "Europe/Paris",
      weekly: [{ weekday: 1, opensAt: "08:00", closesAt: "19:00" }],
      exceptions: [],
    };
    const service = await api("POST", "/api/services", {
      as: admin,
      body: {
        centreId,
        organizationId: partnerId,
        name: "Maraude",
        category: "accommodation_orientation",
        schedule,
      },
    });
    if (service.status !== 201) throw new Error(JSON.stringify(service.body));
    serviceId = service.body.id;
  });

  it("records a partner's bulk count of uses (service_use.reported), once per webhook-id", async () => {
    const m = message({
      type: "service_use.reported",
      data: {
        serviceId,
        usedAt: "2026-11-28T15:00:00+01:00",
        quantity: 14,
        occurredAt: new Date().toISOString(),
      },
    });
    const first = await deliver(partnerId, secret, m);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const again = await deliver(partnerId, secret, m);
    expect(again.body).toEqual(first.body);
    const uses = await api("GET", `/api/service-uses?centreId=${centreId}&serviceId=${serviceId}`, {
      as: admin,
    });
    expect(uses.body.items).toHaveLength(1);
    expect(uses.body.items[0]).toMatchObject({ quantity: 14, source: "partner_report", partnerId });
  });

  it("takes one D1 round trip for a report once the isolate holds the partner's secret: the write checks it is live", async () => {
    // The first message of a secret in an isolate reads partner, secrets, earlier answer and services (a second
    // round trip, counted in test/round-trips.test.ts); this one makes sure the partner is held.
    const warmUp = message({
      type: "service_use.reported",
      data: {
        serviceId,
        usedAt: "2026-11-28T15:00:00+01:00",
        quantity: 1,
        occurredAt: new Date().toISOString(),
      },
    });
    expect(
      (
        await callHandler("POST", `/api/webhooks/partners/${partnerId}`, {
          body: warmUp.body,
          headers: {
            "webhook-id": warmUp.id,
            "webhook-timestamp": String(warmUp.timestamp),
            "webhook-signature": signWithReference(secret, warmUp),
          },
        })
      ).status,
    ).toBe(200);
    const m = message({
      type: "service_use.reported",
      data: {
        serviceId,
        usedAt: "2026-11-28T15:00:00+01:00",
        quantity: 3,
        occurredAt: new Date().toISOString(),
      },
    });
    const count = { roundTrips: 0 };
    const response = await callHandler("POST", `/api/webhooks/partners/${partnerId}`, {
      body: m.body,
      headers: {
        "webhook-id": m.id,
        "webhook-timestamp": String(m.timestamp),
        "webhook-signature": signWithReference(secret, m),
      },
      bindings: { DB: countingD1(env.DB, count) },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(count.roundTrips).toBe(1);
    const other = message({
      type: "service_use.reported",
      data: {
        serviceId: "not-this-partners",
        usedAt: "2026-11-28T15:00:00+01:00",
        quantity: 3,
        occurredAt: new Date().toISOString(),
      },
    });
    const refused = await deliver(partnerId, secret, other);
    expect(refused.status).toBe(404);
  });

  it("keeps the latest capacity by occurredAt (service.capacity_changed)", async () => {
    const capacity = (available: number, at: Date) =>
      message({
        type: "service.capacity_changed",
        data: { serviceId, day: "2026-11-28", available, occurredAt: at.toISOString() },
      });
    // Both instants are taken before either delivery, so a slow first delivery cannot reorder them.
    const [first, second] = [soon(2), soon(1)];
    const newer = await deliver(partnerId, secret, capacity(0, first));
    expect(newer.body.outcome).toBe("applied");
    const older = await deliver(partnerId, secret, capacity(5, second));
    expect(older.body.outcome).toBe("superseded");
    const shown = await api("GET", `/api/services/${serviceId}/capacity?date=2026-11-28`, { as: admin });
    expect(shown.body.partnerReport).toMatchObject({ available: 0 });
  });

  it("refuses a report about another organisation's service", async () => {
    const other = await givenWebhookPartner();
    const m = message({
      type: "service_use.reported",
      data: {
        serviceId,
        usedAt: new Date().toISOString(),
        quantity: 1,
        occurredAt: new Date().toISOString(),
      },
    });
    expect((await deliver(other.partnerId, other.secret, m)).status).toBe(404);
  });
});

describe("webhook secrets", () => {
  it("shows a secret once, stores it encrypted, and never lists it", async () => {
    const own = await givenWebhookPartner();
    expect(own.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const [row] = await db.select().from(webhookSecrets).where(eq(webhookSecrets.id, own.secretId));
    expect(row?.ciphertext).not.toContain(own.secret.slice(6, 20));
    const list = await api("GET", `/api/partners/${own.partnerId}/webhook-secrets`, { as: own.admin });
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(own.secret.slice(6));
    expect(list.body.items[0]).not.toHaveProperty("ciphertext");
  });

  it("rotates with an overlap: old and new both verify until the old one expires", async () => {
    const own = await givenWebhookPartner();
    const rotated = await api("POST", `/api/partners/${own.partnerId}/webhook-secrets`, {
      as: own.admin,
      body: { overlapMinutes: 60 },
    });
    expect(rotated.status).toBe(201);
    expect(rotated.body.rotated).toEqual([own.secretId]);
    for (const key of [own.secret, rotated.body.secret]) {
      const referralId = await givenSentReferral(own.admin, own.centreId, own.partnerId);
      const result = await deliver(
        own.partnerId,
        key,
        message(statusChanged(referralId, "accepted", soon(1))),
      );
      expect(result.status).toBe(200);
    }
    // A rotation with no overlap ends every earlier secret at once.
    const abrupt = await api("POST", `/api/partners/${own.partnerId}/webhook-secrets`, {
      as: own.admin,
      body: { overlapMinutes: 0 },
    });
    const referralId = await givenSentReferral(own.admin, own.centreId, own.partnerId);
    const m = message(statusChanged(referralId, "accepted", soon(1)));
    expect((await deliver(own.partnerId, rotated.body.secret, m)).status).toBe(401);
    expect((await deliver(own.partnerId, own.secret, m)).status).toBe(401);
    expect((await deliver(own.partnerId, abrupt.body.secret, m)).status).toBe(200);
  });

  it("lets only admins and coordinators manage secrets", async () => {
    const own = await givenWebhookPartner();
    const reception = await signedIn("reception", { centreId: own.centreId });
    const refused = await api("POST", `/api/partners/${own.partnerId}/webhook-secrets`, {
      as: reception,
      body: {},
    });
    expect(refused.status).toBe(403);
    const again = await api("POST", `/api/webhook-secrets/${own.secretId}/revoke`, { as: own.admin });
    expect(again.status).toBe(200);
    const twice = await api("POST", `/api/webhook-secrets/${own.secretId}/revoke`, { as: own.admin });
    expect(twice.status).toBe(409);
  });
});
