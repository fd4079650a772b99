import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  type DoorWriteCheck,
  foldedVisitWrite,
  getVisit,
  insertDoorDevice,
  insertSelect,
  insertVisits,
  type NewVisitRow,
  serviceUsesOfVisit,
} from "../src/index.js";
import { AT, db, freshId, givenCentre, givenPartner, givenService } from "./fixtures.js";

const LATER = "2026-11-28T09:00:00.000Z";

async function givenDevice(centreId: string) {
  const secretHash = freshId("secret");
  const id = freshId("device");
  await insertDoorDevice(db, {
    id,
    centreId,
    name: "Tablet",
    secretHash,
    csrfToken: "csrf",
    csrfHash: "keyed-csrf",
    createdBy: "someone",
    createdAt: AT,
    lastUsedAt: null,
    revokedAt: null,
  }).run();
  return { id, secretHash };
}

function visitRow(centreId: string): NewVisitRow {
  return {
    id: freshId("visit"),
    centreId,
    arrivedAt: LATER,
    localDay: "2026-11-28",
    localHour: 10,
    visitorCodeHash: null,
    ageBand: "18-59",
    gender: null,
    languages: ["fr", "ar"],
    firstVisit: true,
    idempotencyKey: freshId("key"),
    recordedBy: null,
  };
}

async function run(statements: ReturnType<typeof foldedVisitWrite>) {
  return env.DB.batch(statements.map((s) => env.DB.prepare(s.sql).bind(...s.params)));
}

describe("folded writes", () => {
  it("write a visit and its uses as drizzle would, recorded by the device the guard matched", async () => {
    const centreId = await givenCentre();
    const serviceId = await givenService(centreId, await givenPartner(centreId));
    const device = await givenDevice(centreId);
    const visit = visitRow(centreId);
    const use = {
      id: freshId("use"),
      centreId,
      serviceId,
      visitId: visit.id,
      usedAt: LATER,
      localDay: "2026-11-28",
      quantity: 2,
      source: "door" as const,
      partnerId: null,
      idempotencyKey: null,
    };
    const check: DoorWriteCheck = {
      kind: "door",
      credentialHash: device.secretHash,
      csrfHash: "keyed-csrf",
      roles: ["reception"],
      centreId,
      timeZone: "Europe/Paris",
      retentionMonths: 24,
      serviceIds: [serviceId],
      at: LATER,
    };
    const audit = { centreId, action: "create", entity: "visit", entityId: visit.id, diff: {}, at: LATER };

    const refused = await run(
      foldedVisitWrite(db, { ...check, csrfHash: "wrong" }, { visit, uses: [use] }, audit),
    );
    expect(refused[0]?.results).toEqual([]);
    expect(await getVisit(db, visit.id)).toBeNull();

    const written = await run(foldedVisitWrite(db, check, { visit, uses: [use] }, audit));
    expect(written[0]?.results).toEqual([{ recorded_by: device.id }]);
    expect(await getVisit(db, visit.id)).toMatchObject({
      languages: ["fr", "ar"],
      firstVisit: true,
      ageBand: "18-59",
    });
    expect(await serviceUsesOfVisit(db, visit.id)).toMatchObject([{ id: use.id, quantity: 2 }]);
  });

  it("refuse a shape they cannot make conditional", () => {
    const centreId = "any";
    const [twoRows] = insertVisits(db, [visitRow(centreId), visitRow(centreId)], AT, false);
    expect(() =>
      insertSelect(twoRows as NonNullable<typeof twoRows>, { from: "", where: "1", params: [] }),
    ).toThrow(/not a one-row insert|not a plain values list/);
  });
});
