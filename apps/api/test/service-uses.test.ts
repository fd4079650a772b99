import { auditLog, serviceUses } from "@halte/db";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { api, db, givenCentre, givenPartner, partnerToken, signedIn } from "./helpers.js";
import { fieldErrors, givenService } from "./visits-helpers.js";

async function centreWithServices() {
  const centreId = await givenCentre();
  const operator = await givenPartner(centreId, "Armée du Salut");
  const clinic = await givenPartner(centreId, "Médecins du Monde");
  const shower = await givenService(centreId, operator, { name: "Douches" });
  const consultation = await givenService(centreId, clinic, { name: "Consultations" });
  const reception = await signedIn("reception", { centreId });
  return { centreId, operator, clinic, shower, consultation, reception };
}

describe("recording service uses", () => {
  it("lets reception record a door use, linked to a visit of the day, and logs it", async () => {
    const { centreId, shower, reception } = await centreWithServices();
    const visit = await api("POST", "/api/visits", {
      as: reception,
      body: { centreId, arrivedAt: "2026-11-28T08:05:00Z" },
    });
    const response = await api("POST", "/api/service-uses", {
      as: reception,
      body: { centreId, serviceId: shower, usedAt: "2026-11-28T23:10:00Z", visitId: visit.body.id },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      centreId,
      serviceId: shower,
      visitId: visit.body.id,
      quantity: 1,
      source: "door",
      partnerId: null,
      localDay: "2026-11-29",
    });
    const log = await db.select().from(auditLog).where(eq(auditLog.entityId, response.body.id));
    expect(log.map((row) => [row.action, row.entity])).toEqual([["create", "service_use"]]);
  });

  it("lets a partner report bulk uses of its own services only", async () => {
    const { centreId, clinic, shower, consultation } = await centreWithServices();
    const token = await partnerToken(centreId, clinic);
    const report = await api("POST", "/api/service-uses", {
      as: token,
      body: {
        centreId,
        serviceId: consultation,
        usedAt: "2026-11-28T15:00:00Z",
        quantity: 14,
        source: "partner_report",
      },
    });
    expect(report.status).toBe(201);
    expect(report.body).toMatchObject({ quantity: 14, source: "partner_report", partnerId: clinic });

    const notTheirs = await api("POST", "/api/service-uses", {
      as: token,
      body: { centreId, serviceId: shower, usedAt: "2026-11-28T15:00:00Z", source: "partner_report" },
    });
    expect(notTheirs.status).toBe(403);
    const asDoor = await api("POST", "/api/service-uses", {
      as: token,
      body: { centreId, serviceId: consultation, usedAt: "2026-11-28T15:00:00Z" },
    });
    expect(asDoor.status).toBe(403);
    const otherCentre = await givenCentre();
    const elsewhere = await api("POST", "/api/service-uses", {
      as: token,
      body: {
        centreId: otherCentre,
        serviceId: consultation,
        usedAt: "2026-11-28T15:00:00Z",
        source: "partner_report",
      },
    });
    expect(elsewhere.status).toBe(403);
  });

  it("refuses partner reports from staff and uses from observers", async () => {
    const { centreId, consultation, reception } = await centreWithServices();
    const coordinator = await signedIn("coordinator", { centreId });
    const body = {
      centreId,
      serviceId: consultation,
      usedAt: "2026-11-28T15:00:00Z",
      source: "partner_report",
    };
    expect((await api("POST", "/api/service-uses", { as: reception, body })).status).toBe(403);
    expect((await api("POST", "/api/service-uses", { as: coordinator, body })).status).toBe(403);
    const observer = await signedIn("observer", { centreId });
    const door = { centreId, serviceId: consultation, usedAt: "2026-11-28T15:00:00Z" };
    expect((await api("POST", "/api/service-uses", { as: observer, body: door })).status).toBe(403);
    expect((await api("POST", "/api/service-uses", { body: door })).status).toBe(401);
  });

  it("records a use once per Idempotency-Key", async () => {
    const { centreId, shower, clinic, consultation, reception } = await centreWithServices();
    const body = { centreId, serviceId: shower, usedAt: "2026-11-28T10:00:00Z" };
    const headers = { "Idempotency-Key": "door-tablet:42" };
    const first = await api("POST", "/api/service-uses", { as: reception, body, headers });
    expect(first.status).toBe(201);
    const again = await api("POST", "/api/service-uses", {
      as: reception,
      body: { ...body, quantity: 3 },
      headers,
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, quantity: 1 });
    const rows = await db.select().from(serviceUses).where(eq(serviceUses.centreId, centreId));
    expect(rows.map((row) => row.idempotencyKey)).toEqual(["door-tablet:42"]);

    const token = await partnerToken(centreId, clinic);
    const clash = await api("POST", "/api/service-uses", {
      as: token,
      body: { centreId, serviceId: consultation, usedAt: "2026-11-28T10:00:00Z", source: "partner_report" },
      headers,
    });
    expect(clash.status).toBe(409);
    const badKey = await api("POST", "/api/service-uses", {
      as: reception,
      body,
      headers: { "Idempotency-Key": "no spaces allowed" },
    });
    expect(badKey.status).toBe(422);
    expect(fieldErrors(badKey.body)).toEqual(["header.idempotency-key:invalid_format"]);
  });

  it("refuses invalid fields and records of another centre with 422", async () => {
    const { centreId, shower, reception } = await centreWithServices();
    const invalid = await api("POST", "/api/service-uses", {
      as: reception,
      body: { centreId, serviceId: shower, quantity: 0, source: "tap", extra: 1 },
    });
    expect(invalid.status).toBe(422);
    expect(fieldErrors(invalid.body)).toEqual([
      "extra:unknown_field",
      "quantity:too_small",
      "source:invalid_value",
      "usedAt:required",
    ]);
    const other = await centreWithServices();
    const foreignService = await api("POST", "/api/service-uses", {
      as: reception,
      body: { centreId, serviceId: other.shower, usedAt: "2026-11-28T10:00:00Z" },
    });
    expect(fieldErrors(foreignService.body)).toEqual(["serviceId:invalid_value"]);
    const visit = await api("POST", "/api/visits", {
      as: other.reception,
      body: { centreId: other.centreId, arrivedAt: "2026-11-28T08:00:00Z" },
    });
    const foreignVisit = await api("POST", "/api/service-uses", {
      as: reception,
      body: { centreId, serviceId: shower, usedAt: "2026-11-28T10:00:00Z", visitId: visit.body.id },
    });
    expect(fieldErrors(foreignVisit.body)).toEqual(["visitId:invalid_value"]);
    const withPartner = await api("POST", "/api/service-uses", {
      as: reception,
      body: { centreId, serviceId: shower, usedAt: "2026-11-28T10:00:00Z", partnerId: other.clinic },
    });
    expect(fieldErrors(withPartner.body)).toEqual(["partnerId:invalid_value"]);
    const admin = await signedIn("admin");
    const unknownCentre = await api("POST", "/api/service-uses", {
      as: admin,
      body: { centreId: "nowhere", serviceId: shower, usedAt: "2026-11-28T10:00:00Z" },
    });
    expect(fieldErrors(unknownCentre.body)).toEqual(["centreId:invalid_value"]);
    expect(await db.select().from(serviceUses).where(eq(serviceUses.centreId, centreId))).toHaveLength(0);
  });
});

describe("listing service uses", () => {
  it("filters by service and period, and shows a partner only its own services' uses", async () => {
    const { centreId, clinic, shower, consultation, reception } = await centreWithServices();
    for (const [serviceId, usedAt] of [
      [shower, "2026-11-28T10:00:00Z"],
      [shower, "2026-12-01T10:00:00Z"],
      [consultation, "2026-11-28T11:00:00Z"],
    ] as const) {
      await api("POST", "/api/service-uses", { as: reception, body: { centreId, serviceId, usedAt } });
    }
    const showersInNovember = await api(
      "GET",
      `/api/service-uses?centreId=${centreId}&serviceId=${shower}&period=202611`,
      { as: reception },
    );
    expect(showersInNovember.status).toBe(200);
    expect(showersInNovember.body.items.map((u: { localDay: string }) => u.localDay)).toEqual(["2026-11-28"]);

    const token = await partnerToken(centreId, clinic);
    const theirs = await api("GET", "/api/service-uses?limit=200", { as: token });
    expect(theirs.status).toBe(200);
    expect(theirs.body.items.map((u: { serviceId: string }) => u.serviceId)).toEqual([consultation]);
    const asking = await api("GET", `/api/service-uses?serviceId=${shower}`, { as: token });
    expect(asking.body.items).toEqual([]);

    const observer = await signedIn("observer", { centreId });
    expect((await api("GET", "/api/service-uses", { as: observer })).status).toBe(403);
    const bad = await api("GET", "/api/service-uses?period=202613", { as: reception });
    expect(fieldErrors(bad.body)).toEqual(["query.period:invalid_format"]);
    const log = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.centreId, centreId), eq(auditLog.entity, "service_use")));
    expect(log).toHaveLength(3);
  });
});
