// Services against capacity: uses recorded at the door through the API, rolled up, then read per week as
// the admin views and an observer would see them.
import type { Schedule } from "@halte/core";
import { services } from "@halte/db";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../src/ids.js";
import { db, givenCentre, givenPartner, signedIn } from "./helpers.js";
import { type Arrival, csvLinesOf, figure, givenArrivals, report, rollUp } from "./reports-helpers.js";
import { givenService } from "./visits-helpers.js";

/** Showers: 3 a day, Monday to Saturday; closed on Sundays and on Wednesday 4 November. */
async function givenShowers(centreId: string, partnerId: string): Promise<string> {
  const id = uuidv7(new Date());
  const at = new Date().toISOString();
  const schedule: Schedule = {
    timeZone: "Europe/Paris",
    weekly: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opensAt: "08:00", closesAt: "19:00" })),
    exceptions: [{ date: "2026-11-04", kind: "closed", reason: "Plumbing works" }],
    dailyCapacity: 3,
  };
  await db.insert(services).values({
    id,
    centreId,
    organizationId: partnerId,
    name: "Douches",
    category: "hygiene",
    status: "active",
    languages: ["fr"],
    schedule,
    translations: {},
    createdAt: at,
    updatedAt: at,
  });
  return id;
}

const use = (at: string, serviceId: string, n = 1): Arrival[] =>
  Array.from({ length: n }, () => ({ at, uses: [{ serviceId }] }));

async function centreWithUses() {
  const centreId = await givenCentre({ disclosureThreshold: 5 });
  const operator = await givenPartner(centreId, "Armée du Salut");
  const showers = await givenShowers(centreId, operator);
  const meals = await givenService(centreId, operator, { name: "Repas" }); // no capacity known
  const reception = await signedIn("reception", { centreId });
  await givenArrivals(reception, centreId, [
    ...use("2026-11-02T09:00:00+01:00", showers, 3), // Monday: 3 of 3, saturated
    ...use("2026-11-03T09:00:00+01:00", showers, 4), // Tuesday: 4 of 3, over capacity
    ...use("2026-11-04T09:00:00+01:00", showers, 2), // Wednesday: closed, no capacity: not counted as used
    ...use("2026-11-05T09:00:00+01:00", showers, 1),
    ...use("2026-11-10T09:00:00+01:00", showers, 2), // the next week: 2 uses only
    ...use("2026-11-02T12:00:00+01:00", meals, 12),
    ...use("2026-11-09T12:00:00+01:00", meals, 30),
  ]);
  await rollUp();
  return { centreId, showers, meals };
}

const path = (centreId: string, extra = "") =>
  `/api/reports/services?centreId=${centreId}&period=week&from=2026-11-02&to=2026-11-15${extra}`;

describe("services against capacity", () => {
  it("sums the schedule's capacity over open days, and lists saturated days in the admin view", async () => {
    const { centreId, showers, meals } = await centreWithUses();
    const coordinator = await signedIn("coordinator", { centreId });
    const open = await report(path(centreId, "&disclosure=none"), coordinator);
    expect(open.status, JSON.stringify(open.body)).toBe(200);
    expect(open.body.suppressed).toBe(false);
    const row = (period: string, id: string) =>
      open.body.items.find(
        (r: { period: string; serviceId: string }) => r.period === period && r.serviceId === id,
      );
    expect(row("2026W45", showers)).toMatchObject({
      serviceName: "Douches",
      uses: { value: 10, suppressed: false },
      quantity: { value: 10, suppressed: false },
      used: { value: 8, suppressed: false }, // the 2 of the closed Wednesday are outside capacity
      capacity: 15, // Monday, Tuesday, Thursday, Friday, Saturday × 3
      saturatedDayCount: 2,
      saturatedDays: [
        { day: "2026-11-02", used: 3, capacity: 3 },
        { day: "2026-11-03", used: 4, capacity: 3 },
      ],
    });
    expect(row("2026W45", showers).utilisation).toBeCloseTo(8 / 15);
    expect(row("2026W46", showers)).toMatchObject({ capacity: 18, saturatedDayCount: 0, saturatedDays: [] });
    expect(row("2026W46", showers).utilisation).toBeCloseTo(2 / 18);
    expect(row("2026W45", meals)).toMatchObject({ serviceName: "Repas", capacity: 0, utilisation: null });
    expect(open.body.totals[0]).toMatchObject({ period: "2026W45", uses: { value: 22, suppressed: false } });
  });

  it("gives an observer perturbed counts, the ratio of what is published, no saturated days, and one service on request", async () => {
    const { centreId, showers } = await centreWithUses();
    const observer = await signedIn("observer", { centreId });
    const shown = await report(path(centreId), observer);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ suppressed: true, protection: "cell-key" });
    const rows = shown.body.items.filter((r: { serviceId: string }) => r.serviceId === showers);
    const used = figure(rows[0].used) as number;
    expect(Math.abs(used - 8)).toBeLessThanOrEqual(2);
    expect(rows[0].utilisation).toBeCloseTo(used / 15);
    expect(rows[0].saturatedDayCount).toBe(2);
    // The second week's 2 showers are a small count: published as 0 or 5, never 2.
    expect([0, 5]).toContain(figure(rows[1].used));
    for (const row of shown.body.items) expect(row).not.toHaveProperty("saturatedDays");
    // Filtered to the showers: the same rows, the same figures, and totals that are the row itself.
    const filtered = await report(path(centreId, `&serviceId=${showers}`), observer);
    expect(filtered.status).toBe(200);
    expect(filtered.body.items).toEqual(rows);
    expect(filtered.body.totals[0].used).toEqual(rows[0].used);
    const unknown = await report(path(centreId, "&serviceId=no-such-service"), observer);
    expect(unknown.status).toBe(404);
    // Off the grid (a week cut short): refused with the allowed range.
    const off = await report(
      `/api/reports/services?centreId=${centreId}&period=week&from=2026-11-02&to=2026-11-12`,
      observer,
    );
    expect(off.status).toBe(422);
    expect(off.body.errors[1]).toEqual({
      path: ["query", "to"],
      code: "off_grid",
      message: "Use 2026-11-15",
    });
  });

  it("says who used each service: by age band × gender and language of the visit, the total being its uses", async () => {
    const centreId = await givenCentre({ disclosureThreshold: 5 });
    const operator = await givenPartner(centreId, "Armée du Salut");
    const showers = await givenShowers(centreId, operator);
    const reception = await signedIn("reception", { centreId });
    const shower = (gender: "female" | "male", age: "18-59" | "60+", n: number): Arrival[] =>
      Array.from({ length: n }, () => ({
        at: "2026-11-02T09:00:00+01:00",
        gender,
        age,
        uses: [{ serviceId: showers }],
      }));
    await givenArrivals(reception, centreId, [...shower("male", "18-59", 9), ...shower("female", "60+", 2)]);
    await rollUp();
    const coordinator = await signedIn("coordinator", { centreId });
    const open = await report(path(centreId, "&disclosure=none"), coordinator);
    const row = open.body.items.find((r: { serviceId: string; period: string }) => r.serviceId === showers);
    const table = row.usesBy.ageBandGender;
    const cell = (age: string, gender: string) =>
      figure(table.cells[table.rowLabels.indexOf(age)][table.columnLabels.indexOf(gender)]);
    expect(cell("18-59", "male")).toBe(9);
    expect(cell("60+", "female")).toBe(2);
    expect(figure(table.grandTotal)).toBe(11);
    expect(row.usesBy.languages).toEqual([{ language: "unknown", count: { value: 11, suppressed: false } }]);

    const observer = await signedIn("observer", { centreId });
    const shown = await report(path(centreId), observer);
    const published = shown.body.items.find((r: { serviceId: string }) => r.serviceId === showers);
    const protectedTable = published.usesBy.ageBandGender;
    // The grand total counts the same uses as the row's `uses`: one published figure.
    expect(protectedTable.grandTotal).toEqual(published.uses);
    const two = figure(
      protectedTable.cells[protectedTable.rowLabels.indexOf("60+")][
        protectedTable.columnLabels.indexOf("female")
      ],
    );
    expect([0, 5]).toContain(two);
    const csv = csvLinesOf((await report(path(centreId, "&format=csv-hxl"), observer)).body);
    expect(csv[0]).toContain("Uses aged 60+");
    expect(csv[1]).toContain("#indicator +uses +num +age60plus");
  });

  it("exports the protected rows as CSV with the HXL row, never exact ones", async () => {
    const { centreId } = await centreWithUses();
    const coordinator = await signedIn("coordinator", { centreId });
    const csv = await report(path(centreId, "&format=csv-hxl"), coordinator);
    expect(csv.status).toBe(200);
    const lines = csvLinesOf(csv.body);
    expect(lines[0]).toContain("Period,Centre,Service id,Service,Uses,People served");
    expect(lines[1]).toMatch(/^#date,#org,#service \+code,#service \+name,#indicator \+uses \+num/);
    const week46 = lines.filter((line) => line.startsWith("2026W46,")).join("\n");
    expect(week46).not.toContain("suppressed");
    expect(week46).not.toMatch(/,[1-4],/);
    expect((await report(path(centreId, "&format=csv&disclosure=none"), coordinator)).status).toBe(422);
  });
});
