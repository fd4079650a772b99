import type { AgeBand, Gender } from "../src/common.js";
import type { ServiceUse, ServiceUseSource } from "../src/service-use.js";
import type { Visit } from "../src/visit.js";

/**
 * A deterministic year of a busy day centre: one centre in Europe/Paris, every local day of 2025 (or of the
 * year asked for), about
 * 1,500 arrivals a day (fewer at weekends) between 08:00 and 18:59 with a morning peak, about three service
 * uses per visit over eight services, 60 % of visits with a card code from a pool of 6,000 (regulars come
 * more often), and an age, gender and language mix close to what the Halte reports. Besides the records
 * it keeps, per row, the local day index and hour it generated, which the SQLite and typed-array baselines
 * use as precomputed columns (SQLite has no time-zone support).
 */

export const WORKLOAD_TIME_ZONE = "Europe/Paris";
export const CENTRE_ID = "halte";
export const SERVICES = ["showers", "toilets", "cafe", "rest", "meals", "legal", "health", "social"] as const;
export const AGE_BANDS: readonly (AgeBand | null)[] = ["0-4", "5-11", "12-17", "18-59", "60+", null];
export const GENDERS: readonly (Gender | null)[] = ["female", "male", "other", null];
export const LANGUAGES = ["ar", "prs", "ps", "ti", "fr", "en", "so", "ur", "ku", "am"] as const;
export const SOURCES: readonly ServiceUseSource[] = ["door", "partner_report"];
export const CODE_POOL_SIZE = 6000;

/** Row-aligned columns, as a hand-written loop or a database would hold them. */
export interface EncodedColumns {
  readonly days: number;
  readonly visitDay: Int32Array;
  readonly visitHour: Uint8Array;
  /** Index in AGE_BANDS (5 = unknown). */
  readonly visitAge: Uint8Array;
  /** Index in GENDERS (3 = unknown). */
  readonly visitGender: Uint8Array;
  readonly visitFirst: Uint8Array;
  /** Index in the code pool, −1 without a code. */
  readonly visitCode: Int32Array;
  /** Languages of visit v are languageIds[languageOffsets[v] … languageOffsets[v + 1]). */
  readonly languageOffsets: Int32Array;
  readonly languageIds: Uint8Array;
  readonly useDay: Int32Array;
  readonly useService: Uint8Array;
  readonly useSource: Uint8Array;
  readonly useQuantity: Int32Array;
}

export interface Workload {
  readonly visits: Visit[];
  readonly uses: ServiceUse[];
  readonly codePool: readonly string[];
  /** Local days, index 0 = 1 January of the year. */
  readonly dayKeys: readonly string[];
  readonly columns: EncodedColumns;
  readonly description: string;
}

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same year. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pickWeighted(random: () => number, cumulative: readonly number[]): number {
  const x = random() * (cumulative[cumulative.length - 1] as number);
  let i = 0;
  while (x >= (cumulative[i] as number)) i++;
  return i;
}

function cumulate(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => {
    sum += w;
    return sum;
  });
}

/** Monday … Sunday. */
const WEEKDAY_FACTOR = [1.1, 1.05, 1.05, 1.05, 1.1, 0.85, 0.8];
/** Arrivals per local hour 08 … 18. */
const HOUR_WEIGHTS = cumulate([14, 12, 10, 9, 11, 9, 8, 8, 7, 7, 5]);
const AGE_WEIGHTS = cumulate([2, 3, 8, 72, 5, 10]);
const GENDER_WEIGHTS = cumulate([15, 75, 2, 8]);
const LANGUAGE_WEIGHTS = cumulate([30, 18, 14, 10, 8, 6, 5, 4, 3, 2]);
const SERVICE_WEIGHTS = cumulate([22, 20, 18, 10, 15, 5, 5, 5]);

function utcOffsetMinutes(formatter: Intl.DateTimeFormat, instant: number): number {
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((p) => [p.type, p.value]));
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour) % 24,
    Number(parts.minute),
  );
  return Math.round((wall - instant) / 60_000);
}

// toISOString gives flat strings, like rows read from a database; a built-up string would be a rope and
// make every reader slower than in production.
function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A visit's languages: none (15 %), one (65 %) or two different ones (20 %). */
function pickLanguages(random: () => number): string[] {
  const languageRoll = random();
  const languageCount = languageRoll < 0.15 ? 0 : languageRoll < 0.8 ? 1 : 2;
  const languages: string[] = [];
  while (languages.length < languageCount) {
    const language = LANGUAGES[pickWeighted(random, LANGUAGE_WEIGHTS)] as string;
    if (!languages.includes(language)) languages.push(language);
  }
  return languages;
}

/** The service uses generated so far, as records and as the typed loop's columns. */
interface UseRows {
  uses: ServiceUse[];
  useDay: number[];
  useService: number[];
  useSource: number[];
  useQuantity: number[];
}

/** One to four uses within the hour after an arrival; 2 % are a partner's report, not tied to the visit. */
function addUses(random: () => number, out: UseRows, arrivedMs: number, visitId: string, day: number): void {
  const useCount = 1 + Math.floor(random() * 3) + (random() < 0.5 ? 1 : 0);
  for (let u = 0; u < useCount; u++) {
    const service = pickWeighted(random, SERVICE_WEIGHTS);
    const partner = random() < 0.02;
    const quantity = partner ? 2 + Math.floor(random() * 10) : random() < 0.1 ? 2 : 1;
    const usedAt = iso(arrivedMs + Math.floor(random() * 3600) * 1000);
    out.uses.push({
      id: `u${out.uses.length}`,
      createdAt: usedAt,
      updatedAt: usedAt,
      centreId: CENTRE_ID,
      serviceId: SERVICES[service] as string,
      usedAt,
      quantity,
      visitId: partner ? null : visitId,
      source: partner ? "partner_report" : "door",
      partnerId: partner ? "aurore" : null,
    });
    out.useDay.push(day);
    out.useService.push(service);
    out.useSource.push(partner ? 1 : 0);
    out.useQuantity.push(quantity);
  }
}

/**
 * Builds the year; `scale` multiplies the arrivals per day (0.05 for a smoke run). Other years (for a
 * benchmark that needs several) take their own seed, so they are not copies of 2025.
 */
export function generateWorkload(scale = 1, seed = 20250101, year = 2025): Workload {
  const random = mulberry32(seed);
  const formatter = new Intl.DateTimeFormat("en-US", {
    timeZone: WORKLOAD_TIME_ZONE,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  });
  const codePool = Array.from({ length: CODE_POOL_SIZE }, () =>
    Array.from({ length: 8 }, () =>
      Math.floor(random() * 2 ** 32)
        .toString(16)
        .padStart(8, "0"),
    ).join(""),
  );

  const visits: Visit[] = [];
  const uses: ServiceUse[] = [];
  const dayKeys: string[] = [];
  const visitDay: number[] = [];
  const visitHour: number[] = [];
  const visitAge: number[] = [];
  const visitGender: number[] = [];
  const visitFirst: number[] = [];
  const visitCode: number[] = [];
  const languageOffsets: number[] = [0];
  const languageIds: number[] = [];
  const useRows: UseRows = { uses, useDay: [], useService: [], useSource: [], useQuantity: [] };
  const { useDay, useService, useSource, useQuantity } = useRows;

  for (let day = 0; ; day++) {
    const midnightUtc = Date.UTC(year, 0, 1 + day);
    const date = new Date(midnightUtc);
    if (date.getUTCFullYear() !== year) break;
    dayKeys.push(date.toISOString().slice(0, 10));
    // Paris changes its clocks at 02:00/03:00, never during opening hours: one offset holds all day.
    const offset = utcOffsetMinutes(formatter, midnightUtc + 12 * 3_600_000);
    const weekday = (date.getUTCDay() + 6) % 7;
    const arrivals = Math.round(1500 * scale * (WEEKDAY_FACTOR[weekday] as number) * (0.9 + 0.2 * random()));
    for (let n = 0; n < arrivals; n++) {
      const hour = 8 + pickWeighted(random, HOUR_WEIGHTS);
      const second = Math.floor(random() * 3600);
      const arrivedMs = midnightUtc + (hour * 60 - offset) * 60_000 + second * 1000;
      const arrivedAt = iso(arrivedMs);
      const id = `v${visits.length}`;
      const age = pickWeighted(random, AGE_WEIGHTS);
      const gender = pickWeighted(random, GENDER_WEIGHTS);
      const code = random() < 0.6 ? Math.floor(CODE_POOL_SIZE * random() ** 2) : -1;
      const firstRoll = random();
      const firstVisit = firstRoll < 0.05 ? true : firstRoll < 0.75 ? false : null;
      const languages = pickLanguages(random);
      visits.push({
        id,
        createdAt: arrivedAt,
        updatedAt: arrivedAt,
        centreId: CENTRE_ID,
        arrivedAt,
        visitorCodeHash: code >= 0 ? (codePool[code] as string) : null,
        ageBand: AGE_BANDS[age] ?? null,
        gender: GENDERS[gender] ?? null,
        languages,
        firstVisit,
        idempotencyKey: null,
      });
      visitDay.push(day);
      visitHour.push(hour);
      visitAge.push(age);
      visitGender.push(gender);
      visitFirst.push(firstVisit === true ? 1 : 0);
      visitCode.push(code);
      for (const language of languages)
        languageIds.push(LANGUAGES.indexOf(language as (typeof LANGUAGES)[number]));
      languageOffsets.push(languageIds.length);

      addUses(random, useRows, arrivedMs, id, day);
    }
  }

  return {
    visits,
    uses,
    codePool,
    dayKeys,
    columns: {
      days: dayKeys.length,
      visitDay: Int32Array.from(visitDay),
      visitHour: Uint8Array.from(visitHour),
      visitAge: Uint8Array.from(visitAge),
      visitGender: Uint8Array.from(visitGender),
      visitFirst: Uint8Array.from(visitFirst),
      visitCode: Int32Array.from(visitCode),
      languageOffsets: Int32Array.from(languageOffsets),
      languageIds: Uint8Array.from(languageIds),
      useDay: Int32Array.from(useDay),
      useService: Uint8Array.from(useService),
      useSource: Uint8Array.from(useSource),
      useQuantity: Int32Array.from(useQuantity),
    },
    description:
      `1 centre (Europe/Paris), ${year}-01-01..${year}-12-31, ${visits.length} visits, ${uses.length} service uses ` +
      `(scale ${scale}, seed ${seed})`,
  };
}
