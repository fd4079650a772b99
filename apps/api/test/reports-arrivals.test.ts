// Arrivals by weekday × local hour: visits recorded through the API, rolled up by the scheduled job's code,
// then read as each kind of caller would, in Europe/Paris across both DST changes of 2026.
import { describe, expect, it } from "vitest";
import { givenCentre, signedIn } from "./helpers.js";
import { type Arrival, csvLinesOf, figure, givenArrivals, report, rollUp } from "./reports-helpers.js";

const times = (n: number, at: string): Arrival[] => Array.from({ length: n }, () => ({ at }));

async function centreWithArrivals() {
  const centreId = await givenCentre({ disclosureThreshold: 5 });
  const reception = await signedIn("reception", { centreId });
  await givenArrivals(reception, centreId, [
    // Sunday 29 March 2026, the spring change: 02:00 does not exist in Paris.
    { at: "2026-03-28T23:30:00Z" }, // 00:30 on Sunday in Paris, still Saturday in UTC
    { at: "2026-03-29T01:30:00+01:00" }, // 01:30 CET
    { at: "2026-03-29T03:30:00+02:00" }, // 03:30 CEST, one real hour later
    // Sunday 25 October 2026, the autumn change: 02:30 happens twice, both under hour 02.
    { at: "2026-10-25T00:30:00Z" }, // 02:30 CEST
    { at: "2026-10-25T01:30:00Z" }, // 02:30 CET
    // Busy mornings on Monday 30 March and Tuesday 31 March.
    ...times(20, "2026-03-30T09:15:00+02:00"),
    ...times(12, "2026-03-30T10:15:00+02:00"),
    ...times(15, "2026-03-31T09:45:00+02:00"),
    ...times(9, "2026-03-31T10:05:00+02:00"),
  ]);
  await rollUp();
  return centreId;
}

const path = (centreId: string, extra = "") =>
  `/api/reports/arrivals?centreId=${centreId}&from=2026-03-28&to=2026-10-31${extra}`;
const yearPath = (centreId: string, extra = "") =>
  `/api/reports/arrivals?centreId=${centreId}&from=2026-01-01&to=2026-12-31${extra}`;

describe("arrivals by weekday and hour", () => {
  it("files each arrival under the Paris weekday and hour the clock showed, across both DST changes", async () => {
    const centreId = await centreWithArrivals();
    const coordinator = await signedIn("coordinator", { centreId });
    const open = await report(path(centreId, "&disclosure=none"), coordinator);
    expect(open.status, JSON.stringify(open.body)).toBe(200);
    expect(open.body.suppressed).toBe(false);
    const { table } = open.body;
    expect(table.rowLabels).toEqual([
      "monday",
      "tuesday",
      "wednesday",
      "thursday",
      "friday",
      "saturday",
      "sunday",
    ]);
    expect(table.columnLabels).toHaveLength(24);
    const cell = (weekday: string, hour: number) =>
      figure(table.cells[table.rowLabels.indexOf(weekday)][hour]);
    expect(cell("sunday", 0)).toBe(1);
    expect(cell("sunday", 1)).toBe(1);
    expect(cell("sunday", 2)).toBe(2); // the two 02:30s of the October night
    expect(cell("sunday", 3)).toBe(1);
    expect(cell("saturday", 23)).toBe(0); // 23:30 UTC on Saturday was already Sunday in Paris
    expect(cell("monday", 9)).toBe(20);
    expect(cell("monday", 10)).toBe(12);
    expect(cell("tuesday", 9)).toBe(15);
    expect(figure(table.grandTotal)).toBe(61);
    expect(figure(table.rowTotals[6])).toBe(5);
    expect(open.body.daysWithData).toBe(4);
  });

  it("perturbs every cell for an observer: never 1…k−1, within ±2, zeros kept, the same records the same figure", async () => {
    const centreId = await centreWithArrivals();
    const coordinator = await signedIn("coordinator", { centreId });
    const observer = await signedIn("observer", { centreId });
    const year = (extra = "") =>
      `/api/reports/arrivals?centreId=${centreId}&from=2026-01-01&to=2026-12-31${extra}`;
    const truth = (await report(year("&disclosure=none"), coordinator)).body.table;
    for (const caller of [observer, coordinator]) {
      const shown = await report(year(), caller); // a coordinator too, unless asking for `none`
      expect(shown.status, JSON.stringify(shown.body)).toBe(200);
      expect(shown.body).toMatchObject({ suppressed: true, protection: "cell-key", k: 5, maxNoise: 2 });
      const table = shown.body.table;
      table.cells.forEach((row: { value: number; suppressed: boolean }[], i: number) => {
        row.forEach((cell, j) => {
          const actual = truth.cells[i][j].value;
          expect(cell.suppressed).toBe(false);
          if (actual === 0) expect(cell.value).toBe(0);
          else if (actual < 5) expect([0, 5], `${i},${j}`).toContain(cell.value);
          else expect(Math.abs(cell.value - actual), `${i},${j}`).toBeLessThanOrEqual(2);
          expect(cell.value >= 1 && cell.value < 5, `${i},${j}`).toBe(false);
        });
      });
      // Asking again teaches nothing new.
      expect((await report(year(), caller)).body.table).toEqual(table);
    }
    // Monday 09:00 of ISO week 14 counts the same arrivals as 09:00 on Monday 30 March: one figure.
    const week = await report(
      `/api/reports/arrivals?centreId=${centreId}&from=2026-03-30&to=2026-04-05`,
      observer,
    );
    const day = await report(
      `/api/reports/arrivals?centreId=${centreId}&from=2026-03-30&to=2026-03-30`,
      observer,
    );
    expect(week.body.table.cells[0][9]).toEqual(day.body.table.cells[0][9]);
    expect(Math.abs((figure(week.body.table.cells[0][9]) as number) - 20)).toBeLessThanOrEqual(2);
  });

  it("refuses an observer a range off the publication grid, naming the allowed range", async () => {
    const centreId = await centreWithArrivals();
    const observer = await signedIn("observer", { centreId });
    const coordinator = await signedIn("coordinator", { centreId });
    const off = await report(path(centreId), observer);
    expect(off.status).toBe(422);
    expect(off.headers.get("content-type")).toContain("application/problem+json");
    expect(off.body.errors).toEqual([
      { path: ["query", "from"], code: "off_grid", message: "Use 2026-01-01" },
      { path: ["query", "to"], code: "off_grid", message: "Use 2026-12-31" },
    ]);
    // Exact internal figures may use any range.
    expect((await report(path(centreId, "&disclosure=none"), coordinator)).status).toBe(200);
  });

  it("refuses exact figures to an observer and in CSV; exports the protected table as CSV with the HXL row", async () => {
    const centreId = await centreWithArrivals();
    const observer = await signedIn("observer", { centreId });
    const coordinator = await signedIn("coordinator", { centreId });
    expect((await report(path(centreId, "&disclosure=none"), observer)).status).toBe(403);
    const rawCsv = await report(path(centreId, "&disclosure=none&format=csv"), coordinator);
    expect(rawCsv.status).toBe(422);
    expect(rawCsv.body.errors[0].path).toEqual(["query", "disclosure"]);

    const csv = await report(yearPath(centreId, "&format=csv-hxl"), observer);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toContain("arrivals-");
    const lines = csvLinesOf(csv.body);
    expect(lines[0]).toBe("Centre,From,To,Weekday,Hour,Arrivals");
    expect(lines[1]).toBe("#org,#date +start,#date +end,#date +weekday,#date +hour,#reached +ind");
    expect(lines).toHaveLength(2 + 7 * 24);
    expect(lines.find((line) => line.includes(",sunday,00,"))).toMatch(/,(0|5)$/);
    const json = (await report(yearPath(centreId), observer)).body.table;
    const monday9 = figure(json.cells[0][9]);
    expect(lines.find((line) => line.includes(",monday,09,"))).toMatch(new RegExp(`,${monday9}$`));
    const plain = csvLinesOf((await report(yearPath(centreId, "&format=csv"), observer)).body);
    expect(plain[1]).not.toContain("#org");
  });

  it("answers 403 to reception and 401 to anonymous callers", async () => {
    const centreId = await givenCentre();
    const reception = await signedIn("reception", { centreId });
    expect((await report(path(centreId), reception)).status).toBe(403);
    expect((await report(path(centreId))).status).toBe(401);
  });
});
