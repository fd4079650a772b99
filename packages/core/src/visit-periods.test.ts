import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregateVisitsByDay, rollUp, type VisitAggregate } from "./aggregate.js";
import { KEY_SPACE, type PerturbationTable, perturbationTable } from "./cell-key.js";
import type { DisclosedVisitFigures } from "./figures.js";
import { type PeriodType, periodOfDate } from "./period.js";
import { type PeriodFigure, type PeriodPublication, periodLadder, tableFigures } from "./period-lines.js";
import { publishVisitPeriod } from "./reports.js";
import { VisitAccumulator } from "./visit-accumulator.js";
import { publishVisitPeriods, type VisitPeriodPublication, visitPeriodLadder } from "./visit-periods.js";
import { addDays } from "./zoned-time.js";

function tableOf(k: number, maxNoise: number): PerturbationTable {
  const table = perturbationTable({ k, maxNoise });
  if (!table.ok) throw new Error(table.error.message);
  return table.value;
}

const AGE_ROWS = ["0-4", "5-11", "12-17", "18-59", "60+", "unknown"];
const GENDER_COLUMNS = ["female", "male", "other", "unknown"];

interface FullPublication extends PeriodPublication {
  readonly published: DisclosedVisitFigures;
}

/**
 * The ladder of publishVisitPeriods as it was before sub-periods were published by their lines alone
 * (commit 36bcc43): every sub-period published in full by publishVisitPeriod, from its days merged in an
 * accumulator, its figures read back from that publication. The reference the lean path must match.
 */
function fullLadder(
  type: PeriodType,
  days: Readonly<Record<string, VisitAggregate>>,
  byPeriod: Readonly<Record<string, VisitAggregate>>,
  table: PerturbationTable,
) {
  return periodLadder<FullPublication>((periodType, periodDays, within) => {
    const code = periodOfDate(periodType, periodDays[0] as string).code;
    const aggregate =
      (periodType === type ? byPeriod[code] : undefined) ??
      periodDays
        .reduce(
          (sum, day) =>
            sum.absorb({
              ...(days[day] as VisitAggregate),
              visitorCodes: [],
              visitorGroups: [],
              services: {},
            }),
          new VisitAccumulator(),
        )
        .finish();
    const published = publishVisitPeriod(code, aggregate, table, within);
    return { published, within, figures: figuresOf(aggregate, published) };
  });
}

/** The days of `days` by period of `type`, in order. */
function daysByPeriod(type: PeriodType, days: Readonly<Record<string, VisitAggregate>>) {
  const daysOf = new Map<string, string[]>();
  for (const day of Object.keys(days).sort()) {
    const code = periodOfDate(type, day).code;
    daysOf.set(code, [...(daysOf.get(code) ?? []), day]);
  }
  return daysOf;
}

/** A publication's sub-periods' figures, all the way down: what the lines of the period compared it with. */
function linesBelow(publication: PeriodPublication): unknown {
  return publication.within.map((parts) =>
    parts.map((part) => ({ figures: part.figures, within: linesBelow(part) })),
  );
}

/** Every sub-period tells the true count of each of its figures, and of a figure it does not publish 0. */
function expectCountsKnown(publication: PeriodPublication) {
  for (const part of publication.within.flat()) {
    for (const [name, figure] of Object.entries(part.figures))
      expect(part.count?.(name), name).toBe(figure.n);
    expect(part.count?.("language|none")).toBe(0);
    expectCountsKnown(part);
  }
}

/**
 * Publishes every period of `type` both ways — the lean ladder and the full reference — and checks that
 * each period is published byte for byte alike and that every sub-period lent its lines the same figures.
 */
function expectSamePublications(
  type: PeriodType,
  days: Readonly<Record<string, VisitAggregate>>,
  table: PerturbationTable,
) {
  const byPeriod = rollUp({ all: days }, type).all ?? {};
  const lean = visitPeriodLadder(type, days, byPeriod, table);
  const full = fullLadder(type, days, byPeriod, table);
  for (const periodDays of daysByPeriod(type, days).values()) {
    const a: VisitPeriodPublication = lean(type, periodDays);
    const b = full(type, periodDays);
    expect(JSON.stringify(a.published)).toBe(JSON.stringify(b.published));
    expect(linesBelow(a)).toEqual(linesBelow(b));
    expectCountsKnown(a);
  }
  const published = publishVisitPeriods(type, days, byPeriod, table);
  expect(published.map((item) => item.period)).toEqual(Object.keys(byPeriod).sort());
  return published;
}

function figuresOf(aggregate: VisitAggregate, published: DisclosedVisitFigures) {
  const byAgeGender = aggregate.byAgeBandGender as Record<string, Record<string, number>>;
  const counts = {
    rowLabels: AGE_ROWS,
    columnLabels: GENDER_COLUMNS,
    cells: AGE_ROWS.map((age) => GENDER_COLUMNS.map((gender) => byAgeGender[age]?.[gender] ?? 0)),
  };
  const figures: Record<string, PeriodFigure> = tableFigures(counts, published.visits, "visits|");
  figures.first = {
    n: aggregate.firstVisits,
    value: published.firstVisits.suppressed ? 0 : published.firstVisits.value,
  };
  for (const [language, n] of Object.entries(aggregate.byLanguage)) {
    const cell = published.byLanguage.find((item) => item.language === language)?.count;
    figures[`language|${language}`] = { n, value: cell === undefined || cell.suppressed ? 0 : cell.value };
  }
  return figures;
}

/**
 * `count` days of visits from `start`, drawn from `seed` (a small LCG): in each of four age band × gender
 * cells, most days none, some days one, a few days six to eight — sparse enough that a period's figure
 * often sits at the top (bottom) of its range with its few non-zero days at the bottom (top) of theirs, so
 * that step 8 moves figures of days, months and quarters alike.
 */
function dayPartials(seed: number, start: string, count: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const visits = [];
  for (let d = 0; d < count; d++) {
    const day = addDays(start, d);
    for (const ageBand of ["18-59", "60+"] as const) {
      for (const gender of ["male", "female"] as const) {
        const roll = next();
        const arrivals = roll < 0.75 ? 0 : roll < 0.9 ? 1 : 6 + Math.floor(next() * 3);
        for (let n = 0; n < arrivals; n++) {
          const at = `${day}T${String(8 + Math.floor(next() * 11)).padStart(2, "0")}:10:00Z`;
          visits.push({
            centreId: "c",
            createdAt: at,
            updatedAt: at,
            id: `v${visits.length}`,
            arrivedAt: at,
            visitorCodeHash: next() < 0.5 ? `${Math.floor(next() * 40)}`.padStart(64, "a") : null,
            ageBand,
            gender,
            languages: next() < 0.6 ? [next() < 0.7 ? "fr" : "ar"] : [],
            firstVisit: next() < 0.3 ? true : null,
            idempotencyKey: null,
            recordKey: 1 + Math.floor(next() * (KEY_SPACE - 1)),
          });
        }
      }
    }
  }
  return aggregateVisitsByDay(visits, [], { timeZone: "Europe/Paris" }).c ?? {};
}

describe("publishVisitPeriods", () => {
  it("publishes every period byte for byte as publishing each sub-period in full did", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.constantFrom<PeriodType>("day", "week", "month", "quarter", "year"),
        fc.constantFrom(tableOf(5, 2), tableOf(3, 1), tableOf(10, 3)),
        (seed, type, table) => {
          // 2025-11-03 … 2027-02-10: two year boundaries, whole and partial quarters, months and weeks.
          expectSamePublications(type, dayPartials(seed, "2025-11-03", 465), table);
        },
      ),
      { seed: 20_261_208, numRuns: 24 },
    );
  }, 300_000);

  it("publishes a period with no day partial by its own lines", () => {
    const days = dayPartials(7, "2026-03-01", 31);
    const byPeriod = rollUp({ all: days }, "month").all ?? {};
    const march = byPeriod["202603"] as VisitAggregate;
    const table = tableOf(5, 2);
    const [published] = publishVisitPeriods("month", {}, { "202604": march }, table);
    expect(published).toEqual(publishVisitPeriod("202604", march, table));
  });

  it("lends a quarter's lines a month's figures as step 8 moved them against its days", () => {
    // docs/disclosure.md's example of step 8: April's 8 men aged 18–59 (all first visits, all speaking
    // French) would publish 6 (so at most 8) over days published 6 (at least 6), 5 and 5 (at least 1 each).
    const fraction = (x: number) => Math.round(x * KEY_SPACE);
    const day = (date: string, keys: readonly number[]) =>
      keys.map((recordKey, i) => {
        const at = `${date}T${10 + i}:00:00+02:00`;
        return {
          centreId: "c",
          id: `${date}-${i}`,
          createdAt: at,
          updatedAt: at,
          arrivedAt: at,
          visitorCodeHash: null,
          ageBand: "18-59" as const,
          gender: "male" as const,
          languages: ["fr"],
          firstVisit: true,
          idempotencyKey: null,
          recordKey,
        };
      });
    const visits = [
      ...day("2026-04-07", [1, 1, 1, 1, 1, fraction(0.24) - 5]),
      ...day("2026-04-15", [fraction(0.9)]),
      ...day("2026-04-22", [fraction(0.9)]),
    ];
    const days = aggregateVisitsByDay(visits, [], { timeZone: "Europe/Paris" }).c ?? {};
    const table = tableOf(5, 2);
    const men = (figures: DisclosedVisitFigures) => figures.visits.cells[3]?.[1];
    const shown = (value: number) => ({ value, suppressed: false });
    const april = rollUp({ all: days }, "month").all?.["202604"] as VisitAggregate;
    expect(men(publishVisitPeriod("202604", april, table))).toEqual(shown(6));
    const [aprilReport] = publishVisitPeriods("month", days, { "202604": april }, table);
    expect(aprilReport && men(aprilReport)).toEqual(shown(7));
    expect(aprilReport?.firstVisits).toEqual(shown(7));
    expect(aprilReport?.byLanguage).toEqual([{ language: "fr", count: shown(7) }]);
    // In the quarter's report, April is a sub-period: the quarter's lines see April as April's report shows it.
    expectSamePublications("quarter", days, table);
    const byQuarter = rollUp({ all: days }, "quarter").all ?? {};
    const quarter = visitPeriodLadder("quarter", days, byQuarter, table)("quarter", Object.keys(days).sort());
    const [, months] = quarter.within;
    expect(months?.[0]?.figures["visits|cell|3|1"]).toEqual({ n: 8, value: 7 });
    expect(months?.[0]?.figures.first).toEqual({ n: 8, value: 7 });
    expect(months?.[0]?.figures["language|fr"]).toEqual({ n: 8, value: 7 });
  });
});
