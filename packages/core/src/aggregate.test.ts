import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  aggregateReferrals,
  aggregateVisitsByDay,
  anonymiseVisitorCodes,
  CompactVisitSum,
  capacityUtilisation,
  emptyReferralAggregate,
  emptyVisitAggregate,
  type KeyedRecord,
  mergeReferralAggregates,
  mergeVisitAggregates,
  parseReferralAggregate,
  parseVisitAggregate,
  periodFiguresOf,
  type ReferralAggregate,
  type RollUpPeriod,
  referralCellId,
  rollUp,
  serializeReferralAggregate,
  serializeVisitAggregate,
  serviceUsePerDay,
  timeToOutcomeStats,
  uniqueVisitorsCellKey,
  type VisitAggregate,
  type VisitAggregatesByCentre,
} from "./aggregate.js";
import { KEY_SPACE, visitorCellKey } from "./cell-key.js";
import type { AgeBand, Gender } from "./common.js";
import type { Referral, ReferralHistoryEntry, ReferralNeed, ReferralStatus } from "./referral.js";
import type { ServiceUse } from "./service-use.js";
import type { Visit } from "./visit.js";
import { uniqueVisitorsByGroup } from "./visitor-groups.js";

const PARIS = "Europe/Paris";
const hash = (n: number) => n.toString(16).padStart(4, "0").repeat(16);

function visit(arrivedAt: string, fields: Partial<KeyedRecord<Visit>> = {}): KeyedRecord<Visit> {
  return {
    id: "v1",
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-01T00:00:00Z",
    centreId: "halte",
    arrivedAt,
    visitorCodeHash: null,
    ageBand: null,
    gender: null,
    languages: [],
    firstVisit: null,
    idempotencyKey: null,
    ...fields,
  };
}

function use(usedAt: string, fields: Partial<KeyedRecord<ServiceUse>> = {}): KeyedRecord<ServiceUse> {
  return {
    id: "u1",
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-01T00:00:00Z",
    centreId: "halte",
    serviceId: "showers",
    usedAt,
    quantity: 1,
    visitId: null,
    source: "door",
    partnerId: null,
    ...fields,
  };
}

/** The sum of record keys modulo 2³², computed without the code under test. */
const keySum = (keys: readonly number[]) =>
  Number(keys.reduce((sum, key) => sum + BigInt(key), 0n) % 2n ** 32n);
const recordKeyArb = fc.integer({ min: 1, max: KEY_SPACE - 1 });

function onlyDay(result: VisitAggregatesByCentre, centreId = "halte"): [string, VisitAggregate] {
  const days = Object.entries(result[centreId] ?? {});
  expect(days).toHaveLength(1);
  return days[0] as [string, VisitAggregate];
}

describe("local day and hour of an arrival", () => {
  it.each([
    // Paris is UTC+1 on 28 March 2026; clocks go forward at 01:00 UTC on Sunday 29 March.
    ["2026-03-28T22:59:59Z", PARIS, "2026-03-28", 23],
    ["2026-03-28T23:30:00Z", PARIS, "2026-03-29", 0],
    ["2026-03-29T00:59:00Z", PARIS, "2026-03-29", 1],
    ["2026-03-29T01:00:00Z", PARIS, "2026-03-29", 3],
    ["2026-03-29T21:59:00Z", PARIS, "2026-03-29", 23],
    ["2026-03-29T22:00:00Z", PARIS, "2026-03-30", 0],
    // Clocks go back at 01:00 UTC on Sunday 25 October 2026: 02:xx happens twice.
    ["2026-10-25T00:30:00Z", PARIS, "2026-10-25", 2],
    ["2026-10-25T01:30:00Z", PARIS, "2026-10-25", 2],
    ["2026-10-25T22:59:00Z", PARIS, "2026-10-25", 23],
    ["2026-10-25T23:00:00Z", PARIS, "2026-10-26", 0],
    // Offsets and fractions in the stored string are honoured.
    ["2026-11-28T08:15:00+01:00", PARIS, "2026-11-28", 8],
    ["2026-11-28T23:59:59.999-05:00", PARIS, "2026-11-29", 5],
    ["2026-11-28T07:15:00.5Z", PARIS, "2026-11-28", 8],
    // Quarter-hour and half-hour zones, and Lord Howe's half-hour DST change inside a UTC hour.
    ["2026-01-01T18:14:59Z", "Asia/Kathmandu", "2026-01-01", 23],
    ["2026-01-01T18:15:00Z", "Asia/Kathmandu", "2026-01-02", 0],
    ["2026-07-01T02:29:00Z", "America/St_Johns", "2026-06-30", 23],
    ["2026-07-01T02:30:00Z", "America/St_Johns", "2026-07-01", 0],
    ["2026-10-03T15:29:00Z", "Australia/Lord_Howe", "2026-10-04", 1],
    ["2026-10-03T15:31:00Z", "Australia/Lord_Howe", "2026-10-04", 2],
    ["2026-01-01T12:00:00Z", "UTC", "2026-01-01", 12],
  ])("%s in %s is local day %s, hour %i", (arrivedAt, timeZone, day, hour) => {
    const [key, aggregate] = onlyDay(aggregateVisitsByDay([visit(arrivedAt)], [], { timeZone }));
    expect(key).toBe(day);
    expect(aggregate.byHour.indexOf(1)).toBe(hour);
  });

  it("counts a service use on the local day it was used", () => {
    const result = aggregateVisitsByDay([], [use("2026-03-28T23:30:00Z")], { timeZone: PARIS });
    expect(Object.keys(result.halte ?? {})).toEqual(["2026-03-29"]);
  });

  it("reads each centre in its own time zone", () => {
    const zones: Record<string, string> = { paris: PARIS, kabul: "Asia/Kabul" };
    const result = aggregateVisitsByDay(
      [
        visit("2026-05-01T20:00:00Z", { centreId: "paris" }),
        visit("2026-05-01T20:00:00Z", { centreId: "kabul" }),
      ],
      [],
      { timeZone: (centreId) => zones[centreId] ?? "UTC" },
    );
    expect(Object.keys(result.paris ?? {})).toEqual(["2026-05-01"]);
    expect(Object.keys(result.kabul ?? {})).toEqual(["2026-05-02"]);
  });

  it("refuses an instant without an offset rather than reading the host's zone", () => {
    expect(() => aggregateVisitsByDay([visit("2026-05-01T20:00:00")], [], { timeZone: PARIS })).toThrow(
      RangeError,
    );
  });
});

describe("what a day counts", () => {
  const day = "2026-11-28T";
  const visits = [
    visit(`${day}08:05:00Z`, {
      visitorCodeHash: hash(1),
      ageBand: "18-59",
      gender: "male",
      languages: ["ar", "fr"],
      recordKey: 1_000,
    }),
    visit(`${day}08:40:00Z`, {
      visitorCodeHash: hash(1),
      ageBand: "18-59",
      gender: "male",
      languages: ["ar", "ar"],
      recordKey: KEY_SPACE - 10,
    }),
    visit(`${day}09:10:00Z`, {
      visitorCodeHash: hash(2),
      ageBand: "0-4",
      gender: "female",
      firstVisit: true,
      recordKey: 30,
    }),
    visit(`${day}12:00:00Z`, { firstVisit: false, gender: "other", languages: ["prs"], recordKey: 400 }),
  ];
  const uses = [
    use(`${day}09:00:00Z`, { serviceId: "showers", recordKey: 5 }),
    use(`${day}09:30:00Z`, { serviceId: "showers", quantity: 2, recordKey: 6 }),
    use(`${day}15:00:00Z`, {
      serviceId: "legal",
      quantity: 14,
      source: "partner_report",
      partnerId: "aurore",
      recordKey: 7,
    }),
  ];
  const [, aggregate] = onlyDay(aggregateVisitsByDay(visits, uses, { timeZone: PARIS }));

  it("counts visits, first visits and distinct visitor codes", () => {
    expect(aggregate.visits).toBe(4);
    expect(aggregate.firstVisits).toBe(1);
    expect(aggregate.visitsWithCode).toBe(3);
    expect(aggregate.uniqueVisitors).toBe(2);
    expect(aggregate.visitorCodes).toEqual([hash(1).slice(0, 16), hash(2).slice(0, 16)]);
  });

  it("disaggregates by age band, gender and their cross, with unknown for unstated", () => {
    expect(aggregate.byAgeBand).toEqual({ "0-4": 1, "18-59": 2, unknown: 1 });
    expect(aggregate.byGender).toEqual({ female: 1, male: 2, other: 1 });
    expect(aggregate.byAgeBandGender).toEqual({
      "0-4": { female: 1 },
      "18-59": { male: 2 },
      unknown: { other: 1 },
    });
  });

  it("counts a visit once under each language it lists, and unknown when none", () => {
    expect(aggregate.byLanguage).toEqual({ ar: 2, fr: 1, prs: 1, unknown: 1 });
  });

  it("counts arrivals per local hour", () => {
    const hours = Object.fromEntries(aggregate.byHour.flatMap((n, h) => (n > 0 ? [[h, n]] : [])));
    expect(hours).toEqual({ 9: 2, 10: 1, 13: 1 });
  });

  it("counts a use per record and sums quantities, by source", () => {
    // Uses recorded without a visit: who used them is unknown.
    const unknown = (uses: number, key: number) => ({
      byAgeBandGender: { unknown: { unknown: { uses, key } } },
      byLanguage: { unknown: { uses, key } },
    });
    expect(aggregate.services).toEqual({
      legal: {
        uses: 1,
        quantity: 14,
        bySource: { partner_report: { uses: 1, quantity: 14 } },
        key: 7,
        people: unknown(1, 7),
      },
      showers: {
        uses: 2,
        quantity: 3,
        bySource: { door: { uses: 2, quantity: 3 } },
        key: 11,
        people: unknown(2, 11),
      },
    });
  });

  it("files a use recorded with a visit under that visit's age band, gender and languages", () => {
    const day = "2026-11-28T";
    const arrivals = [
      visit(`${day}09:00:00Z`, {
        id: "v1",
        ageBand: "18-59",
        gender: "male",
        languages: ["ar", "fr"],
        recordKey: 1,
      }),
      visit(`${day}09:10:00Z`, { id: "v2", ageBand: "60+", gender: "female", recordKey: 2 }),
    ];
    const showers = [
      use(`${day}09:05:00Z`, { id: "u1", visitId: "v1", recordKey: 10 }),
      use(`${day}09:15:00Z`, { id: "u2", visitId: "v2", recordKey: 20 }),
      use(`${day}09:20:00Z`, { id: "u3", visitId: "v2", recordKey: 40 }),
      use(`${day}11:00:00Z`, { id: "u4", recordKey: 80 }),
    ];
    const [, partial] = onlyDay(aggregateVisitsByDay(arrivals, showers, { timeZone: PARIS }));
    expect(partial.services.showers?.people).toEqual({
      byAgeBandGender: {
        "18-59": { male: { uses: 1, key: 10 } },
        "60+": { female: { uses: 2, key: 60 } },
        unknown: { unknown: { uses: 1, key: 80 } },
      },
      byLanguage: { ar: { uses: 1, key: 10 }, fr: { uses: 1, key: 10 }, unknown: { uses: 3, key: 140 } },
    });
    // Merged with itself, every group doubles: people merge like counts.
    const twice = mergeVisitAggregates(partial, partial);
    expect(twice.services.showers?.people?.byAgeBandGender["60+"]?.female).toEqual({ uses: 4, key: 120 });
  });

  it("gives each count the sum of its records' keys modulo 2³², the same rows as the count", () => {
    expect(aggregate.keys).toEqual({
      visits: 1_000 + 30 + 400 - 10, // the second visit's key wraps round 2³²
      firstVisits: 30,
      anonymisedVisitors: 0,
      byAgeBandGender: {
        "0-4": { female: 30 },
        "18-59": { male: 990 },
        unknown: { other: 400 },
      },
      // A visit listing Arabic twice counts once under it, with its key once.
      byLanguage: { ar: 990, fr: 1_000, prs: 400, unknown: 30 },
      byHour: aggregate.byHour.map((_, h) => ({ 9: 990, 10: 30, 13: 400 })[h] ?? 0),
    });
    expect(uniqueVisitorsCellKey(aggregate)).toBe(keySum([visitorCellKey(hash(1)), visitorCellKey(hash(2))]));
  });
});

describe("roll-up period codes", () => {
  it.each<[string, RollUpPeriod, string]>([
    ["2026-11-28", "day", "2026-11-28"],
    ["2026-11-28", "week", "2026W48"],
    ["2026-11-28", "month", "202611"],
    ["2026-11-28", "quarter", "2026Q4"],
    ["2026-11-28", "year", "2026"],
    ["2026-12-31", "week", "2026W53"],
    ["2027-01-03", "week", "2026W53"],
    ["2027-01-04", "week", "2027W01"],
    ["2025-12-29", "week", "2026W01"],
    ["2024-12-30", "week", "2025W01"],
    ["2021-01-03", "week", "2020W53"],
    ["2026-01-01", "week", "2026W01"],
    ["2026-03-31", "quarter", "2026Q1"],
    ["2026-04-01", "quarter", "2026Q2"],
  ])("%s rolls into %s %s", (day, period, code) => {
    const days = { halte: { [day]: emptyVisitAggregate() } };
    expect(Object.keys(rollUp(days, period).halte ?? {})).toEqual([code]);
  });

  it("refuses a day key that is not a calendar date", () => {
    expect(() => rollUp({ halte: { "2026-02-30": emptyVisitAggregate() } }, "month")).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties, against an independent oracle that reads local time straight from Intl for every row.

const ZONES: Record<string, string> = { halte: PARIS, stjohns: "America/St_Johns" };
const CODES = [1, 2, 3, 4, 5, 6].map(hash);
const LANGUAGES = ["ar", "en", "fr", "prs", "ps", "ti"];
const START = Date.UTC(2025, 11, 20);
const END = Date.UTC(2027, 0, 10);

const instantArb = fc
  .tuple(fc.integer({ min: START / 1000, max: END / 1000 }), fc.constantFrom("Z", "+02:00", "-03:30"))
  .map(([seconds, suffix]) => {
    const iso = new Date(seconds * 1000).toISOString().replace(".000", "");
    if (suffix === "Z") return iso;
    const offsetMinutes =
      (suffix.startsWith("-") ? -1 : 1) * (Number(suffix.slice(1, 3)) * 60 + Number(suffix.slice(4)));
    return new Date(seconds * 1000 + offsetMinutes * 60_000).toISOString().slice(0, 19) + suffix;
  });
const centreArb = fc.constantFrom("halte", "stjohns");
const visitArb = fc
  .record({
    centreId: centreArb,
    arrivedAt: instantArb,
    visitorCodeHash: fc.option(fc.constantFrom(...CODES)),
    ageBand: fc.option(fc.constantFrom<AgeBand>("0-4", "5-11", "12-17", "18-59", "60+")),
    gender: fc.option(fc.constantFrom<Gender>("female", "male", "other")),
    languages: fc.array(fc.constantFrom(...LANGUAGES), { maxLength: 3 }),
    firstVisit: fc.option(fc.boolean()),
    recordKey: recordKeyArb,
  })
  .map((fields) => visit(fields.arrivedAt, fields));
const useArb = fc
  .record({
    centreId: centreArb,
    usedAt: instantArb,
    serviceId: fc.constantFrom("showers", "meals", "legal", "constructor"),
    quantity: fc.integer({ min: 1, max: 20 }),
    source: fc.constantFrom("door" as const, "partner_report" as const),
    recordKey: recordKeyArb,
  })
  .map((fields) => use(fields.usedAt, fields));
const rowsArb = fc.record({
  visits: fc.array(visitArb, { maxLength: 40 }),
  uses: fc.array(useArb, { maxLength: 40 }),
});
const zoneOptions = { timeZone: (centreId: string) => ZONES[centreId] ?? "UTC" };

function oracleLocal(instant: string, timeZone: string): { day: string; hour: number } {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: `${get("year")}-${get("month")}-${get("day")}`, hour: Number(get("hour")) };
}

function oraclePeriod(day: string, period: RollUpPeriod): string {
  const date = new Date(`${day}T00:00:00Z`);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + 1;
  if (period === "day") return day;
  if (period === "month") return `${year}${String(month).padStart(2, "0")}`;
  if (period === "quarter") return `${year}Q${Math.floor((month - 1) / 3) + 1}`;
  if (period === "year") return String(year);
  const thursday = new Date(date);
  thursday.setUTCDate(date.getUTCDate() + 3 - ((date.getUTCDay() + 6) % 7));
  const weekYear = thursday.getUTCFullYear();
  const week = Math.ceil(((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / 86_400_000 + 1) / 7);
  return `${weekYear}W${String(week).padStart(2, "0")}`;
}

/** Counts one period of one centre straight from the rows, the slow and obvious way. */
function oracleCounts(visits: Visit[], uses: ServiceUse[]) {
  const count = (values: string[]) => {
    const out = new Map<string, number>();
    for (const v of values) out.set(v, (out.get(v) ?? 0) + 1);
    return Object.fromEntries(out);
  };
  const hours = new Array(24).fill(0);
  for (const v of visits) hours[oracleLocal(v.arrivedAt, ZONES[v.centreId] ?? "UTC").hour]++;
  const services = new Map<string, { uses: number; quantity: number }>();
  for (const u of uses) {
    const s = services.get(u.serviceId) ?? { uses: 0, quantity: 0 };
    services.set(u.serviceId, { uses: s.uses + 1, quantity: s.quantity + u.quantity });
  }
  return {
    visits: visits.length,
    firstVisits: visits.filter((v) => v.firstVisit === true).length,
    uniqueVisitors: new Set(visits.flatMap((v) => (v.visitorCodeHash ? [v.visitorCodeHash] : []))).size,
    byAgeBand: count(visits.map((v) => v.ageBand ?? "unknown")),
    byGender: count(visits.map((v) => v.gender ?? "unknown")),
    byLanguage: count(visits.flatMap((v) => (v.languages.length ? [...new Set(v.languages)] : ["unknown"]))),
    byHour: hours,
    services: Object.fromEntries(services),
  };
}

/** The cell keys of one period of one centre straight from the rows: each count's records' keys, summed. */
function oracleKeys(visits: KeyedRecord<Visit>[], uses: KeyedRecord<ServiceUse>[]) {
  const sums = new Map<string, number[]>();
  const add = (cell: string, key: number | undefined) =>
    sums.set(cell, [...(sums.get(cell) ?? []), key ?? 0]);
  for (const v of visits) {
    add("visits", v.recordKey);
    if (v.firstVisit === true) add("firstVisits", v.recordKey);
    add(`age-gender|${v.ageBand ?? "unknown"}|${v.gender ?? "unknown"}`, v.recordKey);
    for (const language of v.languages.length ? new Set(v.languages) : ["unknown"]) {
      add(`language|${language}`, v.recordKey);
    }
    add(`hour|${oracleLocal(v.arrivedAt, ZONES[v.centreId] ?? "UTC").hour}`, v.recordKey);
  }
  for (const u of uses) add(`service|${u.serviceId}`, u.recordKey);
  return Object.fromEntries([...sums].map(([cell, keys]) => [cell, keySum(keys)]));
}

function keySummary(aggregate: VisitAggregate) {
  const out: Record<string, number> = {};
  const keys = aggregate.keys;
  if (aggregate.visits > 0) out.visits = keys?.visits ?? 0;
  if (aggregate.firstVisits > 0) out.firstVisits = keys?.firstVisits ?? 0;
  for (const [age, genders] of Object.entries(keys?.byAgeBandGender ?? {})) {
    for (const [gender, key] of Object.entries(genders ?? {})) out[`age-gender|${age}|${gender}`] = key ?? 0;
  }
  for (const [language, key] of Object.entries(keys?.byLanguage ?? {})) out[`language|${language}`] = key;
  aggregate.byHour.forEach((n, h) => {
    if (n > 0) out[`hour|${h}`] = keys?.byHour[h] ?? 0;
  });
  for (const [id, tally] of Object.entries(aggregate.services)) out[`service|${id}`] = tally.key ?? 0;
  return out;
}

function summary(aggregate: VisitAggregate) {
  const services: Record<string, { uses: number; quantity: number }> = {};
  for (const [id, tally] of Object.entries(aggregate.services)) {
    services[id] = { uses: tally.uses, quantity: tally.quantity };
  }
  return {
    visits: aggregate.visits,
    firstVisits: aggregate.firstVisits,
    uniqueVisitors: aggregate.uniqueVisitors,
    byAgeBand: aggregate.byAgeBand,
    byGender: aggregate.byGender,
    byLanguage: aggregate.byLanguage,
    byHour: aggregate.byHour,
    services,
  };
}

function mergeByCentre(a: VisitAggregatesByCentre, b: VisitAggregatesByCentre): VisitAggregatesByCentre {
  const out: VisitAggregatesByCentre = {};
  for (const centreId of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    const left = a[centreId] ?? {};
    const right = b[centreId] ?? {};
    const days: Record<string, VisitAggregate> = {};
    for (const day of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
      days[day] = mergeVisitAggregates(
        left[day] ?? emptyVisitAggregate(),
        right[day] ?? emptyVisitAggregate(),
      );
    }
    out[centreId] = days;
  }
  return out;
}

const aggregateArb = rowsArb.map(({ visits, uses }) => {
  const days = Object.values(aggregateVisitsByDay(visits, uses, { timeZone: PARIS }).halte ?? {});
  return days.reduce(mergeVisitAggregates, emptyVisitAggregate());
});

describe("merging visit partials", () => {
  it("is associative and commutative, with the empty partial as identity, to the byte", () => {
    fc.assert(
      fc.property(aggregateArb, aggregateArb, aggregateArb, (a, b, c) => {
        const json = (x: VisitAggregate) => JSON.stringify(x);
        expect(json(mergeVisitAggregates(mergeVisitAggregates(a, b), c))).toBe(
          json(mergeVisitAggregates(a, mergeVisitAggregates(b, c))),
        );
        expect(json(mergeVisitAggregates(a, b))).toBe(json(mergeVisitAggregates(b, a)));
        expect(json(mergeVisitAggregates(a, emptyVisitAggregate()))).toBe(json(a));
        expect(json(mergeVisitAggregates(emptyVisitAggregate(), a))).toBe(json(a));
      }),
    );
  });

  it("gives for a split of the rows what the whole gives: aggregate(a ∪ b) = merge(aggregate(a), aggregate(b))", () => {
    fc.assert(
      fc.property(
        rowsArb,
        fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
        ({ visits, uses }, sides) => {
          const left = {
            visits: visits.filter((_, i) => sides[i]),
            uses: uses.filter((_, i) => sides[i + 40]),
          };
          const right = {
            visits: visits.filter((_, i) => !sides[i]),
            uses: uses.filter((_, i) => !sides[i + 40]),
          };
          const whole = aggregateVisitsByDay(visits, uses, zoneOptions);
          const merged = mergeByCentre(
            aggregateVisitsByDay(left.visits, left.uses, zoneOptions),
            aggregateVisitsByDay(right.visits, right.uses, zoneOptions),
          );
          expect(JSON.stringify(merged)).toBe(JSON.stringify(whole));
        },
      ),
    );
  });

  it("gives a merge the keys of all its rows counted at once, however the rows were split", () => {
    const allDays = (partials: VisitAggregatesByCentre) =>
      Object.values(partials.halte ?? {}).reduce(mergeVisitAggregates, emptyVisitAggregate());
    fc.assert(
      fc.property(
        rowsArb,
        fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
        ({ visits, uses }, sides) => {
          const halte = {
            visits: visits.filter((v) => v.centreId === "halte"),
            uses: uses.filter((u) => u.centreId === "halte"),
          };
          const half = (side: boolean) =>
            allDays(
              aggregateVisitsByDay(
                halte.visits.filter((_, i) => sides[i] === side),
                halte.uses.filter((_, i) => sides[i + 40] === side),
                zoneOptions,
              ),
            );
          const merged = mergeVisitAggregates(half(true), half(false));
          expect(keySummary(merged)).toEqual(oracleKeys(halte.visits, halte.uses));
          expect(uniqueVisitorsCellKey(merged)).toBe(
            keySum(
              [...new Set(halte.visits.flatMap((v) => (v.visitorCodeHash ? [v.visitorCodeHash] : [])))].map(
                visitorCellKey,
              ),
            ),
          );
        },
      ),
    );
  });

  it("never changes its inputs", () => {
    fc.assert(
      fc.property(aggregateArb, aggregateArb, (a, b) => {
        const before = JSON.stringify([a, b]);
        mergeVisitAggregates(a, b);
        serializeVisitAggregate(a);
        expect(JSON.stringify([a, b])).toBe(before);
      }),
    );
  });

  it("keeps the visitors shared by two days once", () => {
    const monday = aggregateVisitsByDay([visit("2026-11-23T09:00:00Z", { visitorCodeHash: hash(7) })], [], {
      timeZone: PARIS,
    });
    const tuesday = aggregateVisitsByDay(
      [visit("2026-11-24T09:00:00Z", { visitorCodeHash: hash(7) }), visit("2026-11-24T10:00:00Z")],
      [],
      { timeZone: PARIS },
    );
    const both = mergeVisitAggregates(onlyDay(monday)[1], onlyDay(tuesday)[1]);
    expect(both.visits).toBe(3);
    expect(both.visitsWithCode).toBe(2);
    expect(both.uniqueVisitors).toBe(1);
  });
});

describe("anonymising a partial past retention", () => {
  // The prefixes, and the key they carried, move to `anonymisedVisitors`; every other figure and key stays.
  const withoutCodes = ({
    visitorCodes: _codes,
    visitorGroups: _groups,
    anonymisedGroups: _anonymisedGroups,
    anonymisedVisitors: _n,
    keys,
    ...figures
  }: VisitAggregate) => ({
    ...figures,
    keys: { ...keys, anonymisedVisitors: undefined },
  });

  it("drops the code prefixes and keeps every figure, unique visitors included", () => {
    fc.assert(
      fc.property(aggregateArb, (a) => {
        const old = anonymiseVisitorCodes(a);
        expect(old.visitorCodes).toEqual([]);
        expect(old.anonymisedVisitors ?? 0).toBe(a.visitorCodes.length);
        expect(withoutCodes(old)).toEqual(withoutCodes(a));
        expect(old.keys?.anonymisedVisitors).toBe(keySum(a.visitorCodes.map(visitorCellKey)));
        expect(serializeVisitAggregate(anonymiseVisitorCodes(old))).toBe(serializeVisitAggregate(old));
        const stored = parseVisitAggregate(serializeVisitAggregate(old));
        expect(stored.ok && serializeVisitAggregate(stored.value)).toBe(serializeVisitAggregate(old));
      }),
    );
  });

  it("keeps unique visitors by age band, gender and language, with their keys", () => {
    fc.assert(
      fc.property(aggregateArb, (a) => {
        expect(uniqueVisitorsByGroup(anonymiseVisitorCodes(a))).toEqual(uniqueVisitorsByGroup(a));
      }),
    );
  });

  it("keeps the unique visitors' cell key, so they publish the same number before and after", () => {
    fc.assert(
      fc.property(aggregateArb, (a) => {
        expect(uniqueVisitorsCellKey(anonymiseVisitorCodes(a))).toBe(uniqueVisitorsCellKey(a));
        expect(uniqueVisitorsCellKey(anonymiseVisitorCodes(anonymiseVisitorCodes(a)))).toBe(
          uniqueVisitorsCellKey(a),
        );
      }),
    );
  });

  it("still merges associatively and commutatively when some days are anonymised", () => {
    const mixedArb = fc
      .tuple(aggregateArb, fc.boolean())
      .map(([a, old]) => (old ? anonymiseVisitorCodes(a) : a));
    fc.assert(
      fc.property(mixedArb, mixedArb, mixedArb, (a, b, c) => {
        const json = (x: VisitAggregate) => serializeVisitAggregate(x);
        expect(json(mergeVisitAggregates(mergeVisitAggregates(a, b), c))).toBe(
          json(mergeVisitAggregates(a, mergeVisitAggregates(b, c))),
        );
        expect(json(mergeVisitAggregates(a, b))).toBe(json(mergeVisitAggregates(b, a)));
        expect(json(mergeVisitAggregates(a, emptyVisitAggregate()))).toBe(json(a));
      }),
    );
  });

  it("counts a person who came on two anonymised days twice, since nothing links the days any more", () => {
    const day = (arrivedAt: string) =>
      onlyDay(
        aggregateVisitsByDay([visit(arrivedAt, { visitorCodeHash: hash(7) })], [], { timeZone: PARIS }),
      )[1];
    const monday = day("2026-11-23T09:00:00Z");
    const tuesday = day("2026-11-24T09:00:00Z");
    expect(mergeVisitAggregates(monday, tuesday).uniqueVisitors).toBe(1);
    const old = mergeVisitAggregates(anonymiseVisitorCodes(monday), anonymiseVisitorCodes(tuesday));
    expect(old.uniqueVisitors).toBe(2);
    expect(old.anonymisedVisitors).toBe(2);
    expect(mergeVisitAggregates(anonymiseVisitorCodes(monday), tuesday).uniqueVisitors).toBe(2);
  });

  it("leaves a partial that never had codes byte for byte as it was", () => {
    const day = onlyDay(aggregateVisitsByDay([visit("2026-11-23T09:00:00Z")], [], { timeZone: PARIS }))[1];
    expect(serializeVisitAggregate(anonymiseVisitorCodes(day))).toBe(serializeVisitAggregate(day));
  });
});

describe("summing partials without visitor codes (the figures of several centres)", () => {
  const compactArb = aggregateArb.map(anonymiseVisitorCodes);

  it("gives what merging them gives, to the byte, cell keys included", () => {
    fc.assert(
      fc.property(fc.array(compactArb, { minLength: 0, maxLength: 5 }), (partials) => {
        const sum = new CompactVisitSum();
        for (const partial of partials) sum.add(serializeVisitAggregate(partial));
        const merged = partials.reduce(mergeVisitAggregates, emptyVisitAggregate());
        const finished = sum.finish();
        expect(finished.ok && serializeVisitAggregate(finished.value)).toBe(serializeVisitAggregate(merged));
        expect(sum.size).toBe(partials.length);
      }),
    );
  });

  it("stores a period in two parts whose sum is the partial without codes; the first has no services' people", () => {
    fc.assert(
      fc.property(aggregateArb, (a) => {
        const { aggregate, servicePeople } = periodFiguresOf(a);
        const whole = new CompactVisitSum().add(aggregate).add(servicePeople).finish();
        expect(whole.ok && serializeVisitAggregate(whole.value)).toBe(
          serializeVisitAggregate(anonymiseVisitorCodes(a)),
        );
        const counts = new CompactVisitSum().add(aggregate).finish();
        expect(counts.ok && Object.values(counts.value.services).some((tally) => tally.people)).toBe(false);
        expect(counts.ok && counts.value.uniqueVisitors).toBe(a.uniqueVisitors);
      }),
    );
  });

  it("adds cell keys modulo 2³², as merging does", () => {
    const zeroKeys = () => ({
      visits: 0,
      firstVisits: 0,
      anonymisedVisitors: 0,
      byAgeBandGender: {},
      byLanguage: {},
      byHour: Array(24).fill(0),
    });
    const big = { ...emptyVisitAggregate(), visits: 1, keys: { ...zeroKeys(), visits: 2 ** 32 - 1 } };
    const one = { ...emptyVisitAggregate(), visits: 1, keys: { ...zeroKeys(), visits: 2 } };
    const sum = new CompactVisitSum().add(JSON.stringify(big)).add(JSON.stringify(one)).finish();
    expect(sum.ok && sum.value.keys?.visits).toBe(1);
    expect(sum.ok && sum.value.visits).toBe(2);
  });

  it("refuses a partial that still holds visitor codes: adding them would count people twice", () => {
    const withCodes = onlyDay(
      aggregateVisitsByDay([visit("2026-11-23T09:00:00Z", { visitorCodeHash: hash(7) })], [], {
        timeZone: PARIS,
      }),
    )[1];
    const sum = new CompactVisitSum().add(serializeVisitAggregate(withCodes)).finish();
    expect(sum.ok).toBe(false);
    expect(!sum.ok && sum.error.message).toMatch(/visitorCodes holds codes/);
  });

  it.each([
    ["not JSON", "{"],
    ["a negative count", '{"visits":-1}'],
    ["a string count", '{"visits":"3"}'],
    ["a key out of range", `{"visits":1,"keys":{"visits":${2 ** 32}}}`],
    ["shapes that differ", '{"byHour":3}'],
  ])("refuses %s", (_, json) => {
    expect(new CompactVisitSum().add(json).finish().ok).toBe(false);
  });
});

describe("rolling days up", () => {
  it.each<RollUpPeriod>(["day", "week", "month", "quarter", "year"])(
    "per %s, equals counting the period's rows at once",
    (period) => {
      fc.assert(
        fc.property(rowsArb, ({ visits, uses }) => {
          const rolled = rollUp(aggregateVisitsByDay(visits, uses, zoneOptions), period);
          const expected: Record<string, Record<string, ReturnType<typeof oracleCounts>>> = {};
          const expectedKeys: Record<string, Record<string, Record<string, number>>> = {};
          const groups = new Map<string, { visits: KeyedRecord<Visit>[]; uses: KeyedRecord<ServiceUse>[] }>();
          const groupOf = (centreId: string, instant: string) => {
            const day = oracleLocal(instant, ZONES[centreId] ?? "UTC").day;
            const key = `${centreId}|${oraclePeriod(day, period)}`;
            const group = groups.get(key) ?? { visits: [], uses: [] };
            groups.set(key, group);
            return group;
          };
          for (const v of visits) groupOf(v.centreId, v.arrivedAt).visits.push(v);
          for (const u of uses) groupOf(u.centreId, u.usedAt).uses.push(u);
          for (const [key, group] of groups) {
            const [centreId, code] = key.split("|") as [string, string];
            expected[centreId] = { ...expected[centreId], [code]: oracleCounts(group.visits, group.uses) };
            expectedKeys[centreId] = {
              ...expectedKeys[centreId],
              [code]: oracleKeys(group.visits, group.uses),
            };
          }
          const actual: typeof expected = {};
          const actualKeys: typeof expectedKeys = {};
          for (const [centreId, periods] of Object.entries(rolled)) {
            actual[centreId] = Object.fromEntries(
              Object.entries(periods).map(([code, agg]) => [code, summary(agg)]),
            );
            actualKeys[centreId] = Object.fromEntries(
              Object.entries(periods).map(([code, agg]) => [code, keySummary(agg)]),
            );
          }
          expect(actual).toEqual(expected);
          // The keys of a week, month… are those of its rows, so its figures publish as if counted at once.
          expect(actualKeys).toEqual(expectedKeys);
        }),
        { numRuns: 60 },
      );
    },
  );

  it("gives the same bytes as merging the days one by one", () => {
    fc.assert(
      fc.property(rowsArb, ({ visits, uses }) => {
        const days = aggregateVisitsByDay(visits, uses, { timeZone: PARIS });
        const byYear = rollUp(days, "year").halte ?? {};
        for (const [year, aggregate] of Object.entries(byYear)) {
          const folded = Object.entries(days.halte ?? {})
            .filter(([day]) => day.startsWith(year))
            .reduce((acc, [, day]) => mergeVisitAggregates(acc, day), emptyVisitAggregate());
          expect(JSON.stringify(aggregate)).toBe(JSON.stringify(folded));
        }
      }),
    );
  });
});

describe("stored visit partials", () => {
  it("read back equal to what was written", () => {
    fc.assert(
      fc.property(aggregateArb, (a) => {
        const parsed = parseVisitAggregate(serializeVisitAggregate(a));
        expect(parsed).toEqual({ ok: true, value: a });
      }),
    );
  });

  it("are put back in canonical order when stored out of order", () => {
    const canonical = serializeVisitAggregate(
      onlyDay(
        aggregateVisitsByDay(
          [
            visit("2026-11-28T09:00:00Z", { visitorCodeHash: hash(1), languages: ["fr"] }),
            visit("2026-11-28T09:00:00Z", { visitorCodeHash: hash(2), languages: ["ar"] }),
          ],
          [],
          { timeZone: PARIS },
        ),
      )[1],
    );
    const shuffled = JSON.parse(canonical);
    // A visitor's groups travel with its code.
    shuffled.visitorCodes.reverse();
    shuffled.visitorGroups.reverse();
    shuffled.byLanguage = { fr: 1, ar: 1 };
    const parsed = parseVisitAggregate(JSON.stringify(shuffled));
    expect(parsed.ok && serializeVisitAggregate(parsed.value)).toBe(canonical);
    expect(parsed.ok && JSON.stringify(parsed.value)).toBe(canonical);
  });

  it.each([
    ["not JSON", "{"],
    ["a negative count", serializeVisitAggregate(emptyVisitAggregate()).replace('"visits":0', '"visits":-1')],
    [
      "an unknown age band",
      serializeVisitAggregate(emptyVisitAggregate()).replace('"byAgeBand":{}', '"byAgeBand":{"99+":1}'),
    ],
    ["23 hours", serializeVisitAggregate(emptyVisitAggregate()).replace('"byHour":[0,', '"byHour":[')],
  ])("refuse %s", (_, json) => {
    expect(parseVisitAggregate(json)).toMatchObject({ ok: false, error: { code: "invalid_aggregate" } });
  });
});

describe("capacity utilisation", () => {
  it("gives the ratio per service and day and lists the days at or over capacity", () => {
    const result = capacityUtilisation(
      { showers: { "2026-11-27": 6, "2026-11-28": 12, "2026-11-29": 13 }, meals: { "2026-11-28": 40 } },
      {
        showers: { "2026-11-27": 12, "2026-11-28": 12, "2026-11-29": 12, "2026-11-30": 12, "2026-12-01": 0 },
      },
    );
    expect(result.ratios).toEqual({
      showers: { "2026-11-27": 0.5, "2026-11-28": 1, "2026-11-29": 13 / 12, "2026-11-30": 0 },
    });
    expect(result.saturated).toEqual([
      { serviceId: "showers", day: "2026-11-28", used: 12, capacity: 12 },
      { serviceId: "showers", day: "2026-11-29", used: 13, capacity: 12 },
    ]);
  });

  it("reads use per service and day out of daily partials, in people served or in records", () => {
    const days = aggregateVisitsByDay(
      [],
      [
        use("2026-11-28T09:00:00Z", { quantity: 3 }),
        use("2026-11-29T09:00:00Z"),
        use("2026-11-29T10:00:00Z"),
      ],
      { timeZone: PARIS },
    );
    expect(serviceUsePerDay(days.halte ?? {})).toEqual({ showers: { "2026-11-28": 3, "2026-11-29": 2 } });
    expect(serviceUsePerDay(days.halte ?? {}, "uses")).toEqual({
      showers: { "2026-11-28": 1, "2026-11-29": 2 },
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// Referrals.

function referral(
  fields: Partial<KeyedRecord<Referral>> & { need: ReferralNeed; status: ReferralStatus },
): KeyedRecord<Referral> {
  return {
    id: "r1",
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-01T00:00:00Z",
    centreId: "halte",
    partnerId: "aurore",
    serviceId: null,
    note: null,
    statusReason: null,
    statusNote: null,
    partnerReference: null,
    contact: null,
    consentId: null,
    ageBand: null,
    gender: null,
    languages: [],
    requestedAt: null,
    closedAt: null,
    erasedAt: null,
    version: 0,
    ...fields,
  };
}

describe("referral partials", () => {
  const referrals = [
    referral({
      id: "r1",
      need: "accommodation",
      status: "completed",
      requestedAt: "2026-11-01T10:00:00Z",
      closedAt: "2026-11-02T10:00:00Z",
      languages: ["ar", "fr"],
      gender: "male",
      ageBand: "18-59",
    }),
    referral({
      id: "r2",
      need: "accommodation",
      status: "rejected",
      partnerId: "samu-social",
      requestedAt: "2026-11-01T10:00:00Z",
      closedAt: "2026-11-01T10:30:00Z",
    }),
    referral({ id: "r3", need: "health", status: "in-progress", requestedAt: "2026-11-01T10:00:00Z" }),
    referral({ id: "r4", need: "legal", status: "failed", requestedAt: "2026-11-03T10:00:00Z" }),
    referral({ id: "r5", need: "legal", status: "completed" }),
    referral({ id: "r6", need: "food", status: "draft" }),
  ];
  const history: ReferralHistoryEntry[] = [
    {
      referralId: "r4",
      from: "in-progress",
      to: "failed",
      actor: "partner",
      reason: "no_show",
      note: null,
      at: "2026-11-05T10:00:00Z",
    },
    {
      referralId: "r5",
      from: "draft",
      to: "requested",
      actor: "centre",
      reason: null,
      note: null,
      at: "2026-11-01T00:00:00Z",
    },
  ];

  it("counts by need, partner, status and need × status", () => {
    const agg = aggregateReferrals(referrals);
    expect(agg.referrals).toBe(6);
    expect(agg.byNeed).toEqual({ accommodation: 2, health: 1, legal: 2, food: 1 });
    expect(agg.byPartner).toEqual({ aurore: 5, "samu-social": 1 });
    expect(agg.byStatus).toEqual({ draft: 1, rejected: 1, "in-progress": 1, completed: 2, failed: 1 });
    expect(agg.byNeedStatus).toEqual({
      accommodation: { rejected: 1, completed: 1 },
      health: { "in-progress": 1 },
      legal: { completed: 1, failed: 1 },
      food: { draft: 1 },
    });
    expect(agg.byLanguage).toEqual({ ar: 1, fr: 1, unknown: 5 });
    expect(agg.byGender).toEqual({ male: 1, unknown: 5 });
  });

  it("times only outcomes it can time, and says how many it could not", () => {
    const agg = aggregateReferrals(referrals);
    expect(agg.timeToOutcomeSeconds).toEqual({ completed: [86_400], rejected: [1_800] });
    expect(agg.untimedOutcomes).toBe(2);
  });

  it("fills missing request and closing instants from the history", () => {
    const agg = aggregateReferrals(referrals, history);
    expect(agg.timeToOutcomeSeconds).toEqual({ completed: [86_400], failed: [172_800], rejected: [1_800] });
    expect(agg.untimedOutcomes).toBe(1);
  });

  const referralArb = fc
    .record({
      need: fc.constantFrom<ReferralNeed>("accommodation", "health", "legal"),
      status: fc.constantFrom<ReferralStatus>("requested", "completed", "failed", "rejected", "cancelled"),
      partnerId: fc.constantFrom("aurore", "fta", "samu-social"),
      ageBand: fc.option(fc.constantFrom<AgeBand>("0-4", "18-59", "60+")),
      gender: fc.option(fc.constantFrom<Gender>("female", "male")),
      languages: fc.array(fc.constantFrom("ar", "fr", "ps"), { maxLength: 3 }),
      start: fc.integer({ min: 0, max: 1_000_000 }),
      duration: fc.integer({ min: -10, max: 2_000_000 }),
      recordKey: recordKeyArb,
    })
    .map(({ start, duration, ...rest }) =>
      referral({
        ...rest,
        requestedAt: new Date(Date.UTC(2026, 0, 1) + start * 1000).toISOString(),
        closedAt: new Date(Date.UTC(2026, 0, 1) + (start + duration) * 1000).toISOString(),
      }),
    );

  it("merge like visit partials: split rows give the same bytes, and the algebra holds", () => {
    fc.assert(
      fc.property(
        fc.array(referralArb, { maxLength: 30 }),
        fc.array(referralArb, { maxLength: 30 }),
        fc.array(referralArb, { maxLength: 10 }),
        (a, b, c) => {
          const [x, y, z] = [aggregateReferrals(a), aggregateReferrals(b), aggregateReferrals(c)];
          const json = JSON.stringify;
          expect(json(mergeReferralAggregates(x, y))).toBe(json(aggregateReferrals([...b, ...a])));
          expect(json(mergeReferralAggregates(mergeReferralAggregates(x, y), z))).toBe(
            json(mergeReferralAggregates(x, mergeReferralAggregates(y, z))),
          );
          expect(json(mergeReferralAggregates(x, emptyReferralAggregate()))).toBe(json(x));
          expect(parseReferralAggregate(serializeReferralAggregate(x))).toEqual({ ok: true, value: x });
        },
      ),
    );
  });
});

describe("referral cell keys", () => {
  const referralArb = fc
    .record({
      need: fc.constantFrom<ReferralNeed>("accommodation", "health", "legal"),
      status: fc.constantFrom<ReferralStatus>("requested", "completed", "failed", "rejected"),
      partnerId: fc.constantFrom("aurore", "samu-social"),
      ageBand: fc.option(fc.constantFrom<AgeBand>("0-4", "18-59")),
      gender: fc.option(fc.constantFrom<Gender>("female", "male")),
      languages: fc.array(fc.constantFrom("ar", "fr"), { maxLength: 3 }),
      timed: fc.boolean(),
      recordKey: recordKeyArb,
    })
    .map(({ timed, ...fields }) =>
      referral({
        ...fields,
        requestedAt: "2026-11-02T09:00:00Z",
        closedAt: timed ? "2026-11-03T09:00:00Z" : null,
      }),
    );

  /** Each finest cell's key straight from the referrals. */
  function oracle(referrals: KeyedRecord<Referral>[]): Record<string, number> {
    const sums = new Map<string, number[]>();
    const add = (cell: string, key = 0) => sums.set(cell, [...(sums.get(cell) ?? []), key]);
    for (const r of referrals) {
      add(`need-status|${r.need}|${r.status}`, r.recordKey);
      add(`partner-status|${r.partnerId}|${r.status}`, r.recordKey);
      add(`age-band|${r.ageBand ?? "unknown"}`, r.recordKey);
      add(`gender|${r.gender ?? "unknown"}`, r.recordKey);
      for (const language of r.languages.length ? new Set(r.languages) : ["unknown"]) {
        add(`language|${language}`, r.recordKey);
      }
      if (r.status !== "requested" && r.closedAt !== null) add(`timed|${r.status}`, r.recordKey);
    }
    return Object.fromEntries([...sums].map(([cell, keys]) => [cell, keySum(keys)]));
  }

  it("keys each finest cell with the sum of its referrals' keys, merged or counted at once", () => {
    fc.assert(
      fc.property(
        fc.array(referralArb, { maxLength: 30 }),
        fc.array(referralArb, { maxLength: 30 }),
        (a, b) => {
          const merged: ReferralAggregate = mergeReferralAggregates(
            aggregateReferrals(a),
            aggregateReferrals(b),
          );
          expect(merged.keys).toEqual(oracle([...a, ...b]));
          expect(aggregateReferrals([...b, ...a]).keys).toEqual(merged.keys);
        },
      ),
    );
  });

  it("names a cell by its parts", () => {
    expect(referralCellId(["need-status", "health", "completed"])).toBe("need-status|health|completed");
    expect(referralCellId(["timed", "rejected"])).toBe("timed|rejected");
  });
});

describe("time to outcome, nearest-rank quantiles", () => {
  const withDurations = (completed: number[], rejected: number[] = []) => ({
    ...emptyReferralAggregate(),
    timeToOutcomeSeconds: { completed, rejected },
  });

  it.each<[string, number[], number | null, number | null]>([
    ["none", [], null, null],
    ["one", [60], 60, 60],
    ["two: the median is the smaller", [60, 120], 60, 120],
    ["1…10", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5, 9],
    ["1…11", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 6, 10],
    ["twenty values", Array.from({ length: 20 }, (_, i) => (i + 1) * 100), 1000, 1800],
  ])("%s", (_, durations, median, p90) => {
    expect(timeToOutcomeStats(withDurations(durations))).toEqual({ count: durations.length, median, p90 });
  });

  it("pools every outcome, or reads one", () => {
    const agg = withDurations([10, 30], [20]);
    expect(timeToOutcomeStats(agg)).toEqual({ count: 3, median: 20, p90: 30 });
    expect(timeToOutcomeStats(agg, "rejected")).toEqual({ count: 1, median: 20, p90: 20 });
    expect(timeToOutcomeStats(agg, "failed")).toEqual({ count: 0, median: null, p90: null });
  });

  it("always returns a duration that occurred, with median ≤ p90", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1_000_000), { minLength: 1, maxLength: 50 }), (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        const stats = timeToOutcomeStats(withDurations(sorted));
        expect(sorted).toContain(stats.median);
        expect(stats.median as number).toBeLessThanOrEqual(stats.p90 as number);
        // Nearest rank: at least half the values are ≤ the median, fewer than half are below it.
        expect(sorted.filter((v) => v <= (stats.median as number)).length * 2).toBeGreaterThanOrEqual(
          sorted.length,
        );
        expect(sorted.filter((v) => v < (stats.median as number)).length * 2).toBeLessThan(sorted.length);
      }),
    );
  });
});

describe("unique visitors by age band, gender and language", () => {
  const visitArb = fc.record({
    code: fc.integer({ min: 1, max: 6 }),
    day: fc.integer({ min: 1, max: 28 }),
    ageBand: fc.constantFrom("18-59", "60+", null),
    gender: fc.constantFrom("female", "male", null),
    languages: fc.subarray(["ar", "fr", "ps"]),
  });

  it("counts each person once per group over any period, exactly as the rows say, whatever the merge", () => {
    fc.assert(
      fc.property(fc.array(visitArb, { maxLength: 40 }), (rows) => {
        const visits = rows.map((row, i) =>
          visit(`2026-11-${String(row.day).padStart(2, "0")}T10:00:00Z`, {
            id: `v${i}`,
            visitorCodeHash: hash(row.code),
            ageBand: row.ageBand as AgeBand | null,
            gender: row.gender as Gender | null,
            languages: row.languages,
          }),
        );
        const month = rollUp(aggregateVisitsByDay(visits, [], { timeZone: PARIS }), "month").halte?.[
          "202611"
        ];
        const byGroup = uniqueVisitorsByGroup(month ?? emptyVisitAggregate());
        // The oracle: the distinct codes seen in each group, and the sum of their visitor keys.
        const oracle = (inGroup: (row: (typeof rows)[number]) => boolean) => {
          const codes = [...new Set(rows.filter(inGroup).map((row) => hash(row.code).slice(0, 16)))];
          return codes.length === 0
            ? undefined
            : { visitors: codes.length, key: keySum(codes.map(visitorCellKey)) };
        };
        expect(byGroup.byAgeBand["60+"]).toEqual(oracle((row) => row.ageBand === "60+"));
        expect(byGroup.byAgeBand.unknown).toEqual(oracle((row) => row.ageBand === null));
        expect(byGroup.byGender.female).toEqual(oracle((row) => row.gender === "female"));
        expect(byGroup.byLanguage.ar).toEqual(oracle((row) => row.languages.includes("ar")));
        expect(byGroup.byLanguage.unknown).toEqual(oracle((row) => row.languages.length === 0));
      }),
    );
  });
});
