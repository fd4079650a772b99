import { describe, expect, it } from "vitest";
import { aggregateVisitsByDay, rollUp } from "./aggregate.js";
import type { AgeBand, Gender } from "./common.js";
import { discloseVisitFigures, SUPPRESSED_MARK, visitFiguresCsv } from "./figures.js";
import type { Visit } from "./visit.js";

function visit(n: number, ageBand: AgeBand | null, gender: Gender | null, code: string | null = null): Visit {
  const at = `2026-11-${String(2 + (n % 20)).padStart(2, "0")}T09:00:00.000Z`;
  return {
    id: `v${n}`,
    centreId: "halte",
    arrivedAt: at,
    createdAt: at,
    updatedAt: at,
    visitorCodeHash: code,
    ageBand,
    gender,
    languages: [],
    firstVisit: n % 10 === 0,
    idempotencyKey: null,
  };
}

function monthOf(visits: Visit[]) {
  const month = rollUp(aggregateVisitsByDay(visits, [], { timeZone: "Europe/Paris" }), "month").halte?.[
    "202611"
  ];
  if (!month) throw new Error("no month aggregate");
  return month;
}

describe("visit figures for people without access to raw records", () => {
  // 120 men 18–59, 40 women 18–59, 3 girls 12–17 (small), 12 people who gave nothing.
  const visits = [
    ...Array.from({ length: 120 }, (_, n) => visit(n, "18-59", "male")),
    ...Array.from({ length: 40 }, (_, n) => visit(200 + n, "18-59", "female")),
    ...Array.from({ length: 3 }, (_, n) => visit(300 + n, "12-17", "female")),
    ...Array.from({ length: 12 }, (_, n) => visit(400 + n, null, null)),
  ];

  it("publishes the total and hides the small group together with a complement", () => {
    const figures = discloseVisitFigures("202611", monthOf(visits));
    if (!figures.ok) throw new Error(figures.error.code);
    expect(figures.value.visits.grandTotal).toEqual({ value: 175, suppressed: false });
    const girls = figures.value.visits.cells[2]?.[0];
    expect(girls).toEqual({ suppressed: true, reason: "primary" });
    const hiddenInRow = figures.value.visits.cells[2]?.filter((c) => c.suppressed).length ?? 0;
    const hiddenInColumn = figures.value.visits.cells.filter((row) => row[0]?.suppressed).length;
    const rowTotalHidden = figures.value.visits.rowTotals[2]?.suppressed ? 1 : 0;
    const columnTotalHidden = figures.value.visits.columnTotals[0]?.suppressed ? 1 : 0;
    expect(hiddenInRow + rowTotalHidden).toBeGreaterThanOrEqual(2);
    expect(hiddenInColumn + columnTotalHidden).toBeGreaterThanOrEqual(2);
  });

  it("writes CSV with an HXL row, marks hidden counts and never writes a count of 1–4", () => {
    const figures = discloseVisitFigures("202611", monthOf(visits));
    if (!figures.ok) throw new Error(figures.error.code);
    const lines = [
      ...visitFiguresCsv([{ centreName: "La Halte de Jour", figures: figures.value }], { hxl: true }),
    ];
    expect(lines).toHaveLength(3);
    const [header, hxl, row] = lines.map((line) => line.replace(/\r\n$/, "").split(","));
    expect(header?.slice(0, 3)).toEqual(["Period", "Centre", "Visits"]);
    expect(hxl?.slice(0, 3)).toEqual(["#date", "#org", "#reached +ind"]);
    expect(hxl).toContain("#reached +ind +f +age12_17");
    expect(row?.slice(0, 3)).toEqual(["202611", "La Halte de Jour", "175"]);
    const girlsColumn = hxl?.indexOf("#reached +ind +f +age12_17") ?? -1;
    expect(row?.[girlsColumn]).toBe(SUPPRESSED_MARK);
    const numbers = (row ?? [])
      .slice(2)
      .filter((cell) => cell !== SUPPRESSED_MARK)
      .map(Number);
    expect(numbers.every((n) => n === 0 || n >= 5)).toBe(true);
  });

  it("hides unique visitors when fewer than k people had a card", () => {
    const withCards = visits.map((v, n) =>
      n < 3 ? { ...v, visitorCodeHash: `${String(n).repeat(64)}` } : v,
    );
    const figures = discloseVisitFigures("202611", monthOf(withCards));
    expect(figures.ok && figures.value.uniqueVisitors).toEqual({ suppressed: true, reason: "primary" });
  });

  it("refuses a threshold under 3", () => {
    expect(discloseVisitFigures("202611", monthOf(visits), { k: 2 })).toMatchObject({
      ok: false,
      error: { code: "threshold_too_low" },
    });
  });
});
