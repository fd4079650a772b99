import { describe, expect, it } from "vitest";
import {
  aggregateReferrals,
  emptyVisitAggregate,
  mergeVisitAggregates,
  type VisitAggregate,
} from "./aggregate.js";
import type { DisclosedTable } from "./disclosure.js";
import { discloseVisitFigures } from "./figures.js";
import type { Referral } from "./referral.js";
import {
  arrivalsByWeekdayHour,
  discloseServiceRows,
  discloseTable,
  discloseVisitPeriod,
  openTable,
  referralFigures,
  serviceReportRows,
} from "./reports.js";
import type { Schedule } from "./schedule.js";

function day(hours: Record<number, number>, services: Record<string, number> = {}): VisitAggregate {
  const base = emptyVisitAggregate();
  const byHour = base.byHour.map((_, h) => hours[h] ?? 0);
  const visits = byHour.reduce((a, b) => a + b, 0);
  return {
    ...base,
    visits,
    byHour,
    byAgeBandGender: visits > 0 ? { unknown: { unknown: visits } } : {},
    services: Object.fromEntries(
      Object.entries(services).map(([id, n]) => [
        id,
        { uses: n, quantity: n, bySource: { door: { uses: n, quantity: n } } },
      ]),
    ),
  };
}

describe("arrivalsByWeekdayHour", () => {
  it("files each local day under its ISO weekday, Monday first, and adds days of the same weekday", () => {
    const table = arrivalsByWeekdayHour({
      "2026-11-30": day({ 9: 4 }), // a Monday
      "2026-12-07": day({ 9: 3, 18: 1 }), // the next Monday
      "2026-11-29": day({ 23: 2 }), // a Sunday
    });
    expect(table.rowLabels[0]).toBe("monday");
    expect(table.columnLabels[9]).toBe("09");
    expect(table.cells[0]?.[9]).toBe(7);
    expect(table.cells[0]?.[18]).toBe(1);
    expect(table.cells[6]?.[23]).toBe(2);
    expect(table.cells.flat().reduce((a, b) => a + b, 0)).toBe(10);
  });
});

describe("openTable and discloseTable", () => {
  const table = {
    rowLabels: ["a", "b"],
    columnLabels: ["x", "y"],
    cells: [
      [12, 3],
      [40, 9],
    ],
  };

  it("open tables show every count with its totals", () => {
    const open = openTable(table, 5);
    expect(open.cells[0]?.[1]).toEqual({ value: 3, suppressed: false });
    expect(open.rowTotals[0]).toEqual({ value: 15, suppressed: false });
    expect(open.columnTotals[1]).toEqual({ value: 12, suppressed: false });
    expect(open.grandTotal).toEqual({ value: 64, suppressed: false });
  });

  it("hides small cells with a complement in their row and column", () => {
    const disclosed = discloseTable(table, 5);
    if (!disclosed.ok) throw new Error(disclosed.error.code);
    expect(disclosed.value.cells[0]?.[1]).toEqual({ suppressed: true, reason: "primary" });
    expect(disclosed.value.cells[0]?.filter((c) => c.suppressed)).toHaveLength(2);
    expect(JSON.stringify(disclosed.value)).not.toContain('"value":3');
  });

  it("hides the whole table when cell-by-cell protection is impossible, never failing the report", () => {
    // Four 1s in one line with k = 5: any pattern of marks gives the small counts away.
    const impossible = { rowLabels: ["a"], columnLabels: ["w", "x", "y", "z"], cells: [[1, 1, 1, 1]] };
    const disclosed = discloseTable(impossible, 5);
    if (!disclosed.ok) throw new Error(disclosed.error.code);
    const all = [...disclosed.value.cells.flat(), ...disclosed.value.rowTotals, disclosed.value.grandTotal];
    expect(all.every((cell) => cell.suppressed)).toBe(true);
    expect(discloseTable(impossible, 2).ok).toBe(false);
  });
});

describe("discloseVisitPeriod", () => {
  it("hides the whole age × gender table when it cannot be protected cell by cell", () => {
    // Four men of 1 in four age bands, nobody else: every pattern of marks gives the 1s away.
    const base = emptyVisitAggregate();
    const aggregate: VisitAggregate = {
      ...base,
      visits: 4,
      firstVisits: 4,
      byAgeBandGender: {
        "0-4": { male: 1 },
        "5-11": { male: 1 },
        "12-17": { male: 1 },
        "18-59": { male: 1 },
      },
    };
    const plain = discloseVisitFigures("202611", aggregate, { k: 5 });
    expect(plain.ok ? null : plain.error.code).toBe("cannot_protect");
    const figures = discloseVisitPeriod("202611", aggregate, 5);
    if (!figures.ok) throw new Error(figures.error.code);
    expect(figures.value.visits.cells.flat().every((cell) => cell.suppressed)).toBe(true);
    expect(figures.value.visits.grandTotal.suppressed).toBe(true);
    expect(figures.value.firstVisits).toEqual({ suppressed: true, reason: "primary" });
  });

  it("is discloseVisitFigures whenever that succeeds", () => {
    const aggregate: VisitAggregate = {
      ...emptyVisitAggregate(),
      visits: 12,
      byAgeBandGender: { "18-59": { female: 12 } },
    };
    const figures = discloseVisitPeriod("202611", aggregate, 5);
    if (!figures.ok) throw new Error(figures.error.code);
    expect(figures.value.visits.grandTotal).toEqual({ value: 12, suppressed: false });
  });
});

describe("serviceReportRows", () => {
  // Open every day; 10 showers a day, but closed on Sundays.
  const schedule: Schedule = {
    timeZone: "Europe/Paris",
    weekly: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opensAt: "08:00", closesAt: "19:00" })),
    exceptions: [],
    dailyCapacity: 10,
  };
  const days = {
    "2026-11-28": day({}, { showers: 10 }), // Saturday, saturated
    "2026-11-29": day({}, { showers: 3 }), // Sunday, closed: no capacity
    "2026-11-30": day({}, { showers: 4 }), // Monday
  };

  it("sums capacity over the days that have one and counts the saturated days", () => {
    const rows = serviceReportRows(days, [{ id: "showers", name: "Douches", schedule }], {
      from: "2026-11-28",
      to: "2026-11-30",
      period: "week",
    });
    expect(rows.map((r) => r.period)).toEqual(["2026W48", "2026W49"]);
    expect(rows[0]).toMatchObject({
      serviceName: "Douches",
      uses: 13,
      quantity: 13,
      capacity: 10, // Saturday only: Sunday is closed
      used: 10,
      utilisation: 1,
      saturatedDays: [{ serviceId: "showers", day: "2026-11-28", used: 10, capacity: 10 }],
    });
    expect(rows[1]).toMatchObject({ uses: 4, capacity: 10, used: 4, utilisation: 0.4, saturatedDays: [] });
  });

  it("publishes a ratio only when the count behind it is shown", () => {
    const rows = serviceReportRows(days, [{ id: "showers", name: "Douches", schedule }], {
      from: "2026-11-28",
      to: "2026-11-30",
      period: "week",
    });
    const disclosed = discloseServiceRows(rows, 5);
    if (!disclosed.ok) throw new Error(disclosed.error.code);
    expect(disclosed.value.rows[0]).toMatchObject({ used: { value: 10, suppressed: false }, utilisation: 1 });
    expect(disclosed.value.rows[0]?.saturatedDayCount).toBe(1);
    expect(disclosed.value.rows[1]?.used.suppressed).toBe(true);
    expect(disclosed.value.rows[1]?.utilisation).toBeNull();
    expect(JSON.stringify(disclosed.value.rows[1])).not.toContain('"value":4');
  });
});

describe("referralFigures", () => {
  function referral(
    id: string,
    need: Referral["need"],
    status: Referral["status"],
    hours: number | null,
  ): Referral {
    const requestedAt = "2026-11-02T09:00:00.000Z";
    return {
      id,
      createdAt: requestedAt,
      updatedAt: requestedAt,
      centreId: "halte",
      partnerId: id.startsWith("s") ? "samu" : "ftda",
      serviceId: null,
      need,
      note: null,
      status,
      statusReason: null,
      statusNote: null,
      partnerReference: null,
      contact: null,
      consentId: null,
      ageBand: null,
      gender: null,
      languages: [],
      requestedAt,
      closedAt: hours === null ? null : new Date(Date.parse(requestedAt) + hours * 3_600_000).toISOString(),
      erasedAt: null,
      version: 1,
    };
  }
  const referrals = [
    ...Array.from({ length: 6 }, (_, i) => referral(`s${i}`, "accommodation", "completed", i + 1)),
    ...Array.from({ length: 6 }, (_, i) => referral(`f${i}`, "health", "requested", null)),
    referral("s9", "legal", "rejected", 48),
  ];
  const aggregate = aggregateReferrals(referrals);

  it("gives the funnel in the lifecycle's order and time to outcome, open", () => {
    const open = referralFigures(aggregate, { k: 5, suppress: false, partnerIds: ["samu", "ftda"] });
    if (!open.ok) throw new Error(open.error.code);
    const funnel = open.value.needStatus.columnLabels.map((status, j) => [
      status,
      open.value.needStatus.columnTotals[j],
    ]);
    expect(funnel.slice(0, 4)).toEqual([
      ["draft", { value: 0, suppressed: false }],
      ["requested", { value: 6, suppressed: false }],
      ["accepted", { value: 0, suppressed: false }],
      ["rejected", { value: 1, suppressed: false }],
    ]);
    expect(open.value.byPartner.rowLabels).toEqual(["samu", "ftda"]);
    expect(open.value.timeToOutcome[1]).toEqual({
      outcome: "completed",
      suppressed: false,
      count: 6,
      medianSeconds: 3 * 3600,
      p90Seconds: 6 * 3600,
    });
  });

  it("hides small counts and the time to outcome of fewer than k outcomes", () => {
    const hidden = referralFigures(aggregate, { k: 5, suppress: true });
    if (!hidden.ok) throw new Error(hidden.error.code);
    const rejected = hidden.value.needStatus.columnLabels.indexOf("rejected");
    expect(hidden.value.needStatus.columnTotals[rejected]).toEqual({ suppressed: true, reason: "primary" });
    const byOutcome = Object.fromEntries(hidden.value.timeToOutcome.map((t) => [t.outcome, t]));
    expect(byOutcome.rejected).toEqual({ outcome: "rejected", suppressed: true, reason: "primary" });
    // With rejected hidden, completed (6) would give it back from the overall 7: one of them is hidden too.
    expect(byOutcome.all?.suppressed || byOutcome.completed?.suppressed).toBe(true);
    expect(hidden.value.untimedOutcomes).toBeNull();
  });

  it("with partner × status counts, hides a status total in both tables when either hides it", () => {
    const partnerStatus: Record<string, Record<string, number>> = {};
    for (const r of referrals) {
      const row = partnerStatus[r.partnerId] ?? {};
      row[r.status] = (row[r.status] ?? 0) + 1;
      partnerStatus[r.partnerId] = row;
    }
    const open = referralFigures(aggregate, { k: 5, suppress: false, partnerStatus });
    if (!open.ok) throw new Error(open.error.code);
    expect(open.value.byPartner.columnLabels).toEqual(open.value.needStatus.columnLabels);
    expect(open.value.byPartner.rowTotals.map((c) => (c.suppressed ? null : c.value))).toEqual([6, 7]); // ftda, samu: partners in id order
    const hidden = referralFigures(aggregate, { k: 5, suppress: true, partnerStatus });
    if (!hidden.ok) throw new Error(hidden.error.code);
    const { needStatus, byPartner } = hidden.value;
    needStatus.columnTotals.forEach((cell, j) => {
      expect(cell.suppressed, needStatus.columnLabels[j]).toBe(byPartner.columnTotals[j]?.suppressed);
      if (!cell.suppressed) expect(byPartner.columnTotals[j]).toEqual(cell);
    });
    expect(needStatus.grandTotal.suppressed).toBe(byPartner.grandTotal.suppressed);
  });

  it("counts the people referred by age band, gender and language, and hides what is small", () => {
    const people = [
      ...Array.from({ length: 8 }, (_, i) => ({
        ...referral(`s${i}`, "accommodation", "requested", null),
        ageBand: "18-59" as const,
        gender: "male" as const,
        languages: ["ps", "fr"],
      })),
      { ...referral("s8", "health", "requested", null), ageBand: "60+" as const, gender: "female" as const },
      { ...referral("s9", "legal", "requested", null), ageBand: "12-17" as const, languages: ["ti"] },
    ];
    const figures = aggregateReferrals(people);
    const open = referralFigures(figures, { k: 5, suppress: false });
    if (!open.ok) throw new Error(open.error.code);
    const column = (table: DisclosedTable) =>
      Object.fromEntries(
        table.rowLabels.map((label, i) => {
          const cell = table.cells[i]?.[0];
          return [label, cell === undefined || cell.suppressed ? "hidden" : cell.value];
        }),
      );
    expect(column(open.value.byAgeBand)).toMatchObject({ "12-17": 1, "18-59": 8, "60+": 1, unknown: 0 });
    expect(column(open.value.byGender)).toMatchObject({ female: 1, male: 8, unknown: 1 });
    expect(column(open.value.byLanguage)).toEqual({ fr: 8, ps: 8, ti: 1, unknown: 1 });

    const hidden = referralFigures(figures, { k: 5, suppress: true });
    if (!hidden.ok) throw new Error(hidden.error.code);
    const ages = column(hidden.value.byAgeBand);
    expect(ages["12-17"]).toBe("hidden");
    expect(ages["60+"]).toBe("hidden");
    expect(column(hidden.value.byLanguage).ti).toBe("hidden");
    // 18-59 would give back the two hidden ones from the total of 10: one more is hidden, or the total.
    const total = hidden.value.byAgeBand.grandTotal;
    expect(ages["18-59"] === "hidden" || total.suppressed).toBe(true);
    // The total of all referrals is the same cell in the four tables that carry it.
    for (const table of [hidden.value.needStatus, hidden.value.byPartner, hidden.value.byGender]) {
      expect(table.grandTotal.suppressed).toBe(total.suppressed);
    }
  });

  it("never shows a grand total in one table that the other hides", () => {
    const few = aggregateReferrals(referrals.slice(0, 3));
    const hidden = referralFigures(few, { k: 5, suppress: true });
    if (!hidden.ok) throw new Error(hidden.error.code);
    expect(hidden.value.needStatus.grandTotal.suppressed).toBe(true);
    expect(hidden.value.byPartner.grandTotal.suppressed).toBe(true);
  });
});

describe("merged days", () => {
  it("fold the same as the days one by one", () => {
    const a = day({ 9: 2 });
    const b = day({ 9: 5 });
    const merged = arrivalsByWeekdayHour({ "2026-11-30": mergeVisitAggregates(a, b) });
    expect(merged.cells[0]?.[9]).toBe(7);
  });
});
