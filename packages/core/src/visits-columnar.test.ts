import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregateVisitsByDay, serializeVisitAggregate } from "./aggregate.js";
import { AGE_KEYS, addKeyAt, type KeyedRecord, UNKNOWN } from "./aggregate-canonical.js";
import { epochDay } from "./calendar.js";
import { addCellKeys } from "./cell-key.js";
import { AgeBand, Gender } from "./common.js";
import type { UseAttributes } from "./service-people.js";
import type { ServiceUse, ServiceUseSource } from "./service-use.js";
import type { Visit } from "./visit.js";
import { GENDER_COUNT, GENDER_INDEX, SOURCE_INDEX, VisitAccumulator } from "./visit-accumulator.js";
import { UseColumns, VisitColumns } from "./visit-columns.js";
import { addToVisitorGroup, emptyVisitorGroup, type VisitorGroup } from "./visitor-groups.js";
import { aggregateVisitColumns } from "./visits-columnar.js";
import { formatLocalDate, zonedDateTime } from "./zoned-time.js";

/** A local reading from Intl, instant by instant: the date, its day number and the hour. */
function localOf(instant: string, timeZone: string) {
  const local = zonedDateTime(instant, timeZone);
  return {
    date: formatLocalDate(local),
    day: epochDay(local.year, local.month, local.day),
    hour: local.hour,
  };
}

// The reference: the row-by-row accumulator the columnar path replaced, kept here as the oracle. Each
// visit's local day and hour come from zonedDateTime (Intl per instant), not from the cached ZoneClock.

function referenceAddVisit(day: VisitAccumulator, visit: KeyedRecord<Visit>, hour: number): void {
  const key = visit.recordKey ?? 0;
  day.visits++;
  day.visitsKey = addCellKeys(day.visitsKey, key);
  if (visit.firstVisit === true) {
    day.firstVisits++;
    day.firstVisitsKey = addCellKeys(day.firstVisitsKey, key);
  }
  if (visit.visitorCodeHash !== null) {
    day.visitsWithCode++;
    day.codes.add(visit.visitorCodeHash);
    let group = day.groups.get(visit.visitorCodeHash) as VisitorGroup | undefined;
    if (group === undefined) {
      group = emptyVisitorGroup();
      day.groups.set(visit.visitorCodeHash, group);
    }
    addToVisitorGroup(group, visit.ageBand, visit.gender, visit.languages);
  }
  const age = AGE_KEYS.indexOf(visit.ageBand ?? UNKNOWN);
  const gender = GENDER_INDEX.get(visit.gender ?? UNKNOWN) as number;
  day.ageGender[age * GENDER_COUNT + gender] = (day.ageGender[age * GENDER_COUNT + gender] as number) + 1;
  addKeyAt(day.ageGenderKeys, age * GENDER_COUNT + gender, key);
  const spoken = visit.languages.filter((language, i) => visit.languages.indexOf(language) === i);
  for (const language of spoken.length === 0 ? [UNKNOWN] : spoken) day.addLanguage(language, 1, key);
  day.hours[hour] = (day.hours[hour] as number) + 1;
  addKeyAt(day.hourKeys, hour, key);
}

function referenceAddUse(day: VisitAccumulator, use: KeyedRecord<ServiceUse>, visit?: UseAttributes): void {
  const source = SOURCE_INDEX.get(use.source) as number;
  const service = day.service(use.serviceId);
  service.uses++;
  service.key = addCellKeys(service.key, use.recordKey ?? 0);
  service.people.add(visit, 1, use.recordKey ?? 0);
  service.quantity += use.quantity;
  service.sourceUses[source] = (service.sourceUses[source] as number) + 1;
  service.sourceQuantity[source] = (service.sourceQuantity[source] as number) + use.quantity;
}

/** Local day → serialised partial, row by row. */
function referenceDays(
  visits: readonly KeyedRecord<Visit>[],
  uses: readonly KeyedRecord<ServiceUse>[],
  timeZone: string,
): Map<string, string> {
  const days = new Map<string, VisitAccumulator>();
  const dayOf = (date: string) => {
    let day = days.get(date);
    if (day === undefined) {
      day = new VisitAccumulator();
      days.set(date, day);
    }
    return day;
  };
  const byId = new Map(visits.map((visit) => [visit.id, visit]));
  for (const visit of visits) {
    const local = localOf(visit.arrivedAt, timeZone);
    referenceAddVisit(dayOf(local.date), visit, local.hour);
  }
  for (const use of uses) {
    const visit = use.visitId === null ? undefined : byId.get(use.visitId);
    referenceAddUse(dayOf(localOf(use.usedAt, timeZone).date), use, visit);
  }
  return new Map(
    [...days].sort(([a], [b]) => (a < b ? -1 : 1)).map(([d, acc]) => [d, JSON.stringify(acc.finish())]),
  );
}

// Zones with DST changes (Paris, New York, Lord Howe's half hour, Santiago's midnight change), fixed odd
// offsets (Kathmandu +05:45, Kiritimati +14) and UTC; instants within 36 h of one of their 2026 changes.
const ZONES: readonly [string, string][] = [
  ["Europe/Paris", "2026-03-29T01:00:00Z"],
  ["Europe/Paris", "2026-10-25T01:00:00Z"],
  ["America/New_York", "2026-03-08T07:00:00Z"],
  ["America/New_York", "2026-11-01T06:00:00Z"],
  ["Australia/Lord_Howe", "2026-10-03T15:30:00Z"],
  ["Australia/Lord_Howe", "2026-04-04T15:00:00Z"],
  ["America/Santiago", "2026-09-06T04:00:00Z"],
  ["Asia/Kathmandu", "2026-06-01T00:00:00Z"],
  ["Pacific/Kiritimati", "2026-12-31T10:00:00Z"],
  ["UTC", "2026-02-28T12:00:00Z"],
];
// Two codes share a 16-character prefix (one visitor), one is shorter than a prefix.
const CODES = [
  "ab".repeat(32),
  `${"ab".repeat(8)}${"cd".repeat(24)}`,
  "0f".repeat(32),
  "1234",
  "ff".repeat(32),
];
const LANGUAGES = ["ar", "fr", "en", "ps", "ti", "prs"];
const SERVICES = ["showers", "meals", "legal"];
const SOURCES: ServiceUseSource[] = ["door", "partner_report"];

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

const workload = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    visits: fc.array(
      fc.record({
        offset: fc.integer({ min: -36 * 3600, max: 36 * 3600 }),
        code: fc.option(fc.constantFrom(...CODES)),
        ageBand: fc.option(fc.constantFrom(...AgeBand.options)),
        gender: fc.option(fc.constantFrom(...Gender.options)),
        languages: fc.array(fc.constantFrom(...LANGUAGES), { maxLength: 3 }),
        firstVisit: fc.option(fc.boolean()),
        recordKey: fc.option(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { nil: undefined }),
      }),
      { maxLength: 60 },
    ),
    uses: fc.array(
      fc.record({
        offset: fc.integer({ min: -36 * 3600, max: 36 * 3600 }),
        visit: fc.integer({ min: -2, max: 59 }),
        serviceId: fc.constantFrom(...SERVICES),
        source: fc.constantFrom(...SOURCES),
        quantity: fc.integer({ min: 1, max: 9 }),
        recordKey: fc.option(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { nil: undefined }),
      }),
      { maxLength: 60 },
    ),
  })
  .map(({ zone: [timeZone, change], visits, uses }) => {
    const base = Date.parse(change);
    const records: KeyedRecord<Visit>[] = visits.map((v, i) => ({
      id: `v${i}`,
      createdAt: iso(base),
      updatedAt: iso(base),
      centreId: "halte",
      arrivedAt: iso(base + v.offset * 1000),
      visitorCodeHash: v.code,
      ageBand: v.ageBand,
      gender: v.gender,
      languages: v.languages,
      firstVisit: v.firstVisit,
      idempotencyKey: null,
      ...(v.recordKey === undefined ? {} : { recordKey: v.recordKey }),
    }));
    const useRecords: KeyedRecord<ServiceUse>[] = uses.map((u, i) => ({
      id: `u${i}`,
      createdAt: iso(base),
      updatedAt: iso(base),
      centreId: "halte",
      serviceId: u.serviceId,
      // A use with a visit usually falls on its visit's day, sometimes (near midnight) on the next one.
      usedAt: iso(
        u.visit >= 0 && u.visit < records.length
          ? Date.parse((records[u.visit] as Visit).arrivedAt) + (u.offset % 7200) * 1000
          : base + u.offset * 1000,
      ),
      quantity: u.quantity,
      // −2: a visit id that does not exist; −1: no visit.
      visitId: u.visit === -1 ? null : u.visit === -2 || u.visit >= records.length ? "gone" : `v${u.visit}`,
      source: u.source,
      partnerId: null,
      ...(u.recordKey === undefined ? {} : { recordKey: u.recordKey }),
    }));
    return { timeZone, visits: records, uses: useRecords };
  });

function columnsOf(
  timeZone: string,
  visits: readonly KeyedRecord<Visit>[],
  uses: readonly KeyedRecord<ServiceUse>[],
) {
  // What the Worker reads from D1: the day and hour stored with each row, uses counted per
  // (day, service, source, visit) with their keys summed, a visit named only when it is the same day's.
  const columns = new VisitColumns();
  const index = new Map<string, { index: number; day: number }>();
  for (const visit of visits) {
    const local = localOf(visit.arrivedAt, timeZone);
    const day = local.day;
    const i = columns.add({ ...visit, day, hour: local.hour, languages: JSON.stringify(visit.languages) });
    index.set(visit.id, { index: i, day });
  }
  const groups = new Map<
    string,
    {
      day: number;
      serviceId: string;
      source: string;
      visit: number;
      uses: number;
      quantity: number;
      key: number;
    }
  >();
  for (const use of uses) {
    const day = localOf(use.usedAt, timeZone).day;
    const found = use.visitId === null ? undefined : index.get(use.visitId);
    const visit = found !== undefined && found.day === day ? found.index : -1;
    const id = `${day}|${use.serviceId}|${use.source}|${visit}`;
    const group = groups.get(id) ?? {
      day,
      serviceId: use.serviceId,
      source: use.source,
      visit,
      uses: 0,
      quantity: 0,
      key: 0,
    };
    group.uses++;
    group.quantity += use.quantity;
    group.key = addCellKeys(group.key, use.recordKey ?? 0);
    groups.set(id, group);
  }
  const useColumns = new UseColumns();
  for (const group of groups.values()) useColumns.add(group);
  return { columns, useColumns };
}

describe("the columnar path", () => {
  it("gives aggregateVisitsByDay byte-identical day partials to the row-by-row accumulator, in every zone", () => {
    fc.assert(
      fc.property(workload, ({ timeZone, visits, uses }) => {
        const expected = referenceDays(visits, uses, timeZone);
        const actual = aggregateVisitsByDay(visits, uses, { timeZone }).halte ?? {};
        expect(Object.keys(actual)).toEqual([...expected.keys()]);
        for (const [day, partial] of Object.entries(actual)) {
          expect(JSON.stringify(partial)).toBe(expected.get(day));
          expect(serializeVisitAggregate(partial)).toBe(expected.get(day));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same bytes from stored day and hour columns and uses counted per visit, as the Worker reads them", () => {
    fc.assert(
      fc.property(workload, ({ timeZone, visits, uses }) => {
        // The Worker attributes a use to its visit only when both are filed under the same day.
        const dayOf = (instant: string) => localOf(instant, timeZone).date;
        const byId = new Map(visits.map((visit) => [visit.id, visit]));
        const sameDay = uses.map((use) => {
          const visit = use.visitId === null ? undefined : byId.get(use.visitId);
          return visit !== undefined && dayOf(visit.arrivedAt) !== dayOf(use.usedAt)
            ? { ...use, visitId: null }
            : use;
        });
        const expected = referenceDays(visits, sameDay, timeZone);
        const { columns, useColumns } = columnsOf(timeZone, visits, uses);
        const actual = aggregateVisitColumns(columns, useColumns);
        expect([...actual.values()].map((partial) => JSON.stringify(partial))).toEqual([
          ...expected.values(),
        ]);
      }),
      { numRuns: 300 },
    );
  });

  it("counts an arrival at 01:30 on the night Paris skips 02:00 and at both 02:30s of the night it repeats", () => {
    const at = (arrivedAt: string, id: string): KeyedRecord<Visit> => ({
      id,
      createdAt: arrivedAt,
      updatedAt: arrivedAt,
      centreId: "halte",
      arrivedAt,
      visitorCodeHash: null,
      ageBand: null,
      gender: null,
      languages: [],
      firstVisit: null,
      idempotencyKey: null,
    });
    const days = aggregateVisitsByDay(
      [
        at("2026-03-29T00:30:00Z", "a"), // 01:30 CET
        at("2026-03-29T01:30:00Z", "b"), // 03:30 CEST
        at("2026-10-25T00:30:00Z", "c"), // 02:30 CEST
        at("2026-10-25T01:30:00Z", "d"), // 02:30 CET
      ],
      [],
      { timeZone: "Europe/Paris" },
    ).halte;
    expect(days?.["2026-03-29"]?.byHour.slice(0, 4)).toEqual([0, 1, 0, 1]);
    expect(days?.["2026-10-25"]?.byHour[2]).toBe(2);
  });

  it("refuses an unknown age band, a bad hour or a use row counting no use", () => {
    const columns = new VisitColumns();
    const row = {
      day: 20_000,
      hour: 9,
      ageBand: null,
      gender: null,
      firstVisit: null,
      visitorCodeHash: null,
      languages: "[]",
    };
    expect(() => columns.add({ ...row, ageBand: "adult" })).toThrow(RangeError);
    expect(() => columns.add({ ...row, hour: 24 })).toThrow(RangeError);
    expect(() => columns.add({ ...row, languages: '{"ar":1}' })).toThrow(RangeError);
    const uses = new UseColumns();
    expect(() =>
      uses.add({ day: 20_000, serviceId: "s", source: "door", visit: -1, uses: 0, quantity: 0, key: 0 }),
    ).toThrow(RangeError);
    expect(() =>
      uses.add({ day: 20_000, serviceId: "s", source: "fax", visit: -1, uses: 1, quantity: 1, key: 0 }),
    ).toThrow(RangeError);
  });

  it("grows its columns past their first size and keeps days decades apart", () => {
    const columns = new VisitColumns();
    for (let i = 0; i < 1000; i++) {
      columns.add({
        day: i % 2 === 0 ? 0 : 2_000_000,
        hour: i % 24,
        ageBand: null,
        gender: null,
        firstVisit: null,
        visitorCodeHash: `${i % 7}`,
        languages: [],
      });
    }
    const days = aggregateVisitColumns(columns);
    expect([...days.keys()]).toEqual([0, 2_000_000]);
    expect(days.get(0)?.visits).toBe(500);
    expect(days.get(0)?.uniqueVisitors).toBe(7);
  });

  it("gives the row-by-row bytes for three busy weeks with closed days, regulars and 32-bit keys", () => {
    // A realistic size, unlike the property tests: 19 open days around the spring DST change in Paris
    // (two days closed, so the span has days without rows), ~700 arrivals a day, a pool of 1,500 codes of
    // which regulars come most days (some twice a day, two codes share a prefix), ~2.4 uses per visit.
    let state = 20260316;
    const random = () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
    const hex = () =>
      Math.floor(random() * 2 ** 32)
        .toString(16)
        .padStart(8, "0");
    const pool = Array.from({ length: 1500 }, () => Array.from({ length: 8 }, hex).join(""));
    pool[1] = `${(pool[0] as string).slice(0, 16)}${"0".repeat(48)}`;
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
    const visits: KeyedRecord<Visit>[] = [];
    const uses: KeyedRecord<ServiceUse>[] = [];
    const start = Date.parse("2026-03-16T07:00:00Z");
    for (let day = 0; day < 21; day++) {
      if (day === 4 || day === 11) continue;
      for (let n = 0; n < 600 + Math.floor(random() * 200); n++) {
        const arrivedAt = start + day * 86_400_000 + Math.floor(random() * 11 * 3_600_000);
        const id = `v${visits.length}`;
        visits.push({
          id,
          createdAt: iso(arrivedAt),
          updatedAt: iso(arrivedAt),
          centreId: "halte",
          arrivedAt: iso(arrivedAt),
          visitorCodeHash: random() < 0.6 ? (pool[Math.floor(pool.length * random() ** 2)] as string) : null,
          ageBand: random() < 0.8 ? pick(AgeBand.options) : null,
          gender: random() < 0.85 ? pick(Gender.options) : null,
          languages: Array.from({ length: Math.floor(random() * 3) }, () => pick(LANGUAGES)),
          firstVisit: random() < 0.9 ? random() < 0.1 : null,
          idempotencyKey: null,
          recordKey: 1 + Math.floor(random() * (2 ** 32 - 1)),
        });
        for (let k = Math.floor(random() * 5); k > 0; k--) {
          uses.push({
            id: `u${uses.length}`,
            createdAt: iso(arrivedAt),
            updatedAt: iso(arrivedAt),
            centreId: "halte",
            serviceId: pick(SERVICES),
            usedAt: iso(arrivedAt + Math.floor(random() * 3_600_000)),
            quantity: 1 + Math.floor(random() * 3),
            visitId: random() < 0.9 ? id : null,
            source: random() < 0.9 ? "door" : "partner_report",
            partnerId: null,
            recordKey: 1 + Math.floor(random() * (2 ** 32 - 1)),
          });
        }
      }
    }
    const timeZone = "Europe/Paris";
    const expected = referenceDays(visits, uses, timeZone);
    expect(expected.size).toBe(19);
    const actual = aggregateVisitsByDay(visits, uses, { timeZone }).halte ?? {};
    expect(Object.keys(actual)).toEqual([...expected.keys()]);
    for (const [day, partial] of Object.entries(actual))
      expect(JSON.stringify(partial)).toBe(expected.get(day));
    expect(Object.values(actual).reduce((sum, partial) => sum + partial.visits, 0)).toBe(visits.length);
    expect(Object.values(actual).some((partial) => (partial.visitorGroups?.length ?? 0) > 300)).toBe(true);
  });
});
