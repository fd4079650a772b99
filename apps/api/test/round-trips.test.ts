// Issue 16: a door tap by a centre-bound caller (a door device, a reception session) costs one D1 round trip,
// its credential checked inside the write; a revoked credential never writes, even in the isolate that just
// wrote for it. Round trips are counted on the real local D1 (test/helpers.ts `countingD1`).
import { env } from "cloudflare:workers";
import { auditLog, centres, inboundWebhooks, services, serviceUses, sessions, visits } from "@halte/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../src/auth/crypto.js";
import {
  api,
  type Caller,
  callHandler,
  countingD1,
  db,
  givenCentre,
  givenPartner,
  signedIn,
} from "./helpers.js";
import { givenService } from "./visits-helpers.js";
import { givenWebhookPartner, type Message, message, signWithReference } from "./webhooks-helpers.js";

let sequence = 0;
const tap = (centreId: string, uses: { serviceId: string }[] = []) => ({
  centreId,
  arrivedAt: "2026-11-28T09:00:00Z",
  idempotencyKey: `trip-${Date.now()}-${++sequence}`,
  uses,
});

async function counted(as: Caller, body: unknown, path = "/api/visits") {
  const count = { roundTrips: 0 };
  const answer = await callHandler("POST", path, {
    as,
    body: JSON.stringify(body),
    bindings: { DB: countingD1(env.DB, count) },
  });
  return { ...answer, roundTrips: count.roundTrips };
}

async function doorDevice() {
  const centreId = await givenCentre();
  const partnerId = await givenPartner(centreId);
  const shower = await givenService(centreId, partnerId);
  const coordinator = await signedIn("coordinator", { centreId });
  const answer = await api("POST", "/api/door-devices", {
    as: coordinator,
    body: { centreId, name: "Tablet at the gate" },
  });
  expect(answer.status).toBe(201);
  const secret = /halte_door=([^;]+)/.exec(answer.headers.get("set-cookie") ?? "")?.[1] ?? "";
  const device: Caller = {
    userId: answer.body.device.id,
    headers: { cookie: `halte_door=${secret}`, "x-csrf-token": answer.body.csrfToken },
  };
  return { centreId, shower, coordinator, device };
}

describe("the door tap's round trips", () => {
  it("costs one D1 round trip for a door device once the isolate knows the centre, and writes it all", async () => {
    const { centreId, shower, device } = await doorDevice();
    // The first tap of a centre in an isolate reads the centre (its time zone) the ordinary way.
    expect((await counted(device, tap(centreId))).status).toBe(201);

    const answer = await counted(device, tap(centreId, [{ serviceId: shower }]));
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.roundTrips).toBe(1);
    const id = (answer.body as { id: string }).id;
    const [visit] = await db.select().from(visits).where(eq(visits.id, id));
    expect(visit).toMatchObject({
      centreId,
      localDay: "2026-11-28",
      localHour: 10,
      recordedBy: device.userId,
    });
    const uses = await db.select().from(serviceUses).where(eq(serviceUses.visitId, id));
    expect(uses).toMatchObject([{ serviceId: shower, recordedBy: device.userId, localDay: "2026-11-28" }]);
    const audit = await db.select().from(auditLog).where(eq(auditLog.entityId, id));
    expect(audit).toMatchObject([{ actorType: "door", actorId: device.userId, action: "create" }]);
  });

  it("costs one D1 round trip for a reception session, recorded by that user", async () => {
    const { centreId, shower } = await doorDevice();
    const reception = await signedIn("reception", { centreId });
    expect((await counted(reception, tap(centreId))).status).toBe(201);
    const answer = await counted(reception, tap(centreId, [{ serviceId: shower }]));
    expect(answer.status).toBe(201);
    expect(answer.roundTrips).toBe(1);
    const id = (answer.body as { id: string }).id;
    const [visit] = await db.select().from(visits).where(eq(visits.id, id));
    expect(visit?.recordedBy).toBe(reception.userId);
    const audit = await db.select().from(auditLog).where(eq(auditLog.entityId, id));
    expect(audit).toMatchObject([{ actorType: "user", actorId: reception.userId }]);
  });

  it("never writes for a device revoked between two taps of the same isolate", async () => {
    const { centreId, coordinator, device } = await doorDevice();
    expect((await counted(device, tap(centreId))).status).toBe(201);
    expect((await counted(device, tap(centreId))).roundTrips).toBe(1);
    const revoked = await api("POST", `/api/door-devices/${device.userId}/revoke`, { as: coordinator });
    expect(revoked.status).toBe(200);
    const refused = await counted(device, tap(centreId));
    expect(refused.status).toBe(401);
    expect(await db.select().from(visits).where(eq(visits.centreId, centreId))).toHaveLength(2);
  });

  it("never writes for a session signed out, nor for a disabled user, between two taps", async () => {
    const centreId = await givenCentre();
    const admin = await signedIn("admin");
    const leaving = await signedIn("reception", { centreId });
    const disabled = await signedIn("reception", { centreId });
    for (const caller of [leaving, disabled]) {
      expect((await counted(caller, tap(centreId))).status).toBe(201);
      expect((await counted(caller, tap(centreId))).roundTrips).toBe(1);
    }
    expect((await api("POST", "/api/auth/logout", { as: leaving })).status).toBe(204);
    expect((await api("POST", `/api/users/${disabled.userId}/disable`, { as: admin })).status).toBe(200);
    expect((await counted(leaving, tap(centreId))).status).toBe(401);
    expect((await counted(disabled, tap(centreId))).status).toBe(401);
    expect(await db.select().from(visits).where(eq(visits.centreId, centreId))).toHaveLength(4);
  });

  it("refuses a wrong CSRF token, another centre and another centre's service exactly as before", async () => {
    const { centreId, shower, device } = await doorDevice();
    const other = await doorDevice();
    expect((await counted(device, tap(centreId))).status).toBe(201);
    const wrongCsrf = await counted(
      { ...device, headers: { ...device.headers, "x-csrf-token": "not-the-token" } },
      tap(centreId),
    );
    expect(wrongCsrf.status).toBe(403);
    expect((wrongCsrf.body as { detail: string }).detail).toBe("Missing or wrong x-csrf-token header");
    expect((await counted(device, tap(other.centreId))).status).toBe(403);
    const foreign = await counted(device, tap(centreId, [{ serviceId: other.shower }]));
    expect(foreign.status).toBe(422);
    expect((await counted(device, tap(centreId, [{ serviceId: shower }]))).roundTrips).toBe(1);
    expect(await db.select().from(visits).where(eq(visits.centreId, centreId))).toHaveLength(2);
  });

  it("derives the local day in the centre's new zone after it changed, though the isolate held the old one", async () => {
    const { centreId, device } = await doorDevice();
    expect((await counted(device, tap(centreId))).roundTrips).toBeGreaterThan(1);
    expect((await counted(device, tap(centreId))).roundTrips).toBe(1);
    // Kiritimati is UTC+14: 2026-11-28T11:00Z is already the 29th there, at 1 a.m.
    // As the centre's edit route writes it: the zone in the opening hours and its column together.
    const [centre] = await db.select().from(centres).where(eq(centres.id, centreId));
    const openingHours = {
      ...(centre?.openingHours as typeof centres.$inferSelect.openingHours),
      timeZone: "Pacific/Kiritimati",
    };
    await db
      .update(centres)
      .set({ timeZone: "Pacific/Kiritimati", openingHours })
      .where(eq(centres.id, centreId));
    const late = { ...tap(centreId), arrivedAt: "2026-11-28T11:00:00Z" };
    const moved = await counted(device, late);
    expect(moved.status).toBe(201);
    expect(moved.roundTrips).toBeGreaterThan(1);
    expect(moved.body).toMatchObject({ localDay: "2026-11-29" });
    const again = await counted(device, { ...tap(centreId), arrivedAt: "2026-11-28T11:00:00Z" });
    expect(again.roundTrips).toBe(1);
    expect(again.body).toMatchObject({ localDay: "2026-11-29" });
  });

  it("answers a replayed tap with its first record, and takes the folded path for a session made before the keyed CSRF hash", async () => {
    const { centreId } = await doorDevice();
    const reception = await signedIn("reception", { centreId });
    const body = tap(centreId);
    const first = await counted(reception, body);
    const again = await counted(reception, body);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect((again.body as { id: string }).id).toBe((first.body as { id: string }).id);

    // A session from before migration 0010 has no keyed hash: its first tap goes the ordinary way and
    // stores the hash, the next one is folded.
    const cookie = /halte_session=([^;]+)/.exec(reception.headers.cookie ?? "")?.[1] ?? "";
    const idHash = await sha256Hex(cookie);
    await db.update(sessions).set({ csrfHash: null }).where(eq(sessions.idHash, idHash));
    expect((await counted(reception, tap(centreId))).roundTrips).toBeGreaterThan(1);
    const [row] = await db.select().from(sessions).where(eq(sessions.idHash, idHash));
    expect(row?.csrfHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await counted(reception, tap(centreId))).roundTrips).toBe(1);
  });
});

describe("the door page's upload (POST /api/visits/batch)'s round trips", () => {
  const upload = (as: Caller, visits: ReturnType<typeof tap>[]) =>
    counted(as, { visits }, "/api/visits/batch");
  type Uploaded = { results: { idempotencyKey: string; id: string; status: string }[]; created: number };

  it("costs one round trip for a tap sent as a batch of one, answered and audited as the tap it is", async () => {
    const { centreId, shower, device } = await doorDevice();
    // The first upload of a centre in an isolate reads the centre the ordinary way (and remembers it).
    expect((await upload(device, [tap(centreId)])).status).toBe(200);
    const sent = tap(centreId, [{ serviceId: shower }]);
    const answer = await upload(device, [sent]);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.roundTrips).toBe(1);
    const body = answer.body as Uploaded;
    expect(body).toMatchObject({
      created: 1,
      results: [{ idempotencyKey: sent.idempotencyKey, status: "created" }],
    });
    const id = body.results[0]?.id ?? "";
    const [visit] = await db.select().from(visits).where(eq(visits.id, id));
    expect(visit).toMatchObject({ centreId, recordedBy: device.userId });
    expect(await db.select().from(serviceUses).where(eq(serviceUses.visitId, id))).toHaveLength(1);

    // A retried upload of the same tap is a duplicate with the first id, written once.
    const again = await upload(device, [sent]);
    expect(again.body).toMatchObject({ created: 0, duplicates: 1, results: [{ id, status: "duplicate" }] });
    expect(await db.select().from(visits).where(eq(visits.centreId, centreId))).toHaveLength(2);
  });

  it("takes the ordinary path for a backlog of several, and never writes once the device is revoked", async () => {
    const { centreId, coordinator, device } = await doorDevice();
    expect((await upload(device, [tap(centreId)])).status).toBe(200);
    const backlog = await upload(device, [tap(centreId), tap(centreId), tap(centreId)]);
    expect(backlog.body).toMatchObject({ created: 3, duplicates: 0 });
    expect(backlog.roundTrips).toBeGreaterThan(1);
    expect((await upload(device, [tap(centreId)])).roundTrips).toBe(1);
    const revoked = await api("POST", `/api/door-devices/${device.userId}/revoke`, { as: coordinator });
    expect(revoked.status).toBe(200);
    expect((await upload(device, [tap(centreId)])).status).toBe(401);
    expect(await db.select().from(visits).where(eq(visits.centreId, centreId))).toHaveLength(5);
  });
});

describe("the door's +1 (a lone service use)'s round trips", () => {
  const plusOne = (centreId: string, serviceId: string, extra: Record<string, unknown> = {}) => ({
    centreId,
    serviceId,
    usedAt: new Date().toISOString(),
    quantity: 1,
    source: "door",
    ...extra,
  });
  async function countedUse(as: Caller, body: unknown, key: string) {
    const count = { roundTrips: 0 };
    const answer = await callHandler("POST", "/api/service-uses", {
      as,
      body: JSON.stringify(body),
      headers: { "idempotency-key": key },
      bindings: { DB: countingD1(env.DB, count) },
    });
    return { ...answer, roundTrips: count.roundTrips };
  }

  it("costs one round trip for a door device, linked to its visit, audited with its recorder", async () => {
    const { centreId, shower, device } = await doorDevice();
    const cold = await countedUse(device, plusOne(centreId, shower), `door-use-${++sequence}`);
    expect(cold.status, JSON.stringify(cold.body)).toBe(201);
    const visit = await counted(device, tap(centreId));
    const visitId = (visit.body as { id: string }).id;
    const key = `door-use-${++sequence}`;
    const answer = await countedUse(device, plusOne(centreId, shower, { visitId }), key);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.roundTrips).toBe(1);
    const id = (answer.body as { id: string }).id;
    expect(answer.body).toMatchObject({
      id,
      centreId,
      serviceId: shower,
      visitId,
      quantity: 1,
      source: "door",
    });
    const [use] = await db.select().from(serviceUses).where(eq(serviceUses.id, id));
    expect(use).toMatchObject({ recordedBy: device.userId, idempotencyKey: key });
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.entityId, id));
    expect(audit).toMatchObject({ actorType: "door", actorId: device.userId });
    expect(audit?.diff).toMatchObject({ after: { recordedBy: device.userId, serviceId: shower } });
    // The same key again: the first record, as before (200), nothing more written.
    const again = await countedUse(device, plusOne(centreId, shower, { visitId }), key);
    expect(again.status).toBe(200);
    expect((again.body as { id: string }).id).toBe(id);
  });

  it("costs one round trip for a reception session, and never writes once the device is revoked", async () => {
    const { centreId, shower, device, coordinator } = await doorDevice();
    const reception = await signedIn("reception", { centreId });
    expect((await countedUse(reception, plusOne(centreId, shower), `door-use-${++sequence}`)).status).toBe(
      201,
    );
    expect(
      (await countedUse(reception, plusOne(centreId, shower), `door-use-${++sequence}`)).roundTrips,
    ).toBe(1);
    expect((await countedUse(device, plusOne(centreId, shower), `door-use-${++sequence}`)).roundTrips).toBe(
      1,
    );
    expect((await api("POST", `/api/door-devices/${device.userId}/revoke`, { as: coordinator })).status).toBe(
      200,
    );
    expect((await countedUse(device, plusOne(centreId, shower), `door-use-${++sequence}`)).status).toBe(401);
    expect(await db.select().from(serviceUses).where(eq(serviceUses.serviceId, shower))).toHaveLength(3);
  });
});

async function countedDelivery(partnerId: string, secret: string, m: Message) {
  const count = { roundTrips: 0 };
  const answer = await callHandler("POST", `/api/webhooks/partners/${partnerId}`, {
    body: m.body,
    headers: {
      "webhook-id": m.id,
      "webhook-timestamp": String(m.timestamp),
      "webhook-signature": signWithReference(secret, m),
    },
    bindings: { DB: countingD1(env.DB, count) },
  });
  return { ...answer, roundTrips: count.roundTrips };
}

async function partnerWithService() {
  const partner = await givenWebhookPartner();
  const serviceId = await givenService(partner.centreId, partner.partnerId);
  const report = (quantity: number) =>
    message({
      type: "service_use.reported",
      data: { serviceId, usedAt: new Date().toISOString(), quantity, occurredAt: new Date().toISOString() },
    });
  return { ...partner, serviceId, report };
}

describe("a signed webhook's round trips", () => {
  it("costs one D1 round trip in steady state (the first message of a secret in an isolate reads it: two)", async () => {
    const { partnerId, secret, serviceId, report } = await partnerWithService();
    const cold = await countedDelivery(partnerId, secret, report(1));
    expect(cold.status, JSON.stringify(cold.body)).toBe(200);
    expect(cold.roundTrips).toBe(2);
    const m = report(4);
    const warm = await countedDelivery(partnerId, secret, m);
    expect(warm.status, JSON.stringify(warm.body)).toBe(200);
    expect(warm.roundTrips).toBe(1);
    const useId = (warm.body as { serviceUseId: string }).serviceUseId;
    expect(warm.body).toEqual({
      webhookId: m.id,
      type: "service_use.reported",
      outcome: "applied",
      serviceUseId: useId,
    });
    const [use] = await db.select().from(serviceUses).where(eq(serviceUses.id, useId));
    expect(use).toMatchObject({ serviceId, quantity: 4, source: "partner_report", partnerId });
    const audit = await db.select().from(auditLog).where(eq(auditLog.entityId, useId));
    expect(audit).toMatchObject([{ actorType: "partner_webhook", actorId: partnerId }]);
    // A repeat of the same webhook-id gets the first answer and writes nothing more.
    const again = await countedDelivery(partnerId, secret, m);
    expect(again.body).toEqual(warm.body);
    expect(await db.select().from(serviceUses).where(eq(serviceUses.serviceId, serviceId))).toHaveLength(2);
  });

  it("never writes with a secret revoked between two messages of the same isolate", async () => {
    const { partnerId, secret, secretId, admin, serviceId, report } = await partnerWithService();
    expect((await countedDelivery(partnerId, secret, report(1))).status).toBe(200);
    expect((await countedDelivery(partnerId, secret, report(2))).roundTrips).toBe(1);
    const revoked = await api("POST", `/api/webhook-secrets/${secretId}/revoke`, { as: admin });
    expect(revoked.status).toBe(200);
    const refused = await countedDelivery(partnerId, secret, report(3));
    expect(refused.status).toBe(401);
    expect(await db.select().from(serviceUses).where(eq(serviceUses.serviceId, serviceId))).toHaveLength(2);
    expect(
      await db.select().from(inboundWebhooks).where(eq(inboundWebhooks.partnerId, partnerId)),
    ).toHaveLength(2);
  });

  it("refuses a service moved to another centre after the partner was held, writing nothing", async () => {
    const { partnerId, secret, serviceId, report } = await partnerWithService();
    expect((await countedDelivery(partnerId, secret, report(1))).status).toBe(200);
    const elsewhere = await givenCentre();
    await db.update(services).set({ centreId: elsewhere }).where(eq(services.id, serviceId));
    const refused = await countedDelivery(partnerId, secret, report(2));
    expect(refused.status).toBe(404);
    expect(await db.select().from(serviceUses).where(eq(serviceUses.serviceId, serviceId))).toHaveLength(1);
  });
});
