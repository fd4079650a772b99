import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  changedDays,
  daysToRebuild,
  frozenDays,
  insertServiceUses,
  insertVisits,
  type NewVisitRow,
  rollupsBetween,
  rowsOfDays,
  setLocalHours,
  setWatermark,
  upsertRollup,
  watermarkOf,
} from "../src/index.js";
import { visits } from "../src/schema/visits.js";
import { db, freshId, givenCentre, givenPartner, givenService, runBatch } from "./fixtures.js";

function visit(centreId: string, localDay: string, fields: Partial<NewVisitRow> = {}): NewVisitRow {
  return {
    id: freshId("visit"),
    centreId,
    arrivedAt: `${localDay}T09:00:00.000Z`,
    localDay,
    localHour: 10,
    visitorCodeHash: null,
    ageBand: null,
    gender: null,
    languages: [],
    firstVisit: null,
    idempotencyKey: null,
    recordedBy: null,
    ...fields,
  };
}

describe("the roll-up queries", () => {
  it("finds the centre-days whose rows were written in a span of time, late rows included", async () => {
    const centreId = await givenCentre();
    const written = "2031-01-10T12:00:00.000Z";
    await runBatch([
      ...insertVisits(db, [visit(centreId, "2031-01-10"), visit(centreId, "2031-01-10")], written, false),
      // A tablet's backlog: written on the 10th, filed under the 3rd.
      ...insertVisits(db, [visit(centreId, "2031-01-03")], written, false),
    ]);
    const days = (await changedDays(db, "2031-01-10T11:00:00.000Z", written)).filter(
      (d) => d.centreId === centreId,
    );
    expect(days).toEqual([
      { centreId, localDay: "2031-01-03" },
      { centreId, localDay: "2031-01-10" },
    ]);
    // The span is (from, to]: rows written exactly at `from` were rolled by the previous run.
    expect(
      (await changedDays(db, written, "2031-01-11T00:00:00.000Z")).some((d) => d.centreId === centreId),
    ).toBe(false);
  });

  it("reads days' visits with integer day and hour, and their service uses counted per service, source and visit", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const serviceId = await givenService(centreId, partnerId);
    const at = "2026-11-28T18:00:00.000Z";
    const withVisit = visit(centreId, "2026-11-28", { languages: ["fr", "ar"], ageBand: "18-59" });
    const use = (quantity: number, source: "door" | "partner_report", visitId: string | null = null) => ({
      id: freshId("use"),
      centreId,
      serviceId,
      visitId,
      usedAt: "2026-11-28T10:00:00.000Z",
      localDay: "2026-11-28",
      quantity,
      source,
      partnerId: source === "partner_report" ? partnerId : null,
      idempotencyKey: null,
    });
    await runBatch([
      ...insertVisits(db, [withVisit], at, false),
      ...insertServiceUses(db, [use(1, "door", withVisit.id), use(1, "door"), use(14, "partner_report")], at),
    ]);
    const read = await rowsOfDays(db, centreId, ["2026-11-28", "2026-11-29"]);
    // 2026-11-28 is day 20,785 since 1970-01-01; the hour is the stored one, the languages their JSON text.
    expect(read.visits).toHaveLength(1);
    expect(read.visits[0]).toMatchObject({
      id: withVisit.id,
      day: 20_785,
      hour: 10,
      arrivedAt: null,
      languages: '["fr","ar"]',
      ageBand: "18-59",
    });
    expect(
      read.useGroups
        .map(({ key: _key, ...group }) => group)
        .sort((a, b) => `${a.source}${a.visitId}`.localeCompare(`${b.source}${b.visitId}`)),
    ).toEqual([
      { day: 20_785, serviceId, source: "door", visitId: null, uses: 1, quantity: 1 },
      { day: 20_785, serviceId, source: "door", visitId: withVisit.id, uses: 1, quantity: 1 },
      { day: 20_785, serviceId, source: "partner_report", visitId: null, uses: 1, quantity: 14 },
    ]);
    expect(read.rows).toBe(4);
    expect(await rowsOfDays(db, centreId, ["2026-11-29"])).toEqual({ visits: [], useGroups: [], rows: 0 });
    await expect(
      rowsOfDays(
        db,
        centreId,
        Array.from({ length: 91 }, () => "2026-11-28"),
      ),
    ).rejects.toThrow(RangeError);
  });

  it("gives the instant of a visit stored without a local hour, and writes the hour back without marking it changed", async () => {
    const centreId = await givenCentre();
    const old = visit(centreId, "2026-03-29", { arrivedAt: "2026-03-29T01:30:00.000Z" });
    const written = "2026-03-29T02:00:00.000Z";
    await runBatch([...insertVisits(db, [old], written, false)]);
    // A row from before migration 0006.
    await db.update(visits).set({ localHour: null }).where(eq(visits.id, old.id));
    const before = await rowsOfDays(db, centreId, ["2026-03-29"]);
    expect(before.visits[0]).toMatchObject({ hour: null, arrivedAt: "2026-03-29T01:30:00.000Z" });
    await runBatch(setLocalHours(db, new Map([[old.id, 3]])));
    const after = await rowsOfDays(db, centreId, ["2026-03-29"]);
    expect(after.visits[0]).toMatchObject({ hour: 3, arrivedAt: null });
    const [row] = await db.select().from(visits).where(eq(visits.id, old.id));
    expect(row?.updatedAt).toBe(written);
    // A row that has an hour keeps it.
    await runBatch(setLocalHours(db, new Map([[old.id, 7]])));
    expect((await rowsOfDays(db, centreId, ["2026-03-29"])).visits[0]?.hour).toBe(3);
  });

  it("stores one partial per centre-day, replaced on re-roll, and reads a span in day order", async () => {
    const centreId = await givenCentre();
    await runBatch([
      upsertRollup(db, centreId, "2026-11-29", '{"visits":2}'),
      upsertRollup(db, centreId, "2026-11-27", '{"visits":1}'),
      upsertRollup(db, centreId, "2026-11-29", '{"visits":3}'),
    ]);
    expect(await rollupsBetween(db, centreId, "2026-11-27", "2026-11-29")).toEqual([
      { localDay: "2026-11-27", aggregate: '{"visits":1}' },
      { localDay: "2026-11-29", aggregate: '{"visits":3}' },
    ]);
    expect(await rollupsBetween(db, centreId, "2026-11-28", "2026-11-28")).toEqual([]);
  });

  it("lists the days a rebuild must re-roll: with rows or with a stored partial", async () => {
    const centreId = await givenCentre();
    await runBatch([
      ...insertVisits(db, [visit(centreId, "2026-03-02")], "2026-03-02T10:00:00.000Z", false),
      upsertRollup(db, centreId, "2026-03-05", "{}"),
    ]);
    expect(await daysToRebuild(db, centreId, "2026-03-01", "2026-03-31")).toEqual([
      { centreId, localDay: "2026-03-02" },
      { centreId, localDay: "2026-03-05" },
    ]);
  });

  it("freezes the stored partials of days past the centre's retention", async () => {
    const centreId = await givenCentre(12);
    await runBatch([
      upsertRollup(db, centreId, "2025-01-10", "{}"),
      upsertRollup(db, centreId, "2026-06-10", "{}"),
    ]);
    const frozen = await frozenDays(
      db,
      centreId,
      ["2025-01-10", "2025-01-11", "2026-06-10"],
      "2026-11-28T08:00:00.000Z",
    );
    expect([...frozen]).toEqual(["2025-01-10"]);
  });

  it("keeps each job's watermark, from the start of time", async () => {
    const job = freshId("job");
    expect(await watermarkOf(db, job)).toBe("1970-01-01T00:00:00.000Z");
    await setWatermark(db, job, "2026-11-28T08:00:00.000Z").run();
    await setWatermark(db, job, "2026-11-29T08:00:00.000Z").run();
    expect(await watermarkOf(db, job)).toBe("2026-11-29T08:00:00.000Z");
  });
});
