import { z } from "zod";
import {
  AGE_KEYS as AGES,
  AgeKey,
  GENDER_KEYS as GENDERS,
  GenderKey,
  LanguageKey,
  UNKNOWN,
} from "./aggregate-canonical.js";
import { addCellKeys, CellKey, type PerturbationTable, perturbCount, visitorCellKey } from "./cell-key.js";
import { type LineFigure, openClosedLines } from "./closed-lines.js";
import type { DisclosedCell } from "./disclosure.js";

/**
 * Unique visitors by age band, gender and language. A partial keeps, beside each visitor-code prefix, the
 * groups that visitor was counted in over the partial's days (`visitorGroups`, same order as
 * `visitorCodes`): a bit per age band and per gender, and the languages spoken. Merging two partials unites
 * the groups of the same prefix, so "unique visitors aged 18–59 this month" is exact under merge, like
 * unique visitors themselves. A person seen in two age bands (a birthday, or a typo) counts once in each.
 * When a day passes retention its prefixes go, and with them their groups: their counts and visitor keys
 * move into `anonymisedGroups`, so every figure stays (and adds up across anonymised days, as unique
 * visitors do).
 */

/** The groups of one visitor, as written in a partial: `{age bits}.{gender bits}.{languages}` (bits in base 36). */
export const VisitorGroupSignature = z.string().regex(/^[0-9a-z]{1,3}\.[0-9a-z]{1,2}\.[a-z,]*$/);

/** Visitors of one group and their cell key (the sum of their visitor keys). */
export const VisitorCount = z.object({ visitors: z.int().min(1), key: CellKey });
export type VisitorCount = z.infer<typeof VisitorCount>;

/** Anonymised visitors per group: what is left of `visitorGroups` once a day is past retention. */
export const VisitorGroupCounts = z.object({
  byAgeBand: z.partialRecord(AgeKey, VisitorCount),
  byGender: z.partialRecord(GenderKey, VisitorCount),
  byLanguage: z.record(LanguageKey, VisitorCount),
});
export type VisitorGroupCounts = z.infer<typeof VisitorGroupCounts>;

/** The groups one visitor was counted in. */
export interface VisitorGroup {
  ages: number;
  genders: number;
  readonly languages: Set<string>;
}

/** An empty group set. */
export function emptyVisitorGroup(): VisitorGroup {
  return { ages: 0, genders: 0, languages: new Set() };
}

/** Adds one visit's age band, gender and languages (null or empty: `unknown`) to a visitor's groups. */
export function addToVisitorGroup(
  group: VisitorGroup,
  ageBand: string | null,
  gender: string | null,
  languages: readonly string[],
): void {
  group.ages |= 1 << Math.max(0, AGES.indexOf(ageBand ?? UNKNOWN));
  group.genders |= 1 << Math.max(0, GENDERS.indexOf(gender ?? UNKNOWN));
  if (languages.length === 0) group.languages.add(UNKNOWN);
  for (const language of languages) group.languages.add(language);
}

/** Unites `other` into `group`. */
export function uniteVisitorGroups(group: VisitorGroup, other: VisitorGroup): void {
  group.ages |= other.ages;
  group.genders |= other.genders;
  for (const language of other.languages) group.languages.add(language);
}

/** The canonical signature of a visitor's groups (languages sorted). */
export function encodeVisitorGroup(group: VisitorGroup): string {
  return visitorGroupSignature(group.ages, group.genders, [...group.languages].sort());
}

/**
 * The signature of a visitor's groups from its age and gender bits and its languages already sorted by code
 * unit: the one spelling of `visitorGroups` in a partial, shared by the row and the columnar paths.
 *
 * @example
 * visitorGroupSignature(0b1000, 0b10, ["ar", "fr"]); // "8.2.ar,fr"
 */
export function visitorGroupSignature(
  ages: number,
  genders: number,
  sortedLanguages: readonly string[],
): string {
  return `${ages.toString(36)}.${genders.toString(36)}.${sortedLanguages.join(",")}`;
}

/** Reads a signature back; an empty or missing one (a partial stored before groups existed) is no group. */
export function decodeVisitorGroup(signature: string | undefined): VisitorGroup {
  if (signature === undefined) return emptyVisitorGroup();
  const [ages = "0", genders = "0", languages = ""] = signature.split(".");
  return {
    ages: Number.parseInt(ages, 36) || 0,
    genders: Number.parseInt(genders, 36) || 0,
    languages: new Set(languages.length === 0 ? [] : languages.split(",")),
  };
}

type Counts = Map<string, { visitors: number; key: number }>;

function addCount(counts: Counts, group: string, visitors: number, key: number): void {
  const known = counts.get(group);
  counts.set(group, { visitors: (known?.visitors ?? 0) + visitors, key: addCellKeys(known?.key ?? 0, key) });
}

/** The mutable sum of {@link VisitorGroupCounts}: anonymised visitors, or all visitors of a period. */
export class VisitorGroupCounter {
  readonly ages: Counts = new Map();
  readonly genders: Counts = new Map();
  readonly languages: Counts = new Map();

  /** Counts one visitor (its visitor key `key`) in each of its groups. */
  addVisitor(group: VisitorGroup, key: number): void {
    AGES.forEach((age, i) => {
      if (group.ages & (1 << i)) addCount(this.ages, age, 1, key);
    });
    GENDERS.forEach((gender, i) => {
      if (group.genders & (1 << i)) addCount(this.genders, gender, 1, key);
    });
    for (const language of group.languages) addCount(this.languages, language, 1, key);
  }

  absorb(counts: VisitorGroupCounts | undefined): void {
    if (counts === undefined) return;
    const pairs: [Counts, Record<string, VisitorCount | undefined>][] = [
      [this.ages, counts.byAgeBand],
      [this.genders, counts.byGender],
      [this.languages, counts.byLanguage],
    ];
    for (const [map, record] of pairs) {
      for (const [group, count] of Object.entries(record)) {
        if (count !== undefined) addCount(map, group, count.visitors, count.key);
      }
    }
  }

  /** Canonical counts (age bands and genders in schema order, languages sorted), or undefined if empty. */
  finish(): VisitorGroupCounts | undefined {
    if (this.ages.size + this.genders.size + this.languages.size === 0) return undefined;
    const inOrder = (map: Counts, order: readonly string[]) => {
      const record: Record<string, VisitorCount> = {};
      for (const group of order) {
        const count = map.get(group);
        if (count !== undefined) record[group] = { ...count };
      }
      return record;
    };
    return {
      byAgeBand: inOrder(this.ages, AGES),
      byGender: inOrder(this.genders, GENDERS),
      byLanguage: inOrder(this.languages, [...this.languages.keys()].sort()),
    };
  }
}

/** What {@link uniqueVisitorsByGroup} reads of a partial. */
export interface VisitorGroupSource {
  readonly visitorCodes: readonly string[];
  readonly visitorGroups?: readonly string[] | undefined;
  readonly anonymisedGroups?: VisitorGroupCounts | undefined;
}

/**
 * Unique visitors of a partial by age band, gender and language, each with its cell key (the sum of the
 * visitor keys of the people it counts, so the same people give the same key in any period that holds
 * them): the prefixes still held, by their groups, plus the anonymised counts.
 *
 * @example
 * uniqueVisitorsByGroup(monthPartial).byAgeBand["18-59"]; // { visitors: 412, key: 3_014_112_771 }
 */
export function uniqueVisitorsByGroup(source: VisitorGroupSource): VisitorGroupCounts {
  const counter = new VisitorGroupCounter();
  source.visitorCodes.forEach((prefix, i) => {
    counter.addVisitor(decodeVisitorGroup(source.visitorGroups?.[i]), visitorCellKey(prefix));
  });
  counter.absorb(source.anonymisedGroups);
  return counter.finish() ?? { byAgeBand: {}, byGender: {}, byLanguage: {} };
}

/** Unique visitors by group as published: one list per breakdown. */
export interface PublishedVisitorGroups {
  readonly byAgeBand: { group: string; count: DisclosedCell }[];
  readonly byGender: { group: string; count: DisclosedCell }[];
  readonly byLanguage: { group: string; count: DisclosedCell }[];
}

/**
 * Publishes unique visitors by age band, gender and language: every age band and gender (in schema order,
 * `unknown` last) and the languages; with a perturbation table each count is perturbed with the key of the
 * people it counts and languages published as 0 are left out (their presence would say they are not 0);
 * with `null`, exact counts (the admin views).
 *
 * @example
 * publishVisitorGroups(monthPartial, table).byAgeBand[3]; // { group: "18-59", count: { value: 411, suppressed: false } }
 */
export function publishVisitorGroups(
  source: VisitorGroupSource,
  table: PerturbationTable | null,
): PublishedVisitorGroups {
  const counts = uniqueVisitorsByGroup(source);
  const shown = (count: VisitorCount | undefined): DisclosedCell => {
    const n = count?.visitors ?? 0;
    return { value: table === null ? n : perturbCount(n, count?.key ?? 0, table), suppressed: false };
  };
  const list = (record: Record<string, VisitorCount | undefined>, groups: readonly string[]) =>
    groups.map((group) => ({ group, count: shown(record[group]) }));
  return {
    byAgeBand: list(counts.byAgeBand, AGES),
    byGender: list(counts.byGender, GENDERS),
    byLanguage: list(counts.byLanguage, Object.keys(counts.byLanguage).sort()).filter(
      ({ count }) => table === null || (!count.suppressed && count.value > 0),
    ),
  };
}

/**
 * Opens the lines unique visitors make with their groups: a person counts once in each age band (gender)
 * they were seen in, so all visitors are at most the sum of a breakdown, and when the total's least count
 * meets the sum of the groups' greatest, every group is pinned (closed-lines.ts). A closed breakdown gets
 * one group moved to a higher outcome of its own count; the total, published elsewhere too, keeps its value.
 *
 * @example
 * openVisitorGroupLines(publishVisitorGroups(month, table), month, published.uniqueVisitors, table);
 */
export function openVisitorGroupLines(
  published: PublishedVisitorGroups,
  source: VisitorGroupSource & { readonly uniqueVisitors: number },
  total: DisclosedCell,
  table: PerturbationTable,
): PublishedVisitorGroups {
  const counts = uniqueVisitorsByGroup(source);
  const whole: LineFigure = {
    n: source.uniqueVisitors,
    key: 0,
    value: total.suppressed ? 0 : total.value,
    movable: false,
    moved: false,
  };
  const opened = (
    list: PublishedVisitorGroups["byAgeBand"],
    record: Record<string, VisitorCount | undefined>,
  ) => {
    const parts = list.map(({ group, count }) => ({
      n: record[group]?.visitors ?? 0,
      key: record[group]?.key ?? 0,
      value: count.suppressed ? 0 : count.value,
      movable: true,
      moved: false,
    }));
    openClosedLines([{ whole, parts, movable: ["parts"], overlapping: true }], table);
    return list.map(({ group }, i) => ({
      group,
      count: { value: parts[i]?.value ?? 0, suppressed: false as const },
    }));
  };
  return {
    byAgeBand: opened(published.byAgeBand, counts.byAgeBand),
    byGender: opened(published.byGender, counts.byGender),
    byLanguage: published.byLanguage,
  };
}
