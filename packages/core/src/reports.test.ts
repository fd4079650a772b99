import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  aggregateReferrals,
  aggregateVisitsByDay,
  emptyVisitAggregate,
  type KeyedRecord,
  mergeVisitAggregates,
  rollUp,
  timeToOutcomeStats,
  uniqueVisitorsCellKey,
  type VisitAggregate,
} from "./aggregate.js";
import {
  KEY_SPACE,
  magnitudeCellKey,
  type PerturbationTable,
  perturbationTable,
  perturbCount,
  perturbTable,
} from "./cell-key.js";
import type { AgeBand, Gender } from "./common.js";
import { type DisclosedCell, type DisclosedTable, openTable } from "./disclosure.js";
import type { Referral, ReferralNeed, ReferralStatus } from "./referral.js";
import {
  arrivalsByWeekdayHour,
  arrivalsCellKeys,
  publishServiceRows,
  publishVisitPeriod,
  referralFigures,
  serviceReportRows,
} from "./reports.js";
import type { Schedule } from "./schedule.js";
import type { ServiceUse } from "./service-use.js";
import type { Visit } from "./visit.js";

function tableOf(k: number, maxNoise: number): PerturbationTable {
  const table = perturbationTable({ k, maxNoise });
  if (!table.ok) throw new Error(table.error.message);
  return table.value;
}

const TABLE = tableOf(5, 2);
const tableArb = fc.constantFrom(tableOf(3, 1), TABLE, tableOf(10, 3));
const recordKeyArb = fc.integer({ min: 1, max: KEY_SPACE - 1 });
const PARIS = { timeZone: "Europe/Paris" };

/** The sum of record keys modulo 2³², computed without the code under test. */
const keySum = (keys: readonly number[]) =>
  Number(keys.reduce((sum, key) => sum + BigInt(key), 0n) % 2n ** 32n);

/** Every count a caller would read in published figures: cell values and time-to-outcome counts. */
function publishedCounts(figures: unknown): number[] {
  const found: number[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (record.suppressed === false && typeof record.value === "number") found.push(record.value);
      if (typeof record.outcome === "string" && typeof record.count === "number") found.push(record.count);
      Object.values(record).forEach(walk);
    }
  };
  walk(figures);
  return found;
}

function expectNoSmallCount(figures: unknown, k: number) {
  const small = publishedCounts(figures).filter((n) => n > 0 && n < k);
  expect(small, `published counts of 1…${k - 1}`).toEqual([]);
  expect(JSON.stringify(figures)).not.toContain('"suppressed":true');
}

const shown = (n: number, key: number, table: PerturbationTable = TABLE): DisclosedCell => ({
  value: perturbCount(n, key, table),
  suppressed: false,
});

// ---------------------------------------------------------------------------------------------------
// Rows.

function visitAt(
  id: string,
  arrivedAt: string,
  fields: Partial<KeyedRecord<Visit>> = {},
): KeyedRecord<Visit> {
  return {
    id,
    centreId: "halte",
    arrivedAt,
    createdAt: arrivedAt,
    updatedAt: arrivedAt,
    visitorCodeHash: null,
    ageBand: null,
    gender: null,
    languages: [],
    firstVisit: null,
    idempotencyKey: null,
    ...fields,
  };
}

function useAt(
  id: string,
  usedAt: string,
  fields: Partial<KeyedRecord<ServiceUse>> = {},
): KeyedRecord<ServiceUse> {
  return {
    id,
    centreId: "halte",
    serviceId: "showers",
    usedAt,
    quantity: 1,
    visitId: null,
    source: "door",
    partnerId: null,
    createdAt: usedAt,
    updatedAt: usedAt,
    ...fields,
  };
}

/** November 2026, Paris: any day and any hour from 07:00 to 20:59 local. */
const novemberInstantArb = fc
  .record({ day: fc.integer({ min: 1, max: 30 }), hour: fc.integer({ min: 6, max: 19 }) })
  .map(({ day, hour }) => `2026-11-${String(day).padStart(2, "0")}T${String(hour).padStart(2, "0")}:30:00Z`);

const visitRowsArb = fc.array(
  fc
    .record({
      arrivedAt: novemberInstantArb,
      visitorCodeHash: fc.option(
        fc.constantFrom(...["1", "2", "3", "4", "5", "6", "7"].map((c) => c.repeat(64))),
      ),
      ageBand: fc.option(fc.constantFrom<AgeBand>("0-4", "12-17", "18-59", "60+")),
      gender: fc.option(fc.constantFrom<Gender>("female", "male")),
      languages: fc.array(fc.constantFrom("ar", "fr", "ps", "ti"), { maxLength: 2 }),
      firstVisit: fc.option(fc.boolean()),
      recordKey: recordKeyArb,
    })
    .map((fields) => visitAt(`v${fields.recordKey}`, fields.arrivedAt, fields)),
  { maxLength: 60 },
);

const useRowsArb = fc.array(
  fc
    .record({
      usedAt: novemberInstantArb,
      serviceId: fc.constantFrom("showers", "meals", "legal"),
      quantity: fc.integer({ min: 1, max: 3 }),
      recordKey: recordKeyArb,
    })
    .map((fields) => useAt(`u${fields.recordKey}`, fields.usedAt, fields)),
  { maxLength: 60 },
);

function daysOf(visits: KeyedRecord<Visit>[], uses: KeyedRecord<ServiceUse>[] = []) {
  return aggregateVisitsByDay(visits, uses, PARIS).halte ?? {};
}

function monthOf(visits: KeyedRecord<Visit>[]): VisitAggregate {
  return rollUp({ halte: daysOf(visits) }, "month").halte?.["202611"] ?? emptyVisitAggregate();
}

/** A day partial with counts only (no keys), for the tests of what the tables count. */
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

// ---------------------------------------------------------------------------------------------------
// Arrivals.

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

  it("folds merged days the same as the days one by one", () => {
    const merged = arrivalsByWeekdayHour({
      "2026-11-30": mergeVisitAggregates(day({ 9: 2 }), day({ 9: 5 })),
    });
    expect(merged.cells[0]?.[9]).toBe(7);
  });

  it("keys each weekday and hour with the keys of the arrivals it counts", () => {
    const days = daysOf([
      visitAt("a", "2026-11-30T08:10:00Z", { recordKey: 100 }), // Monday 09:10 Paris
      visitAt("b", "2026-12-07T08:20:00Z", { recordKey: KEY_SPACE - 1 }), // the next Monday 09:20
      visitAt("c", "2026-12-07T17:00:00Z", { recordKey: 7 }), // Monday 18:00
      visitAt("d", "2026-11-29T22:30:00Z", { recordKey: 9 }), // Sunday 23:30
    ]);
    const keys = arrivalsCellKeys(days);
    expect(keys[0]?.[9]).toBe(99);
    expect(keys[0]?.[18]).toBe(7);
    expect(keys[6]?.[23]).toBe(9);
    expect(keys.flat().filter((key) => key !== 0)).toHaveLength(3);
  });

  it("publishes the same total of arrivals as the visit figures of the same days", () => {
    fc.assert(
      fc.property(tableArb, visitRowsArb, (table, visits) => {
        const days = daysOf(visits);
        const arrivals = perturbTable(arrivalsByWeekdayHour(days), arrivalsCellKeys(days), table);
        const visitFigures = publishVisitPeriod("202611", monthOf(visits), table);
        expect(arrivals.grandTotal).toEqual(visitFigures.visits.grandTotal);
        expectNoSmallCount(arrivals, table.k);
        // The Monday row counts the visits of November's Mondays: the same records as their merged partials.
        const mondays = ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"]
          .map((d) => days[d] ?? emptyVisitAggregate())
          .reduce(mergeVisitAggregates);
        expect(arrivals.rowTotals[0]).toEqual(
          publishVisitPeriod("mondays", mondays, table).visits.grandTotal,
        );
      }),
      { numRuns: 50 },
    );
  });
});

describe("openTable", () => {
  it("shows every count with its totals, for the admin views", () => {
    const open = openTable(
      {
        rowLabels: ["a", "b"],
        columnLabels: ["x", "y"],
        cells: [
          [12, 3],
          [40, 9],
        ],
      },
      5,
    );
    expect(open.cells[0]?.[1]).toEqual({ value: 3, suppressed: false });
    expect(open.rowTotals[0]).toEqual({ value: 15, suppressed: false });
    expect(open.columnTotals[1]).toEqual({ value: 12, suppressed: false });
    expect(open.grandTotal).toEqual({ value: 64, suppressed: false });
  });
});

// ---------------------------------------------------------------------------------------------------
// Visit figures.

describe("publishVisitPeriod", () => {
  it("never publishes 1…k−1 and hides nothing, whatever the month", () => {
    fc.assert(
      fc.property(tableArb, visitRowsArb, (table, visits) => {
        expectNoSmallCount(publishVisitPeriod("202611", monthOf(visits), table), table.k);
      }),
      { numRuns: 200 },
    );
  });

  it("publishes each figure as the perturbation of its true count with its records' key", () => {
    fc.assert(
      fc.property(visitRowsArb, (visits) => {
        const month = monthOf(visits);
        const figures = publishVisitPeriod("202611", month, TABLE);
        const keysOf = (keep: (v: KeyedRecord<Visit>) => boolean) =>
          keySum(visits.filter(keep).map((v) => v.recordKey ?? 0));
        expect(figures.period).toBe("202611");
        expect(figures.visits.grandTotal).toEqual(
          shown(
            visits.length,
            keysOf(() => true),
          ),
        );
        expect(figures.firstVisits).toEqual(
          shown(
            visits.filter((v) => v.firstVisit === true).length,
            keysOf((v) => v.firstVisit === true),
          ),
        );
        expect(figures.uniqueVisitors).toEqual(shown(month.uniqueVisitors, uniqueVisitorsCellKey(month)));
        const women = figures.visits.columnLabels.indexOf("female");
        const female = (v: KeyedRecord<Visit>) => v.gender === "female";
        expect(figures.visits.columnTotals[women]).toEqual(
          shown(visits.filter(female).length, keysOf(female)),
        );
        // A language is listed only when its published count is not 0: listing a language published as 0
        // would say that someone spoke it.
        const languages = Object.keys(month.byLanguage)
          .sort()
          .map((language) => {
            const speaks = (v: KeyedRecord<Visit>) =>
              language === "unknown" ? v.languages.length === 0 : v.languages.includes(language);
            return { language, count: shown(visits.filter(speaks).length, keysOf(speaks)) };
          });
        expect(figures.byLanguage).toEqual(
          languages.filter(({ count }) => !count.suppressed && count.value > 0),
        );
      }),
      { numRuns: 100 },
    );
  });

  it("publishes a month the same whether it was rolled up from days or counted at once", () => {
    fc.assert(
      fc.property(visitRowsArb, (visits) => {
        const rolled = monthOf(visits);
        const atOnce = Object.values(daysOf(visits)).reduce(
          (month, dayPartial) => mergeVisitAggregates(dayPartial, month),
          emptyVisitAggregate(),
        );
        expect(publishVisitPeriod("202611", atOnce, TABLE)).toEqual(
          publishVisitPeriod("202611", rolled, TABLE),
        );
      }),
      { numRuns: 50 },
    );
  });

  it("publishes three girls as 0 or k, never as 3, and keeps the total near the truth", () => {
    const visits = [
      ...Array.from({ length: 3 }, (_, i) =>
        visitAt(`g${i}`, "2026-11-10T09:00:00Z", {
          ageBand: "12-17",
          gender: "female",
          recordKey: 1_234_567 * (i + 1),
        }),
      ),
      ...Array.from({ length: 40 }, (_, i) =>
        visitAt(`m${i}`, "2026-11-12T09:00:00Z", {
          ageBand: "18-59",
          gender: "male",
          recordKey: 987_654_321 * (i + 1),
        }),
      ),
    ];
    const figures = publishVisitPeriod("202611", monthOf(visits), TABLE);
    const girls =
      figures.visits.cells[figures.visits.rowLabels.indexOf("12-17")]?.[
        figures.visits.columnLabels.indexOf("female")
      ];
    expect(girls?.suppressed).toBe(false);
    expect([0, 5]).toContain(girls?.suppressed === false ? girls.value : -1);
    const total = figures.visits.grandTotal;
    expect(total.suppressed === false && Math.abs(total.value - 43)).toBeLessThanOrEqual(2);
  });
});

// ---------------------------------------------------------------------------------------------------
// Services against capacity.

describe("serviceReportRows", () => {
  // Open every day but Sunday; 10 showers a day.
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

  it("keys uses with all the period's use records and `used` with those of days with a capacity", () => {
    const keyed = daysOf(
      [],
      [
        useAt("sat", "2026-11-28T09:00:00Z", { quantity: 2, recordKey: 10 }),
        useAt("sun", "2026-11-29T09:00:00Z", { recordKey: 200 }), // closed: no capacity
        useAt("mon", "2026-11-30T09:00:00Z", { recordKey: KEY_SPACE - 1 }),
        useAt("meal", "2026-11-28T12:00:00Z", { serviceId: "meals", recordKey: 3_000 }),
      ],
    );
    const rows = serviceReportRows(keyed, [{ id: "showers", name: "Douches", schedule }], {
      from: "2026-11-28",
      to: "2026-11-30",
      period: "month",
    });
    expect(rows.map((r) => [r.serviceId, r.uses, r.used, r.keys])).toEqual([
      ["showers", 3, 3, { uses: 209, used: 9 }],
      ["meals", 1, 0, { uses: 3_000, used: 0 }], // not in the services given: no schedule, no capacity
    ]);
  });
});

describe("publishServiceRows", () => {
  const schedule: Schedule = {
    timeZone: "Europe/Paris",
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: "08:00", closesAt: "19:00" })),
    exceptions: [],
    dailyCapacity: 4,
  };
  const services = [
    { id: "showers", name: "Douches", schedule },
    { id: "meals", name: "Repas", schedule: { ...schedule, dailyCapacity: 6 } },
  ];
  const november = { from: "2026-11-01", to: "2026-11-30", period: "week" } as const;
  // ISO weeks 44 (one day, 1 November) to 49 (one day, 30 November): the range cuts them.
  const weekly = { ...november, from: "2026-11-02", to: "2026-11-29" } as const;

  it("never publishes 1…k−1 in a row or a total, and publishes utilisation as published used / capacity", () => {
    fc.assert(
      fc.property(tableArb, useRowsArb, (table, uses) => {
        const published = publishServiceRows(serviceReportRows(daysOf([], uses), services, weekly), table);
        expectNoSmallCount(published, table.k);
        for (const row of published.rows) {
          const used = row.used.suppressed ? Number.NaN : row.used.value;
          expect(row.utilisation).toBe(row.capacity > 0 ? used / row.capacity : null);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("publishes each row and each period's total with the keys of the use records they count", () => {
    fc.assert(
      fc.property(useRowsArb, (uses) => {
        const rows = serviceReportRows(daysOf([], uses), services, weekly);
        const published = publishServiceRows(rows, TABLE);
        rows.forEach((row, i) => {
          expect(published.rows[i]).toMatchObject({
            period: row.period,
            serviceId: row.serviceId,
            uses: shown(row.uses, row.keys.uses),
            // People served are a second measure of the same records: their own (mixed) key.
            quantity: shown(row.quantity, magnitudeCellKey(row.keys.uses)),
            used: shown(row.used, magnitudeCellKey(row.keys.used)),
            capacity: row.capacity,
            saturatedDayCount: row.saturatedDays.length,
          });
        });
        for (const total of published.totals) {
          const inPeriod = rows.filter((row) => row.period === total.period);
          const sum = (pick: (row: (typeof rows)[number]) => number) =>
            inPeriod.reduce((s, row) => s + pick(row), 0);
          expect(total.uses).toEqual(
            shown(
              sum((r) => r.uses),
              keySum(inPeriod.map((r) => r.keys.uses)),
            ),
          );
          expect(total.used).toEqual(
            shown(
              sum((r) => r.used),
              magnitudeCellKey(keySum(inPeriod.map((r) => r.keys.used))),
            ),
          );
        }
        expect(published.totals.map((t) => t.period)).toEqual([...new Set(rows.map((r) => r.period))]);
      }),
      { numRuns: 100 },
    );
  });

  it("gives a service the same published row whether it is asked alone, with others, or in a longer range", () => {
    fc.assert(
      fc.property(useRowsArb, (uses) => {
        const all = publishServiceRows(serviceReportRows(daysOf([], uses), services, weekly), TABLE).rows;
        const showersOnly = publishServiceRows(
          serviceReportRows(
            daysOf(
              [],
              uses.filter((u) => u.serviceId === "showers"),
            ),
            [services[0] as (typeof services)[number]],
            weekly,
          ),
          TABLE,
        ).rows;
        expect(showersOnly).toEqual(all.filter((row) => row.serviceId === "showers"));
        const oneWeek = publishServiceRows(
          serviceReportRows(daysOf([], uses), services, {
            from: "2026-11-16",
            to: "2026-11-22",
            period: "week",
          }),
          TABLE,
        ).rows;
        // Services without a schedule (here `legal`) get a nameless row only in ranges where they were used.
        const named = (rows: typeof all) => rows.filter((row) => row.serviceName !== null);
        expect(named(oneWeek)).toEqual(named(all).filter((row) => row.period === "2026W47"));
      }),
      { numRuns: 50 },
    );
  });

  it("counts the saturated days, whose dates stay in the admin views", () => {
    const uses = Array.from({ length: 4 }, (_, i) =>
      useAt(`s${i}`, "2026-11-28T09:00:00Z", { recordKey: i + 1 }),
    );
    const week = { from: "2026-11-23", to: "2026-11-29", period: "week" } as const;
    const rows = serviceReportRows(daysOf([], uses), services, week);
    expect(rows[0]?.saturatedDays.map((d) => d.day)).toEqual(["2026-11-28"]);
    const published = publishServiceRows(rows, TABLE);
    expect(published.rows[0]).toMatchObject({ serviceId: "showers", capacity: 28, saturatedDayCount: 1 });
    expect(JSON.stringify(published)).not.toContain("2026-11-28");
  });
});

// ---------------------------------------------------------------------------------------------------
// Referrals.

const PARTNERS = ["samu", "ftda", "aurore"] as const;

function referral(
  id: string,
  need: ReferralNeed,
  status: ReferralStatus,
  hours: number | null,
  fields: Partial<KeyedRecord<Referral>> = {},
): KeyedRecord<Referral> {
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
    ...fields,
  };
}

const referralsArb = fc.array(
  fc
    .record({
      need: fc.constantFrom<ReferralNeed>("accommodation", "health", "legal", "food"),
      status: fc.constantFrom<ReferralStatus>(
        "draft",
        "requested",
        "accepted",
        "rejected",
        "completed",
        "failed",
      ),
      partnerId: fc.constantFrom(...PARTNERS),
      ageBand: fc.option(fc.constantFrom<AgeBand>("12-17", "18-59", "60+")),
      gender: fc.option(fc.constantFrom<Gender>("female", "male")),
      languages: fc.array(fc.constantFrom("ar", "fr", "ps"), { maxLength: 2 }),
      hours: fc.option(fc.integer({ min: 1, max: 400 })),
      recordKey: recordKeyArb,
    })
    .map(({ need, status, hours, ...fields }) =>
      referral(`r${fields.recordKey}`, need, status, hours, fields),
    ),
  { maxLength: 40 },
);

function partnerStatusOf(referrals: readonly Referral[]): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const r of referrals) {
    const row = counts[r.partnerId] ?? {};
    row[r.status] = (row[r.status] ?? 0) + 1;
    counts[r.partnerId] = row;
  }
  return counts;
}

const isTimed = (r: Referral) =>
  ["completed", "failed", "rejected"].includes(r.status) && r.closedAt !== null;

describe("referralFigures, open (perturbation: null)", () => {
  const referrals = [
    ...Array.from({ length: 6 }, (_, i) => referral(`s${i}`, "accommodation", "completed", i + 1)),
    ...Array.from({ length: 6 }, (_, i) => referral(`f${i}`, "health", "requested", null)),
    referral("s9", "legal", "rejected", 48),
    referral("f9", "legal", "failed", null),
  ];
  const aggregate = aggregateReferrals(referrals);

  it("gives the funnel in the lifecycle's order and time to outcome, exact", () => {
    const open = referralFigures(aggregate, { k: 5, perturbation: null, partnerIds: ["samu", "ftda"] });
    const funnel = open.needStatus.columnLabels.map((status, j) => [status, open.needStatus.columnTotals[j]]);
    expect(funnel.slice(0, 4)).toEqual([
      ["draft", { value: 0, suppressed: false }],
      ["requested", { value: 6, suppressed: false }],
      ["accepted", { value: 0, suppressed: false }],
      ["rejected", { value: 1, suppressed: false }],
    ]);
    expect(open.byPartner.rowLabels).toEqual(["samu", "ftda"]);
    expect(open.timeToOutcome[1]).toEqual({
      outcome: "completed",
      suppressed: false,
      count: 6,
      medianSeconds: 3 * 3600,
      p90Seconds: 6 * 3600,
    });
    // Fewer than k outcomes still get their median in the admin views.
    expect(open.timeToOutcome[3]).toEqual({
      outcome: "rejected",
      suppressed: false,
      count: 1,
      medianSeconds: 48 * 3600,
      p90Seconds: 48 * 3600,
    });
    expect(open.untimedOutcomes).toBe(1);
  });

  it("shows every count as counted, for any referrals", () => {
    fc.assert(
      fc.property(referralsArb, (rs) => {
        const agg = aggregateReferrals(rs);
        const open = referralFigures(agg, { k: 5, perturbation: null, partnerStatus: partnerStatusOf(rs) });
        const values = (table: DisclosedTable) =>
          table.cells.map((row) => row.map((cell) => (cell.suppressed ? null : cell.value)));
        expect(values(open.needStatus)).toEqual(
          open.needStatus.rowLabels.map((need) =>
            open.needStatus.columnLabels.map(
              (status) => rs.filter((r) => r.need === need && r.status === status).length,
            ),
          ),
        );
        expect(values(open.byPartner)).toEqual(
          open.byPartner.rowLabels.map((id) =>
            open.byPartner.columnLabels.map(
              (status) => rs.filter((r) => r.partnerId === id && r.status === status).length,
            ),
          ),
        );
        expect(open.needStatus.grandTotal).toEqual({ value: rs.length, suppressed: false });
        expect(open.timeToOutcome[0]).toMatchObject({
          count: rs.filter(isTimed).length,
          medianSeconds: timeToOutcomeStats(agg).median,
          p90Seconds: timeToOutcomeStats(agg).p90,
        });
      }),
      { numRuns: 100 },
    );
  });

  it("counts the people referred by age band, gender and language", () => {
    const people = [
      ...Array.from({ length: 8 }, (_, i) =>
        referral(`s${i}`, "accommodation", "requested", null, {
          ageBand: "18-59",
          gender: "male",
          languages: ["ps", "fr"],
        }),
      ),
      referral("s8", "health", "requested", null, { ageBand: "60+", gender: "female" }),
      referral("s9", "legal", "requested", null, { ageBand: "12-17", languages: ["ti"] }),
    ];
    const open = referralFigures(aggregateReferrals(people), { k: 5, perturbation: null });
    const column = (table: DisclosedTable) =>
      Object.fromEntries(
        table.rowLabels.map((label, i) => {
          const cell = table.cells[i]?.[0];
          return [label, cell === undefined || cell.suppressed ? "hidden" : cell.value];
        }),
      );
    expect(column(open.byAgeBand)).toMatchObject({ "12-17": 1, "18-59": 8, "60+": 1, unknown: 0 });
    expect(column(open.byGender)).toMatchObject({ female: 1, male: 8, unknown: 1 });
    expect(column(open.byLanguage)).toEqual({ fr: 8, ps: 8, ti: 1, unknown: 1 });
  });
});

describe("referralFigures, perturbed", () => {
  it("never publishes 1…k−1 anywhere, nor the untimed outcomes", () => {
    fc.assert(
      fc.property(tableArb, referralsArb, fc.boolean(), (table, rs, withPartnerStatus) => {
        const figures = referralFigures(aggregateReferrals(rs), {
          k: table.k,
          perturbation: table,
          ...(withPartnerStatus ? { partnerStatus: partnerStatusOf(rs) } : {}),
        });
        expectNoSmallCount(figures, table.k);
        expect(figures.untimedOutcomes).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it("publishes all referrals as one figure in the four tables that total them", () => {
    fc.assert(
      fc.property(tableArb, referralsArb, (table, rs) => {
        const figures = referralFigures(aggregateReferrals(rs), { k: table.k, perturbation: table });
        const all = shown(rs.length, keySum(rs.map((r) => r.recordKey ?? 0)), table);
        expect(figures.needStatus.grandTotal).toEqual(all);
        expect(figures.byPartner.grandTotal).toEqual(all);
        expect(figures.byAgeBand.grandTotal).toEqual(all);
        expect(figures.byGender.grandTotal).toEqual(all);
      }),
      { numRuns: 200 },
    );
  });

  it("publishes each status of the funnel as the same figure in need × status and partner × status", () => {
    fc.assert(
      fc.property(tableArb, referralsArb, (table, rs) => {
        const figures = referralFigures(aggregateReferrals(rs), {
          k: table.k,
          perturbation: table,
          partnerStatus: partnerStatusOf(rs),
        });
        expect(figures.byPartner.columnLabels).toEqual(figures.needStatus.columnLabels);
        expect(figures.byPartner.columnTotals).toEqual(figures.needStatus.columnTotals);
        expect(figures.byPartner.grandTotal).toEqual(figures.needStatus.grandTotal);
        // A partner's row total is its referrals, as in the one-column table without partnerStatus. (A row
        // published all 0 is left out; a partner × status row can show cells beside a total of 0.)
        const plain = referralFigures(aggregateReferrals(rs), { k: table.k, perturbation: table });
        const totals = (t: DisclosedTable) => new Map(t.rowLabels.map((label, i) => [label, t.rowTotals[i]]));
        const withStatus = totals(figures.byPartner);
        for (const [partner, total] of totals(plain.byPartner))
          expect(withStatus.get(partner)).toEqual(total);
        for (const [partner, total] of withStatus) {
          expect(totals(plain.byPartner).get(partner) ?? { value: 0, suppressed: false }).toEqual(total);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("perturbs the count of timed outcomes with their keys, and gives quantiles only where the published count is above k", () => {
    fc.assert(
      fc.property(tableArb, referralsArb, (table, rs) => {
        const aggregate = aggregateReferrals(rs);
        const figures = referralFigures(aggregate, { k: table.k, perturbation: table });
        for (const entry of figures.timeToOutcome) {
          const timed = rs.filter(
            (r) => isTimed(r) && (entry.outcome === "all" || r.status === entry.outcome),
          );
          const stats = timeToOutcomeStats(aggregate, entry.outcome === "all" ? undefined : entry.outcome);
          const count = perturbCount(timed.length, keySum(timed.map((r) => r.recordKey ?? 0)), table);
          // A published count above k can only come from at least k outcomes, so showing the quantiles
          // then says nothing the count does not; at exactly k (maybe 1…k−1 outcomes) they stay hidden.
          const quantiles = count > table.k;
          expect(timed.length >= table.k || !quantiles).toBe(true);
          expect(entry, entry.outcome).toEqual({
            outcome: entry.outcome,
            suppressed: false,
            count,
            medianSeconds: quantiles ? stats.median : null,
            p90Seconds: quantiles ? stats.p90 : null,
          });
        }
      }),
      { numRuns: 200 },
    );
  });

  it("publishes a partner's row the same in a report of that partner only", () => {
    fc.assert(
      fc.property(
        tableArb,
        referralsArb,
        fc.constantFrom(...PARTNERS),
        fc.boolean(),
        (table, rs, partner, withPartnerStatus) => {
          const options = (subset: Referral[]) => ({
            k: table.k,
            perturbation: table,
            partnerIds: [partner],
            ...(withPartnerStatus ? { partnerStatus: partnerStatusOf(subset) } : {}),
          });
          const own = rs.filter((r) => r.partnerId === partner);
          const everyone = referralFigures(aggregateReferrals(rs), options(rs)).byPartner;
          const alone = referralFigures(aggregateReferrals(own), options(own)).byPartner;
          expect(alone.rowLabels).toEqual([partner]);
          expect(alone.cells[0]).toEqual(everyone.cells[0]);
          expect(alone.rowTotals[0]).toEqual(everyone.rowTotals[0]);
          // Its own report's grand total is that same row: one figure for one set of referrals.
          expect(alone.grandTotal).toEqual(everyone.rowTotals[0]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("lists a partner or a language only when something in its row is published, or when it was asked for", () => {
    fc.assert(
      fc.property(tableArb, referralsArb, fc.boolean(), (table, rs, withPartnerStatus) => {
        const asked = ["aurore"];
        const options = {
          k: table.k,
          partnerIds: asked,
          ...(withPartnerStatus ? { partnerStatus: partnerStatusOf(rs) } : {}),
        };
        const figures = referralFigures(aggregateReferrals(rs), { ...options, perturbation: table });
        const nonZero = (cell: DisclosedCell | undefined) =>
          cell !== undefined && !cell.suppressed && cell.value > 0;
        const tables: [DisclosedTable, readonly string[]][] = [
          [figures.byPartner, asked],
          [figures.byLanguage, []],
        ];
        for (const [t, kept] of tables) {
          t.rowLabels.forEach((label, i) => {
            if (kept.includes(label)) return;
            expect(nonZero(t.rowTotals[i]) || (t.cells[i] ?? []).some(nonZero), label).toBe(true);
          });
        }
        expect(figures.byPartner.rowLabels[0]).toBe("aurore");
        // The admin views list every partner and language of the referrals.
        const open = referralFigures(aggregateReferrals(rs), { ...options, perturbation: null });
        expect(new Set(open.byPartner.rowLabels)).toEqual(new Set(["aurore", ...rs.map((r) => r.partnerId)]));
      }),
      { numRuns: 200 },
    );
  });

  it("publishes a lone teenager as 0 or k, never as 1", () => {
    const people = [
      ...Array.from({ length: 8 }, (_, i) =>
        referral(`s${i}`, "accommodation", "requested", null, {
          ageBand: "18-59",
          recordKey: 1 + i * 500_000_000,
        }),
      ),
      referral("s9", "legal", "requested", null, {
        ageBand: "12-17",
        languages: ["ti"],
        recordKey: 3_000_000_000,
      }),
    ];
    const figures = referralFigures(aggregateReferrals(people), { k: 5, perturbation: TABLE });
    const teen = figures.byAgeBand.cells[figures.byAgeBand.rowLabels.indexOf("12-17")]?.[0];
    expect(teen).toEqual(shown(1, 3_000_000_000));
    expect([0, 5]).toContain(teen?.suppressed === false ? teen.value : -1);
  });
});
