import type { VisitAggregate } from "../src/aggregate.js";
import { visitorCodePrefix } from "../src/visit-aggregate.js";
import { visitorGroupSignature } from "../src/visitor-groups.js";
import type { TypedResult } from "./baselines.js";
import type { D1Rows } from "./d1-rows.js";
import {
  AGE_BANDS,
  CODE_POOL_SIZE,
  GENDERS,
  LANGUAGES,
  SERVICES,
  SOURCES,
  type Workload,
} from "./workload.js";

// The typed-array reference of the aggregation benchmark (run.ts), computing every figure core's columnar
// path computes — by hand, over pre-encoded columns, into flat typed arrays, without the canonical objects:
// per day the visit counts by age band × gender, language and hour with their cell keys, first visits,
// visits with a code; the day's visitors in code order with each one's age, gender and language bits; per
// day and service the uses and quantity by source, their key, and who used it (age band × gender and
// language of the visit, with keys). It reads the same use rows as core: counted per (day, service,
// source, visit), as the Worker reads them from D1.

const AGE_N = AGE_BANDS.length;
const GENDER_N = GENDERS.length;
const CELLS = AGE_N * GENDER_N;
const LANGUAGE_N = LANGUAGES.length + 1;
const SERVICE_N = SERVICES.length;
const SOURCE_N = SOURCES.length;
/** Each age × gender cell as its visitor-group bits: the age's bit, then the gender's. */
const CELL_BITS = Int32Array.from(
  { length: CELLS },
  (_, x) => (1 << Math.floor(x / GENDER_N)) | (1 << (AGE_N + (x % GENDER_N))),
);

/** The pre-encoded input: the visits' columns of the workload, code ranks, and the use rows as core reads them. */
export interface TypedInput {
  readonly days: number;
  readonly visitDay: Int32Array;
  readonly visitHour: Uint8Array;
  readonly visitCell: Uint8Array;
  readonly visitFirst: Uint8Array;
  /** The rank of the visit's code among the pool's codes sorted, −1 without a code. */
  readonly visitCode: Int32Array;
  readonly visitKey: Uint32Array;
  readonly languageOffsets: Int32Array;
  readonly languageIds: Uint8Array;
  readonly useDay: Int32Array;
  readonly useService: Uint8Array;
  readonly useSource: Uint8Array;
  readonly useVisit: Int32Array;
  readonly useCount: Int32Array;
  readonly useQuantity: Float64Array;
  readonly useKey: Uint32Array;
  /** The pool's codes in sorted order. */
  readonly codes: readonly string[];
}

/** Encodes the workload and its D1-shaped use rows for the typed loop (not timed). */
export function typedInput(w: Workload, rows: D1Rows): TypedInput {
  const c = w.columns;
  const sorted = [...w.codePool].sort();
  const rankOf = new Map(sorted.map((code, i) => [code, i]));
  const poolRank = Int32Array.from(w.codePool, (code) => rankOf.get(code) as number);
  const first = (rows.visits[0]?.day ?? 0) - (c.visitDay[0] ?? 0);
  // The loop reads each day's visits together: the generator writes them in day order.
  if (c.visitDay.some((day, i) => i > 0 && day < (c.visitDay[i - 1] as number)))
    throw new Error("The typed loop needs the visits in day order");
  const visitIndex = new Map(rows.visits.map((visit, i) => [visit.id, i]));
  const groups = rows.useGroups;
  return {
    days: c.days,
    visitDay: c.visitDay,
    visitHour: c.visitHour,
    visitCell: Uint8Array.from(c.visitAge, (age, i) => age * GENDER_N + (c.visitGender[i] as number)),
    visitFirst: c.visitFirst,
    visitCode: Int32Array.from(c.visitCode, (code) => (code < 0 ? -1 : (poolRank[code] as number))),
    visitKey: Uint32Array.from(rows.visits, (visit) => visit.recordKey),
    languageOffsets: c.languageOffsets,
    languageIds: c.languageIds,
    useDay: Int32Array.from(groups, (g) => g.day - first),
    useService: Uint8Array.from(groups, (g) => SERVICES.indexOf(g.serviceId as (typeof SERVICES)[number])),
    useSource: Uint8Array.from(groups, (g) => SOURCES.indexOf(g.source as (typeof SOURCES)[number])),
    // The Worker names a use's visit only when both are filed under the same day, as core's addUseGroup does.
    useVisit: Int32Array.from(groups, (g) => {
      const i = g.visitId === null ? undefined : visitIndex.get(g.visitId);
      return i !== undefined && rows.visits[i]?.day === g.day ? i : -1;
    }),
    useCount: Int32Array.from(groups, (g) => g.uses),
    useQuantity: Float64Array.from(groups, (g) => g.quantity),
    useKey: Uint32Array.from(groups, (g) => g.key),
    codes: sorted,
  };
}

export interface TypedFullResult extends TypedResult {
  visitsKey: Uint32Array;
  firstKey: Uint32Array;
  withCode: Int32Array;
  ageGenderKey: Uint32Array;
  languageKey: Uint32Array;
  hourKey: Uint32Array;
  /** Day d's visitors are visitorCode/visitorBits[visitorStart[d] … visitorStart[d + 1]), codes in order. */
  visitorStart: Int32Array;
  visitorCode: Int32Array;
  /** Age bits 0–5, gender bits 6–9, language bits from 10 (the language index, `unknown` last). */
  visitorBits: Int32Array;
  serviceKey: Uint32Array;
  peopleCell: Int32Array;
  peopleCellKey: Uint32Array;
  peopleLanguage: Int32Array;
  peopleLanguageKey: Uint32Array;
}

/** The day's visitors, flushed in code order when the (day-ordered) visits move to the next day. */
class DayVisitorsTyped {
  readonly bits = new Int32Array(CODE_POOL_SIZE);
  readonly touched = new Int32Array(CODE_POOL_SIZE);
  count = 0;
  n = 0;

  add(code: number, bits: number): void {
    if (this.bits[code] === 0) this.touched[this.count++] = code;
    (this.bits[code] as number) |= bits;
  }

  flush(r: TypedFullResult, d: number): void {
    r.visitorStart[d] = this.n;
    const codes = this.touched.subarray(0, this.count).sort();
    for (let k = 0; k < codes.length; k++) {
      const code = codes[k] as number;
      r.visitorCode[this.n] = code;
      r.visitorBits[this.n++] = this.bits[code] as number;
      this.bits[code] = 0;
    }
    r.unique[d] = this.count;
    this.count = 0;
  }
}

function countVisitsTyped(t: TypedInput, r: TypedFullResult): void {
  const visitors = new DayVisitorsTyped();
  let day = 0;
  for (let i = 0; i < t.visitDay.length; i++) {
    const d = t.visitDay[i] as number;
    while (day < d) visitors.flush(r, day++);
    const key = t.visitKey[i] as number;
    (r.visits[d] as number)++;
    (r.visitsKey[d] as number) += key;
    if (t.visitFirst[i] === 1) {
      (r.first[d] as number)++;
      (r.firstKey[d] as number) += key;
    }
    const cell = t.visitCell[i] as number;
    (r.ageGender[d * CELLS + cell] as number)++;
    (r.ageGenderKey[d * CELLS + cell] as number) += key;
    const from = t.languageOffsets[i] as number;
    const to = t.languageOffsets[i + 1] as number;
    let spoken = 0;
    if (from === to) {
      spoken = 1 << (LANGUAGE_N - 1);
      (r.language[d * LANGUAGE_N + LANGUAGE_N - 1] as number)++;
      (r.languageKey[d * LANGUAGE_N + LANGUAGE_N - 1] as number) += key;
    }
    for (let l = from; l < to; l++) {
      const language = t.languageIds[l] as number;
      spoken |= 1 << language;
      (r.language[d * LANGUAGE_N + language] as number)++;
      (r.languageKey[d * LANGUAGE_N + language] as number) += key;
    }
    (r.hour[d * 24 + (t.visitHour[i] as number)] as number)++;
    (r.hourKey[d * 24 + (t.visitHour[i] as number)] as number) += key;
    const code = t.visitCode[i] as number;
    if (code >= 0) {
      (r.withCode[d] as number)++;
      visitors.add(code, (CELL_BITS[cell] as number) | (spoken << (AGE_N + GENDER_N)));
    }
  }
  while (day < t.days) visitors.flush(r, day++);
  r.visitorStart[t.days] = visitors.n;
}

function countUsesTyped(t: TypedInput, r: TypedFullResult): void {
  for (let i = 0; i < t.useDay.length; i++) {
    const cell = (t.useDay[i] as number) * SERVICE_N + (t.useService[i] as number);
    const slot = cell * SOURCE_N + (t.useSource[i] as number);
    const n = t.useCount[i] as number;
    const key = t.useKey[i] as number;
    (r.serviceUses[slot] as number) += n;
    (r.serviceQuantity[slot] as number) += t.useQuantity[i] as number;
    (r.serviceKey[cell] as number) += key;
    const visit = t.useVisit[i] as number;
    const who = visit >= 0 ? (t.visitCell[visit] as number) : CELLS - 1;
    (r.peopleCell[cell * CELLS + who] as number) += n;
    (r.peopleCellKey[cell * CELLS + who] as number) += key;
    const from = visit >= 0 ? (t.languageOffsets[visit] as number) : 0;
    const to = visit >= 0 ? (t.languageOffsets[visit + 1] as number) : 0;
    if (from === to) {
      (r.peopleLanguage[cell * LANGUAGE_N + LANGUAGE_N - 1] as number) += n;
      (r.peopleLanguageKey[cell * LANGUAGE_N + LANGUAGE_N - 1] as number) += key;
    }
    for (let l = from; l < to; l++) {
      (r.peopleLanguage[cell * LANGUAGE_N + (t.languageIds[l] as number)] as number) += n;
      (r.peopleLanguageKey[cell * LANGUAGE_N + (t.languageIds[l] as number)] as number) += key;
    }
  }
}

/** Every figure of core's day partials, by hand over typed columns (the reference of the headline ratio). */
export function runTypedFull(t: TypedInput): TypedFullResult {
  const days = t.days;
  const services = days * SERVICE_N;
  const r: TypedFullResult = {
    visits: new Int32Array(days),
    visitsKey: new Uint32Array(days),
    first: new Int32Array(days),
    firstKey: new Uint32Array(days),
    withCode: new Int32Array(days),
    unique: new Int32Array(days),
    ageGender: new Int32Array(days * CELLS),
    ageGenderKey: new Uint32Array(days * CELLS),
    language: new Int32Array(days * LANGUAGE_N),
    languageKey: new Uint32Array(days * LANGUAGE_N),
    hour: new Int32Array(days * 24),
    hourKey: new Uint32Array(days * 24),
    visitorStart: new Int32Array(days + 1),
    visitorCode: new Int32Array(t.visitDay.length),
    visitorBits: new Int32Array(t.visitDay.length),
    serviceUses: new Int32Array(services * SOURCE_N),
    serviceQuantity: new Int32Array(services * SOURCE_N),
    serviceKey: new Uint32Array(services),
    peopleCell: new Int32Array(services * CELLS),
    peopleCellKey: new Uint32Array(services * CELLS),
    peopleLanguage: new Int32Array(services * LANGUAGE_N),
    peopleLanguageKey: new Uint32Array(services * LANGUAGE_N),
  };
  countVisitsTyped(t, r);
  countUsesTyped(t, r);
  return r;
}

/**
 * Checks (not timed) that the typed loop computed what core's partials hold beyond the shared totals: each
 * day's visitors and their groups, and who used each service; throws at the first difference.
 */
export function checkTypedFull(
  t: TypedInput,
  r: TypedFullResult,
  days: ReadonlyMap<number, VisitAggregate>,
  firstDay: number,
): void {
  const languages = [...LANGUAGES, "unknown"];
  const ages = AGE_BANDS.map((a) => a ?? "unknown");
  const genders = GENDERS.map((g) => g ?? "unknown");
  for (let d = 0; d < t.days; d++) {
    const partial = days.get(firstDay + d);
    if (partial === undefined) throw new Error(`core has no partial for day ${d}`);
    const from = r.visitorStart[d] as number;
    const to = r.visitorStart[d + 1] as number;
    const codes: string[] = [];
    const groups: string[] = [];
    for (let n = from; n < to; n++) {
      const b = r.visitorBits[n] as number;
      codes.push(visitorCodePrefix(t.codes[r.visitorCode[n] as number] as string));
      const spoken = languages.filter((_, l) => (b >> (AGE_N + GENDER_N + l)) & 1).sort();
      groups.push(
        visitorGroupSignature(b & ((1 << AGE_N) - 1), (b >> AGE_N) & ((1 << GENDER_N) - 1), spoken),
      );
    }
    if (
      JSON.stringify([codes, groups]) !== JSON.stringify([partial.visitorCodes, partial.visitorGroups ?? []])
    )
      throw new Error(`The typed loop and core list different visitors on day ${d}`);
    SERVICES.forEach((serviceId, s) => {
      const cell = d * SERVICE_N + s;
      const people = partial.services[serviceId]?.people;
      const byCell: Record<string, Record<string, number>> = {};
      for (let x = 0; x < CELLS; x++) {
        const n = r.peopleCell[cell * CELLS + x] as number;
        if (n === 0) continue;
        const age = ages[Math.floor(x / GENDER_N)] as string;
        byCell[age] = { ...byCell[age], [genders[x % GENDER_N] as string]: n };
      }
      const coreCells = Object.fromEntries(
        Object.entries(people?.byAgeBandGender ?? {}).map(([age, row]) => [
          age,
          Object.fromEntries(Object.entries(row ?? {}).map(([gender, group]) => [gender, group?.uses])),
        ]),
      );
      const byLanguage = Object.fromEntries(
        languages
          .map((language, l) => [language, r.peopleLanguage[cell * LANGUAGE_N + l] as number] as const)
          .filter(([, n]) => n > 0)
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      );
      const coreLanguages = Object.fromEntries(
        Object.entries(people?.byLanguage ?? {}).map(([language, group]) => [language, group.uses]),
      );
      if (
        JSON.stringify([sortedKeys(byCell), byLanguage]) !==
        JSON.stringify([sortedKeys(coreCells), coreLanguages])
      )
        throw new Error(`The typed loop and core count different people for ${serviceId} on day ${d}`);
    });
  }
}

function sortedKeys(record: Record<string, Record<string, number | undefined>>): string {
  return JSON.stringify(
    Object.keys(record)
      .sort()
      .map((key) => [key, Object.entries(record[key] ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))]),
  );
}
