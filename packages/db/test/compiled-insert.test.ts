import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, compiledInsert, inboundWebhooks, serviceUses, visits } from "../src/index.js";
import { AT, db, freshId } from "./fixtures.js";

function visitRow(overrides: Partial<typeof visits.$inferInsert> = {}): typeof visits.$inferInsert {
  return {
    id: freshId("visit"),
    centreId: "centre",
    arrivedAt: AT,
    localDay: "2026-11-28",
    localHour: 9,
    visitorCodeHash: null,
    ageBand: null,
    gender: null,
    languages: [] as string[],
    firstVisit: null,
    idempotencyKey: freshId("key"),
    recordedBy: null,
    createdAt: AT,
    updatedAt: AT,
    ...overrides,
  };
}

describe("compiled inserts", () => {
  it("give the statement drizzle builds, for the first row of a shape and every later one", () => {
    const rows = [
      visitRow(),
      visitRow({ ageBand: "18-59", gender: "female", languages: ["fr", "ar"], firstVisit: true }),
      visitRow({ firstVisit: false, visitorCodeHash: "a".repeat(64), localHour: null }),
      visitRow({ voidedAt: AT, recordKey: 12345 }),
    ];
    for (const row of [...rows, ...rows]) {
      expect(compiledInsert(db, visits, row).toSQL()).toEqual(db.insert(visits).values(row).toSQL());
    }
    for (const quantity of [1, 7]) {
      const use = {
        id: freshId("use"),
        centreId: "centre",
        serviceId: "service",
        visitId: null,
        usedAt: AT,
        localDay: "2026-11-28",
        quantity,
        source: "door" as const,
        partnerId: null,
        idempotencyKey: null,
        recordedBy: "someone",
        createdAt: AT,
        updatedAt: AT,
      };
      expect(compiledInsert(db, serviceUses, use).toSQL()).toEqual(
        db.insert(serviceUses).values(use).toSQL(),
      );
    }
    for (const diff of [{ after: { languages: ["fr"] } }, { after: { quantity: 2, note: "é \" '" } }]) {
      const entry = {
        centreId: "centre",
        actorType: "door" as const,
        actorId: null,
        action: "create",
        entity: "visit",
        entityId: "v",
        diff,
        at: AT,
      };
      expect(compiledInsert(db, auditLog, entry).toSQL()).toEqual(db.insert(auditLog).values(entry).toSQL());
    }
    for (const status of [200, 422]) {
      const receipt = {
        id: freshId("receipt"),
        centreId: "centre",
        partnerId: "partner",
        webhookId: freshId("msg"),
        eventType: "service_use.reported",
        referralId: null,
        toStatus: null,
        reason: null,
        note: null,
        partnerReference: null,
        occurredAt: AT,
        outcome: "applied" as const,
        responseStatus: status,
        responseBody: { status, nested: { ok: true } },
        receivedAt: AT,
      };
      expect(compiledInsert(db, inboundWebhooks, receipt).toSQL()).toEqual(
        db.insert(inboundWebhooks).values(receipt).toSQL(),
      );
    }
  });

  it("leave a row holding SQL to drizzle", () => {
    const row = visitRow({ arrivedAt: sql`'2026-11-28T08:00:00.000Z'` as unknown as string });
    const built = compiledInsert(db, visits, row).toSQL();
    expect(built).toEqual(db.insert(visits).values(row).toSQL());
    expect(built.sql).toContain("'2026-11-28T08:00:00.000Z'");
  });
});
