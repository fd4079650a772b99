// The roll-up's columnar path inside workerd with the real local D1: a rebuild that reads integer day and
// hour columns and uses counted by D1 stores, byte for byte, the partials @halte/core's aggregateVisitsByDay
// gives from the same records read instant by instant — across both Paris DST changes, with rows written
// before `local_hour` existed, whose hours the rebuild writes back.
import {
  type AgeBand,
  aggregateVisitsByDay,
  type Gender,
  localDateOf,
  type ServiceUse,
  type Visit,
  zonedDateTime,
} from "@halte/core";
import {
  insertServiceUses,
  insertVisits,
  type NewServiceUseRow,
  type NewVisitRow,
  serviceUses,
  visitRollups,
  visits,
} from "@halte/db";
import { asc, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../src/ids.js";
import { api, db, givenCentre, givenPartner, signedIn } from "./helpers.js";
import { givenService } from "./visits-helpers.js";

const PARIS = "Europe/Paris";
const AGES: (AgeBand | null)[] = ["0-4", "12-17", "18-59", "60+", null];
const GENDERS: (Gender | null)[] = ["female", "male", "other", null];
const LANGUAGE_LISTS = [[], ["ar"], ["fr", "ar"], ["ps", "ps"], ["ti"], ["en", "fr"]];
// Two codes share their 16-character prefix: one visitor.
const CODES = ["ab".repeat(32), `${"ab".repeat(8)}${"cd".repeat(24)}`, "0f".repeat(32), "e1".repeat(32)];

function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe("the columnar roll-up", () => {
  it("rebuilds byte for byte what aggregateVisitsByDay gives from the records, and fills old rows' hours", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const showers = await givenService(centreId, partnerId, { name: "Douches" });
    const meals = await givenService(centreId, partnerId, { name: "Repas" });
    const random = seeded(2026);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
    const visitRows: NewVisitRow[] = [];
    const useRows: NewServiceUseRow[] = [];
    // Three days around each Paris DST change, arrivals at any hour of the local day and the night.
    for (const middle of ["2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z"]) {
      for (let i = 0; i < 90; i++) {
        const arrivedAt = new Date(
          Date.parse(middle) + Math.floor((random() - 0.5) * 72 * 3600) * 1000,
        ).toISOString();
        const local = zonedDateTime(arrivedAt, PARIS);
        const visit: NewVisitRow = {
          id: uuidv7(new Date()),
          centreId,
          arrivedAt,
          localDay: localDateOf(arrivedAt, PARIS),
          localHour: local.hour,
          visitorCodeHash: random() < 0.6 ? pick(CODES) : null,
          ageBand: pick(AGES),
          gender: pick(GENDERS),
          languages: pick(LANGUAGE_LISTS),
          firstVisit: pick([true, false, null]),
          idempotencyKey: null,
          recordedBy: null,
        };
        visitRows.push(visit);
        const uses = Math.floor(random() * 3);
        for (let u = 0; u < uses; u++) {
          // Most uses at the door with the visit; some an hour later, which may be the next day.
          const usedAt = new Date(Date.parse(arrivedAt) + (random() < 0.2 ? 3_600_000 : 0)).toISOString();
          useRows.push({
            id: uuidv7(new Date()),
            centreId,
            serviceId: pick([showers, meals]),
            visitId: visit.id,
            usedAt,
            localDay: localDateOf(usedAt, PARIS),
            quantity: 1 + Math.floor(random() * 2),
            source: "door",
            partnerId: null,
            idempotencyKey: null,
          });
        }
        if (random() < 0.1) {
          useRows.push({
            id: uuidv7(new Date()),
            centreId,
            serviceId: meals,
            visitId: null,
            usedAt: arrivedAt,
            localDay: localDateOf(arrivedAt, PARIS),
            quantity: 5 + Math.floor(random() * 10),
            source: "partner_report",
            partnerId,
            idempotencyKey: null,
          });
        }
      }
    }
    const written = new Date().toISOString();
    for (const statement of insertVisits(db, visitRows, written, false)) await statement;
    for (const statement of insertServiceUses(db, useRows, written)) await statement;
    // Every fifth visit as a row written before migration 0006: no local hour.
    const old = visitRows.filter((_, i) => i % 5 === 0).map((visit) => visit.id);
    for (let i = 0; i < old.length; i += 90) {
      await db
        .update(visits)
        .set({ localHour: null })
        .where(inArray(visits.id, old.slice(i, i + 90)));
    }

    // The records as the API would hand them to core, with the record keys D1 drew.
    const visitKeys = new Map(
      (
        await db
          .select({ id: visits.id, key: visits.recordKey })
          .from(visits)
          .where(eq(visits.centreId, centreId))
      ).map((row) => [row.id, row.key]),
    );
    const useKeys = new Map(
      (
        await db
          .select({ id: serviceUses.id, key: serviceUses.recordKey })
          .from(serviceUses)
          .where(eq(serviceUses.centreId, centreId))
      ).map((row) => [row.id, row.key]),
    );
    const records: (Visit & { recordKey?: number })[] = visitRows.map(
      ({ localDay: _d, localHour: _h, recordedBy: _r, ...visit }) => ({
        ...visit,
        createdAt: written,
        updatedAt: written,
        recordKey: visitKeys.get(visit.id) as number,
      }),
    );
    const dayOfVisit = new Map(visitRows.map((visit) => [visit.id, visit.localDay]));
    const useRecords: (ServiceUse & { recordKey?: number })[] = useRows.map(({ localDay, ...use }) => ({
      ...use,
      // The stored roll-up counts a use under its visit only when both are filed under the same day.
      visitId: use.visitId !== null && dayOfVisit.get(use.visitId) === localDay ? use.visitId : null,
      createdAt: written,
      updatedAt: written,
      recordKey: useKeys.get(use.id) as number,
    }));
    expect(useRecords.some((use, i) => use.visitId === null && useRows[i]?.visitId !== null)).toBe(true);
    const expected = aggregateVisitsByDay(records, useRecords, { timeZone: PARIS })[centreId] ?? {};

    const admin = await signedIn("admin");
    for (const month of ["2026-03", "2026-10"]) {
      const rebuilt = await api("POST", "/api/jobs/rebuild", { as: admin, body: { centreId, month } });
      expect(rebuilt.status, JSON.stringify(rebuilt.body)).toBe(200);
    }
    const stored = await db
      .select()
      .from(visitRollups)
      .where(eq(visitRollups.centreId, centreId))
      .orderBy(asc(visitRollups.localDay));
    expect(stored.map((row) => row.localDay)).toEqual(Object.keys(expected));
    for (const row of stored) expect(row.aggregate).toBe(JSON.stringify(expected[row.localDay]));

    // The old rows got their hour back, read in Paris time.
    const filled = await db
      .select({ id: visits.id, hour: visits.localHour })
      .from(visits)
      .where(inArray(visits.id, old.slice(0, 90)));
    expect(filled).toHaveLength(Math.min(90, old.length));
    for (const row of filled) {
      const visit = visitRows.find((v) => v.id === row.id) as NewVisitRow;
      expect(row.hour).toBe(zonedDateTime(visit.arrivedAt, PARIS).hour);
    }
  });
});
