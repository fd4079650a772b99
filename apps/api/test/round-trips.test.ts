// Issue 16: a door tap by a centre-bound caller (a door device, a reception session) costs one D1 round trip,
// its credential checked inside the write; a revoked credential never writes, even in the isolate that just
// wrote for it. Round trips are counted on the real local D1 (test/helpers.ts `countingD1`).
import { env } from "cloudflare:workers";
import { auditLog, serviceUses, sessions, visits } from "@halte/db";
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

let sequence = 0;
const tap = (centreId: string, uses: { serviceId: string }[] = []) => ({
  centreId,
  arrivedAt: "2026-11-28T09:00:00Z",
  idempotencyKey: `trip-${Date.now()}-${++sequence}`,
  uses,
});

async function counted(as: Caller, body: unknown) {
  const count = { roundTrips: 0 };
  const answer = await callHandler("POST", "/api/visits", {
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
