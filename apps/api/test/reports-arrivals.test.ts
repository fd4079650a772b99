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

  it("hides small cells from an observer, with secondary suppression, and publishes no hidden value", async () => {
    const centreId = await centreWithArrivals();
    const coordinator = await signedIn("coordinator", { centreId });
    const observer = await signedIn("observer", { centreId });
    const truth = (await report(path(centreId, "&disclosure=none"), coordinator)).body.table;
    for (const caller of [observer, coordinator]) {
      const shown = await report(path(centreId), caller); // a coordinator too, unless asking for `none`
      expect(shown.status).toBe(200);
      expect(shown.body.suppressed).toBe(true);
      const table = shown.body.table;
      let hidden = 0;
      table.cells.forEach((row: { value?: number; suppressed: boolean }[], i: number) => {
        row.forEach((cell, j) => {
          const actual = truth.cells[i][j].value;
          if (cell.suppressed) {
            hidden++;
            expect(cell).not.toHaveProperty("value");
          } else expect(cell.value).toBe(actual);
          if (actual >= 1 && actual < 5) expect(cell.suppressed, `${i},${j}`).toBe(true);
        });
      });
      expect(hidden).toBeGreaterThanOrEqual(4);
      // Secondary suppression: no row or column (its total included) has a single hidden figure, which
      // the others would give away.
      const hiddenIn = (line: { suppressed: boolean }[]) => line.filter((c) => c.suppressed).length;
      table.cells.forEach((row: { suppressed: boolean }[], i: number) => {
        expect(hiddenIn([...row, table.rowTotals[i]])).not.toBe(1);
      });
      table.columnLabels.forEach((_: string, j: number) => {
        const column = table.cells.map((row: { suppressed: boolean }[]) => row[j]);
        expect(hiddenIn([...column, table.columnTotals[j]])).not.toBe(1);
      });
    }
  });

  it("refuses unsuppressed figures to an observer and in CSV; exports CSV with the HXL row", async () => {
    const centreId = await centreWithArrivals();
    const observer = await signedIn("observer", { centreId });
    const coordinator = await signedIn("coordinator", { centreId });
    expect((await report(path(centreId, "&disclosure=none"), observer)).status).toBe(403);
    const rawCsv = await report(path(centreId, "&disclosure=none&format=csv"), coordinator);
    expect(rawCsv.status).toBe(422);
    expect(rawCsv.body.errors[0].path).toEqual(["query", "disclosure"]);

    const csv = await report(path(centreId, "&format=csv-hxl"), observer);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toContain("arrivals-");
    const lines = csvLinesOf(csv.body);
    expect(lines[0]).toBe("Centre,From,To,Weekday,Hour,Arrivals");
    expect(lines[1]).toBe("#org,#date +start,#date +end,#date +weekday,#date +hour,#reached +ind");
    expect(lines).toHaveLength(2 + 7 * 24);
    expect(lines.find((line) => line.includes(",sunday,00,"))).toMatch(/,suppressed$/);
    const json = (await report(path(centreId), observer)).body.table;
    const monday9 = figure(json.cells[0][9]);
    expect(lines.find((line) => line.includes(",monday,09,"))).toMatch(
      new RegExp(`,${monday9 === "hidden" ? "suppressed" : monday9}$`),
    );
    const plain = csvLinesOf((await report(path(centreId, "&format=csv"), observer)).body);
    expect(plain[1]).not.toContain("#org");
  });

  it("answers 403 to reception and 401 to anonymous callers", async () => {
    const centreId = await givenCentre();
    const reception = await signedIn("reception", { centreId });
    expect((await report(path(centreId), reception)).status).toBe(403);
    expect((await report(path(centreId))).status).toBe(401);
  });
});
