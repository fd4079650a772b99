// Door devices: a coordinator makes a tablet a door of one centre. The device's HttpOnly cookie (only its
// SHA-256 stored) records at that door and does nothing else; writes need its CSRF token; revocation is
// effective on its next request.
import { auditLog, doorDevices } from "@halte/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { api, type Caller, db, givenCentre, givenPartner, signedIn } from "./helpers.js";
import { givenService } from "./visits-helpers.js";

async function setUpDevice() {
  const centreId = await givenCentre();
  const partnerId = await givenPartner(centreId);
  const shower = await givenService(centreId, partnerId);
  const coordinator = await signedIn("coordinator", { centreId });
  const answer = await api("POST", "/api/door-devices", {
    as: coordinator,
    body: { centreId, name: "Tablet at the gate" },
  });
  expect(answer.status).toBe(201);
  const setCookie = answer.headers.get("set-cookie") ?? "";
  const secret = /halte_door=([^;]+)/.exec(setCookie)?.[1] ?? "";
  const device: Caller = {
    userId: answer.body.device.id,
    headers: { cookie: `halte_door=${secret}`, "x-csrf-token": answer.body.csrfToken },
  };
  return { centreId, shower, coordinator, device, answer, setCookie, secret };
}

describe("door devices", () => {
  it("are set up by a coordinator with an HttpOnly cookie whose hash alone is stored, and audited", async () => {
    const { centreId, answer, setCookie, secret, coordinator } = await setUpDevice();
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/Secure/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(secret.length).toBeGreaterThan(30);
    expect(answer.body.device).toMatchObject({ centreId, name: "Tablet at the gate", revokedAt: null });
    expect(JSON.stringify(answer.body.device)).not.toContain(secret);
    const [row] = await db.select().from(doorDevices).where(eq(doorDevices.id, answer.body.device.id));
    expect(row?.secretHash).not.toContain(secret);
    expect(row?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    const listed = await api("GET", `/api/door-devices?centreId=${centreId}`, { as: coordinator });
    expect(listed.body.items.map((d: { name: string }) => d.name)).toEqual(["Tablet at the gate"]);
    expect(JSON.stringify(listed.body)).not.toMatch(/csrf|secret/i);
    const log = await db.select().from(auditLog).where(eq(auditLog.entityId, answer.body.device.id));
    expect(log.map((entry) => [entry.action, entry.entity, entry.actorId])).toEqual([
      ["create", "door_device", coordinator.userId],
    ]);
  });

  it("record at their centre's door and nothing else", async () => {
    const { centreId, shower, device } = await setUpDevice();
    const visit = await api("POST", "/api/visits", {
      as: device,
      body: { centreId, arrivedAt: new Date().toISOString(), uses: [{ serviceId: shower }] },
    });
    expect(visit.status).toBe(201);
    const use = await api("POST", "/api/service-uses", {
      as: device,
      body: { centreId, serviceId: shower, usedAt: new Date().toISOString() },
    });
    expect(use.status).toBe(201);
    expect((await api("POST", `/api/service-uses/${use.body.id}/void`, { as: device })).status).toBe(200);
    const today = await api("GET", `/api/visits/today?centreId=${centreId}`, { as: device });
    expect([today.status, today.body.visits]).toEqual([200, 1]);

    // Reception's other reads and every other write are refused, as is another centre.
    for (const path of [
      `/api/services?centreId=${centreId}`,
      `/api/partners?centreId=${centreId}`,
      "/api/visits",
    ]) {
      expect((await api("GET", path, { as: device })).status, path).toBe(403);
    }
    const elsewhere = await givenCentre();
    const foreign = await api("POST", "/api/visits", {
      as: device,
      body: { centreId: elsewhere, arrivedAt: new Date().toISOString() },
    });
    expect(foreign.status).toBe(403);
    expect(
      (await api("POST", "/api/door-devices", { as: device, body: { centreId, name: "x" } })).status,
    ).toBe(403);
    // A write without the device's CSRF token is refused, as for sessions.
    const noCsrf = await api("POST", "/api/visits", {
      as: { userId: device.userId, headers: { cookie: device.headers.cookie ?? "" } },
      body: { centreId, arrivedAt: new Date().toISOString() },
    });
    expect(noCsrf.status).toBe(403);
  });

  it("are refused at once when revoked, and only coordinators and admins may set up or revoke them", async () => {
    const { centreId, device, coordinator } = await setUpDevice();
    const reception = await signedIn("reception", { centreId });
    expect(
      (await api("POST", "/api/door-devices", { as: reception, body: { centreId, name: "mine" } })).status,
    ).toBe(403);
    expect((await api("POST", `/api/door-devices/${device.userId}/revoke`, { as: reception })).status).toBe(
      403,
    );
    const revoked = await api("POST", `/api/door-devices/${device.userId}/revoke`, { as: coordinator });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const after = await api("GET", `/api/visits/today?centreId=${centreId}`, { as: device });
    expect(after.status).toBe(401);
    const write = await api("POST", "/api/visits", {
      as: device,
      body: { centreId, arrivedAt: new Date().toISOString() },
    });
    expect(write.status).toBe(401);
  });
});
