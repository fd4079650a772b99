import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KEY_SPACE, perturbationTable } from "./cell-key.js";
import type { AgeBand, Gender } from "./common.js";
import { publishVisitPeriod } from "./reports.js";
import { StreamedRollUp } from "./streamed-roll-up.js";
import { mergeVisitAggregates } from "./visit-accumulator.js";
import type { VisitAggregate } from "./visit-aggregate.js";
import { publishVisitPeriods } from "./visit-periods.js";
import { publishVisitorGroups } from "./visitor-groups.js";
import { aggregateVisitsByDay, type RollUpPeriod, rollUp } from "./visits-by-day.js";

const CENTRES = ["north", "south"] as const;
const TYPES: RollUpPeriod[] = ["day", "week", "month", "quarter", "year"];
const built = perturbationTable({ k: 5, maxNoise: 2 });
if (!built.ok) throw new Error("the perturbation table of k = 5, D = 2");
const table = built.value;

/** Visits of two centres over 2025-12-01 … 2026-03-31 (a year, a quarter and months cross it), with codes. */
const visitsArb = fc.array(
  fc.record({
    centre: fc.constantFrom(...CENTRES),
    day: fc.integer({ min: 0, max: 120 }),
    hour: fc.integer({ min: 7, max: 19 }),
    // Few distinct cards, so people come back on other days, weeks and months.
    card: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
    ageBand: fc.option(fc.constantFrom<AgeBand>("12-17", "18-59", "60+"), { nil: null }),
    gender: fc.option(fc.constantFrom<Gender>("female", "male"), { nil: null }),
    languages: fc.array(fc.constantFrom("ar", "fr", "ti"), { maxLength: 2 }),
    recordKey: fc.integer({ min: 1, max: KEY_SPACE - 1 }),
  }),
  { maxLength: 160 },
);

type VisitSpec = (typeof visitsArb extends fc.Arbitrary<infer T> ? T : never)[number];

/** The centres' day partials of these visits, as the roll-up job stores them. */
function daysByCentre(visits: readonly VisitSpec[]) {
  const rows = visits.map((v, i) => {
    const arrivedAt = new Date(Date.UTC(2025, 11, 1 + v.day, v.hour, 15)).toISOString();
    return {
      id: `v${i}`,
      centreId: v.centre,
      arrivedAt,
      createdAt: arrivedAt,
      updatedAt: arrivedAt,
      // Each centre hashes a card with its own key: the same card never gives the same code at both.
      visitorCodeHash:
        v.card === null
          ? null
          : `${v.centre === "north" ? "a" : "b"}${v.card.toString(16).padStart(2, "0")}`.padEnd(64, "0"),
      ageBand: v.ageBand,
      gender: v.gender,
      languages: v.languages,
      firstVisit: null,
      idempotencyKey: null,
      recordKey: v.recordKey,
    };
  });
  return aggregateVisitsByDay(rows, [], { timeZone: "Europe/Paris" });
}

/** What the visits report did before: every day of every centre merged with its codes, then rolled up. */
function rolledAtOnce(byCentre: Record<string, Record<string, VisitAggregate>>, type: RollUpPeriod) {
  const days: Record<string, VisitAggregate> = {};
  for (const centre of CENTRES) {
    for (const [day, partial] of Object.entries(byCentre[centre] ?? {})) {
      const known = days[day];
      days[day] = known === undefined ? partial : mergeVisitAggregates(known, partial);
    }
  }
  return { days, byPeriod: type === "day" ? days : (rollUp({ all: days }, type).all ?? {}) };
}

function streamed(byCentre: Record<string, Record<string, VisitAggregate>>, type: RollUpPeriod) {
  const roll = new StreamedRollUp(type);
  for (const centre of CENTRES) {
    for (const day of Object.keys(byCentre[centre] ?? {}).sort()) {
      roll.addDay(day, byCentre[centre]?.[day] as VisitAggregate);
    }
    roll.endCentre();
  }
  return roll.finish();
}

/** Everything the visits report answers of a period, protected and raw. */
function answers(code: string, aggregate: VisitAggregate) {
  return {
    published: publishVisitPeriod(code, aggregate, table),
    visits: aggregate.visits,
    firstVisits: aggregate.firstVisits,
    uniqueVisitors: aggregate.uniqueVisitors,
    byAgeBandGender: aggregate.byAgeBandGender,
    byLanguage: aggregate.byLanguage,
    groups: publishVisitorGroups(aggregate, null),
  };
}

describe("StreamedRollUp", () => {
  it("answers every period of every type as merging all days with their codes did, in both centres", () => {
    fc.assert(
      fc.property(visitsArb, (visits) => {
        const byCentre = daysByCentre(visits);
        for (const type of TYPES) {
          const before = rolledAtOnce(byCentre, type);
          const after = streamed(byCentre, type);
          expect(Object.keys(after.byPeriod)).toEqual(Object.keys(before.byPeriod).sort());
          for (const code of Object.keys(before.byPeriod)) {
            expect(answers(code, after.byPeriod[code] as VisitAggregate)).toEqual(
              answers(code, before.byPeriod[code] as VisitAggregate),
            );
          }
          // The lines over days (step 8) read the same figures from the stripped days.
          if (type === "day") expect(after.days).toEqual({});
          else {
            expect(publishVisitPeriods(type, after.days, after.byPeriod, table)).toEqual(
              publishVisitPeriods(type, before.days, before.byPeriod, table),
            );
          }
        }
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it("counts a visitor who came on several days of a month once, and two centres' visitors apart", () => {
    const byCentre = daysByCentre([
      {
        centre: "north",
        day: 0,
        hour: 9,
        card: 1,
        ageBand: "18-59",
        gender: "male",
        languages: [],
        recordKey: 7,
      },
      {
        centre: "north",
        day: 3,
        hour: 9,
        card: 1,
        ageBand: "18-59",
        gender: "male",
        languages: [],
        recordKey: 8,
      },
      { centre: "south", day: 3, hour: 9, card: 1, ageBand: null, gender: null, languages: [], recordKey: 9 },
    ]);
    const { byPeriod, days } = streamed(byCentre, "month");
    expect(byPeriod["202512"]?.visits).toBe(3);
    expect(byPeriod["202512"]?.uniqueVisitors).toBe(2);
    // No visitor code is kept: neither in the periods nor in the days.
    expect(byPeriod["202512"]?.visitorCodes).toEqual([]);
    expect(Object.values(days).every((day) => day.visitorCodes.length === 0)).toBe(true);
    expect(days["2025-12-04"]?.visits).toBe(2);
  });

  it("refuses a centre's days out of order", () => {
    const byCentre = daysByCentre([
      {
        centre: "north",
        day: 0,
        hour: 9,
        card: null,
        ageBand: null,
        gender: null,
        languages: [],
        recordKey: 7,
      },
      {
        centre: "north",
        day: 5,
        hour: 9,
        card: null,
        ageBand: null,
        gender: null,
        languages: [],
        recordKey: 8,
      },
    ]);
    const roll = new StreamedRollUp("week").addDay(
      "2025-12-06",
      byCentre.north?.["2025-12-06"] as VisitAggregate,
    );
    expect(() => roll.addDay("2025-12-01", byCentre.north?.["2025-12-01"] as VisitAggregate)).toThrow(
      /out of order/,
    );
  });
});
