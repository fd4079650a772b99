import { z } from "zod";
import {
  AGE_KEYS as AGES,
  AgeKey,
  GENDER_KEYS as GENDERS,
  GenderKey,
  LanguageKey,
  UNKNOWN,
} from "./aggregate-canonical.js";
import { addCellKeys, CellKey, type PerturbationTable } from "./cell-key.js";
import { OWN_MARGINS, publishTable } from "./closed-lines.js";
import { type DisclosedCell, type DisclosedTable, openTable } from "./disclosure.js";
import { type PeriodPublication, publishPeriodFigure } from "./period-lines.js";

/**
 * Who used a service: the uses of one service in a partial, by the age band, gender and languages of the
 * visit they were recorded with (at the door). A use recorded without a visit (a partner's bulk report, a
 * use entered alone) is filed under `unknown`. Each group keeps its number of uses and their cell key (the
 * sum of the uses' record keys modulo 2³²), so groups merge like every other count and are published with
 * consistent perturbation (see `cell-key.ts`).
 */

/** Uses of one group, and their cell key. */
export const UseGroup = z.object({ uses: z.int().min(1), key: CellKey });
export type UseGroup = z.infer<typeof UseGroup>;

/**
 * The uses of a service by age band × gender of their visit, and by language spoken (a person may speak
 * several: a use counts once under each, and under `unknown` when none was given). Empty groups are left out.
 */
export const ServicePeople = z.object({
  byAgeBandGender: z.partialRecord(AgeKey, z.partialRecord(GenderKey, UseGroup)),
  byLanguage: z.record(LanguageKey, UseGroup),
});
export type ServicePeople = z.infer<typeof ServicePeople>;

/** What a use is attributed to: its visit's age band, gender and languages (null when unknown). */
export interface UseAttributes {
  readonly ageBand: string | null;
  readonly gender: string | null;
  readonly languages: readonly string[];
}

/** The mutable builder of a service's {@link ServicePeople}; canonical on `finish()`. */
export class ServicePeopleAccumulator {
  private readonly ageGender = new Map<string, UseGroup>();
  private readonly languages = new Map<string, UseGroup>();

  private static add(map: Map<string, UseGroup>, group: string, uses: number, key: number): void {
    const known = map.get(group);
    map.set(group, { uses: (known?.uses ?? 0) + uses, key: addCellKeys(known?.key ?? 0, key) });
  }

  /** Files `uses` uses with cell key `key` under the attributes of their visit (or `unknown`). */
  add(attributes: UseAttributes | undefined, uses: number, key: number): void {
    if (uses <= 0) return;
    this.addAgeGender(attributes?.ageBand ?? UNKNOWN, attributes?.gender ?? UNKNOWN, uses, key);
    const spoken = [...new Set(attributes?.languages ?? [])];
    for (const language of spoken.length === 0 ? [UNKNOWN] : spoken) this.addLanguage(language, uses, key);
  }

  /** Files uses under one age band × gender cell (`unknown` included), as counted by the columnar path. */
  addAgeGender(age: string, gender: string, uses: number, key: number): void {
    if (uses > 0) ServicePeopleAccumulator.add(this.ageGender, `${age}|${gender}`, uses, key);
  }

  /** Files uses under one language (`unknown` included), as counted by the columnar path. */
  addLanguage(language: string, uses: number, key: number): void {
    if (uses > 0) ServicePeopleAccumulator.add(this.languages, language, uses, key);
  }

  absorb(people: ServicePeople | undefined): void {
    if (people === undefined) return;
    for (const [age, genders] of Object.entries(people.byAgeBandGender)) {
      for (const [gender, group] of Object.entries(genders ?? {})) {
        if (group !== undefined)
          ServicePeopleAccumulator.add(this.ageGender, `${age}|${gender}`, group.uses, group.key);
      }
    }
    for (const [language, group] of Object.entries(people.byLanguage)) {
      ServicePeopleAccumulator.add(this.languages, language, group.uses, group.key);
    }
  }

  /** The canonical form (age bands and genders in schema order, languages by code unit), or undefined if empty. */
  finish(): ServicePeople | undefined {
    if (this.ageGender.size === 0 && this.languages.size === 0) return undefined;
    const byAgeBandGender: Record<string, Record<string, UseGroup>> = {};
    for (const age of AGES) {
      const row: Record<string, UseGroup> = {};
      for (const gender of GENDERS) {
        const group = this.ageGender.get(`${age}|${gender}`);
        if (group !== undefined) row[gender] = { ...group };
      }
      if (Object.keys(row).length > 0) byAgeBandGender[age] = row;
    }
    const byLanguage: Record<string, UseGroup> = {};
    for (const language of [...this.languages.keys()].sort()) {
      byLanguage[language] = { ...(this.languages.get(language) as UseGroup) };
    }
    return { byAgeBandGender, byLanguage };
  }
}

/**
 * Two services' (or two periods') users added up: the same as absorbing both into a
 * {@link ServicePeopleAccumulator} and finishing it (canonical order, undefined when there is nobody), without
 * its maps — the reports across centres add a stored period's people into a day's tally once per centre.
 *
 * @example
 * addServicePeople(october.people, november.people)?.byLanguage.ar; // { uses: 14, key: … }
 */
export function addServicePeople(
  a: ServicePeople | undefined,
  b: ServicePeople | undefined,
): ServicePeople | undefined {
  if (a === undefined && b === undefined) return undefined;
  const fromA = (a?.byAgeBandGender ?? {}) as Record<string, Record<string, UseGroup> | undefined>;
  const fromB = (b?.byAgeBandGender ?? {}) as Record<string, Record<string, UseGroup> | undefined>;
  const byAgeBandGender: Record<string, Record<string, UseGroup>> = {};
  let empty = true;
  for (const age of AGES) {
    const rowA = fromA[age];
    const rowB = fromB[age];
    if (rowA === undefined && rowB === undefined) continue;
    let row: Record<string, UseGroup> | undefined;
    for (const gender of GENDERS) {
      const group = addGroups(rowA?.[gender], rowB?.[gender]);
      if (group === undefined) continue;
      row ??= {};
      row[gender] = group;
    }
    if (row === undefined) continue;
    byAgeBandGender[age] = row;
    empty = false;
  }
  const langA = a?.byLanguage ?? {};
  const langB = b?.byLanguage ?? {};
  const languages = Object.keys(langA);
  for (const language of Object.keys(langB)) if (!Object.hasOwn(langA, language)) languages.push(language);
  languages.sort();
  const byLanguage: Record<string, UseGroup> = {};
  for (const language of languages) {
    byLanguage[language] = addGroups(langA[language], langB[language]) as UseGroup;
    empty = false;
  }
  return empty ? undefined : ({ byAgeBandGender, byLanguage } as ServicePeople);
}

function addGroups(x: UseGroup | undefined, y: UseGroup | undefined): UseGroup | undefined {
  if (x === undefined) return y === undefined ? undefined : { uses: y.uses, key: y.key };
  if (y === undefined) return { uses: x.uses, key: x.key };
  return { uses: x.uses + y.uses, key: addCellKeys(x.key, y.key) };
}

/** Who used a service, as published: uses by age band × gender with margins, and by language. */
export interface PublishedServicePeople {
  /** Rows: age bands then `unknown`; columns: genders then `unknown`; the grand total is all uses. */
  readonly ageBandGender: DisclosedTable;
  /** Uses by language spoken at the visit (sorted codes); a person may speak several. */
  readonly languages: readonly { readonly language: string; readonly count: DisclosedCell }[];
}

/**
 * Publishes who used a service: with a perturbation table (callers without raw access), each count goes
 * through consistent perturbation with the key of the uses it counts — the grand total counts the same
 * records as the service's `uses`, so it is the same published figure; where a row, a column or the grand
 * total would close on its cells, a cell or a margin takes another outcome of its own count (`publishTable`,
 * closed-lines.ts), never the grand total — and languages published as 0 are not listed (their presence would say they are not 0); with `null`, exact figures (`k` for the shape).
 * For a period longer than a day, `period.within` holds its sub-periods' publications and `period.prefix`
 * the service's figure names there (`period-lines.ts`): no figure closes a line with its sub-periods'.
 *
 * @example
 * const table = perturbationTable({ k: 5, maxNoise: 2 });
 * if (table.ok) publishServicePeople(row.people, table.value).ageBandGender.grandTotal; // same as the row's uses
 */
export function publishServicePeople(
  people: ServicePeople | undefined,
  table: PerturbationTable | null,
  k = table?.k ?? 5,
  period: { readonly within: readonly (readonly PeriodPublication[])[]; readonly prefix: string } = {
    within: [],
    prefix: "",
  },
): PublishedServicePeople {
  const groups = (people?.byAgeBandGender ?? {}) as Record<string, Record<string, UseGroup>>;
  const counts = {
    rowLabels: [...AGES],
    columnLabels: [...GENDERS],
    cells: AGES.map((age) => GENDERS.map((gender) => groups[age]?.[gender]?.uses ?? 0)),
  };
  const keys = AGES.map((age) => GENDERS.map((gender) => groups[age]?.[gender]?.key ?? 0));
  const languages = Object.entries(people?.byLanguage ?? {})
    .map(([language, group]) => ({
      language,
      count: {
        value:
          table === null
            ? group.uses
            : publishPeriodFigure(
                `${period.prefix}lang|${language}`,
                group.uses,
                group.key,
                period.within,
                table,
              ),
        suppressed: false as const,
      },
    }))
    .filter(({ count }) => table === null || count.value > 0);
  return {
    ageBandGender:
      table === null
        ? openTable(counts, k)
        : publishTable(counts, keys, table, OWN_MARGINS, {
            within: period.within,
            prefix: `${period.prefix}by|`,
          }),
    languages,
  };
}
