import type { VisitAggregate } from "./aggregate.js";
import { AGE_KEYS as AGE_ROWS, GENDER_KEYS as GENDER_COLUMNS } from "./aggregate-canonical.js";
import { addCellKeys, type PerturbationTable } from "./cell-key.js";
import { OWN_MARGINS, publishTable } from "./closed-lines.js";
import type { CountTable } from "./disclosure.js";
import type { DisclosedVisitFigures } from "./figures.js";
import { type PeriodType, periodOfDate } from "./period.js";
import {
  type PeriodFigure,
  type PeriodPublication,
  publishPeriodFigure,
  SUB_PERIODS,
  tableFigures,
} from "./period-lines.js";
import { publishVisitPeriod } from "./reports.js";

/**
 * The visit figures of every grid period of `type` in `byPeriod` (each period's aggregate, by period code),
 * published as {@link publishVisitPeriod} does, each checked against its sub-periods' figures (days,
 * months, quarters: `period-lines.ts`) built from `days`, the local days' partials of the same centres: a
 * month's cell of the age band × gender table, its first visits or a language never closes a line with the
 * same figure of its days, each published by the day's own answer. Items come in period order; a period
 * with no day in `days` is published by its own lines only.
 *
 * Only the periods of `type` are published in full. A sub-period lends the lines nothing but the figures
 * they compare — its age band × gender table with margins (after its own closed lines, step 7, and its own
 * sub-periods, step 8), first visits and languages, with their true counts — so those alone are computed,
 * summed straight from its days' counts and cell keys: never its unique visitors, visitor groups or
 * services, which no line reads. And only when a line reads them: a figure whose range holds its count
 * strictly inside closes no line whatever its parts, and a line is read part by part only until one part
 * keeps it open (`openPeriodLine`), so most sub-periods of a long report are never published. The
 * published figures are those of publishing every sub-period in full.
 *
 * @example
 * const table = perturbationTable({ k: 5, maxNoise: 2 });
 * if (table.ok) publishVisitPeriods("month", days, rollUp({ all: days }, "month").all ?? {}, table.value);
 */
export function publishVisitPeriods(
  type: PeriodType,
  days: Readonly<Record<string, VisitAggregate>>,
  byPeriod: Readonly<Record<string, VisitAggregate>>,
  table: PerturbationTable,
): DisclosedVisitFigures[] {
  const publishPeriod = visitPeriodLadder(type, days, byPeriod, table);
  const daysOf = daysBy(type, Object.keys(days).sort());
  return Object.keys(byPeriod)
    .sort()
    .map((code) => {
      const periodDays = daysOf.get(code);
      const published = periodDays === undefined ? undefined : publishPeriod(type, periodDays).published;
      return published ?? publishVisitPeriod(code, byPeriod[code] as VisitAggregate, table);
    });
}

/** What the visit period ladder keeps of a period: its figures for the lines, and in full if it is of the report's type. */
export interface VisitPeriodPublication extends PeriodPublication {
  readonly published?: DisclosedVisitFigures;
}

/**
 * The ladder behind {@link publishVisitPeriods}, like `periodLadder` but lazy: a period of `type` is
 * published in full ({@link publishVisitPeriod}, from its aggregate in `byPeriod`); a sub-period only when
 * a line reads its figures, and then by those figures alone. Its counts come first (`count`), so a line
 * never publishes a part whose count is 0, and stops at the first part that keeps it open. Each period is
 * published at most once. Exported for the tests, which compare every sub-period's figures with those of
 * its full publication; not part of the package's API.
 */
export function visitPeriodLadder(
  type: PeriodType,
  days: Readonly<Record<string, VisitAggregate>>,
  byPeriod: Readonly<Record<string, VisitAggregate>>,
  table: PerturbationTable,
): (type: PeriodType, days: readonly string[]) => VisitPeriodPublication {
  const dayLines = new Map<string, LineCounts>();
  const linesOfDay = (day: string): LineCounts => {
    let lines = dayLines.get(day);
    if (lines === undefined) {
      lines = lineCountsOf(days[day] as VisitAggregate);
      dayLines.set(day, lines);
    }
    return lines;
  };
  const periods = new Map<string, VisitPeriodPublication>();
  const periodOf = (periodType: PeriodType, periodDays: readonly string[]): VisitPeriodPublication => {
    const code = periodOfDate(periodType, periodDays[0] as string).code;
    const id = `${periodType}|${code}`;
    const known = periods.get(id);
    if (known !== undefined) return known;
    let within: VisitPeriodPublication[][] | undefined;
    const withinOf = () => {
      within ??= SUB_PERIODS[periodType].map((sub) =>
        [...daysBy(sub, periodDays).values()].map((group) => periodOf(sub, group)),
      );
      return within;
    };
    const aggregate = periodType === type ? byPeriod[code] : undefined;
    const created =
      aggregate === undefined
        ? lazyLines(() => sumLineCounts(periodDays.map(linesOfDay)), withinOf, table)
        : {
            published: publishVisitPeriod(code, aggregate, table, withinOf()),
            within: withinOf(),
            figures: {},
          };
    periods.set(id, created);
    return created;
  };
  return periodOf;
}

/** `days` (sorted) by period of `type`, in order. */
function daysBy(type: PeriodType, days: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const day of days) {
    const code = periodOfDate(type, day).code;
    const group = groups.get(code);
    if (group === undefined) groups.set(code, [day]);
    else group.push(day);
  }
  return groups;
}

/** A sub-period whose counts are summed when first asked for, and whose figures are published when first read. */
function lazyLines(
  countsOf: () => LineCounts,
  withinOf: () => readonly (readonly PeriodPublication[])[],
  table: PerturbationTable,
): VisitPeriodPublication {
  let counts: LineCounts | undefined;
  let byName: Map<string, number> | undefined;
  let figures: Record<string, PeriodFigure> | undefined;
  return {
    get within() {
      return withinOf();
    },
    get figures() {
      counts ??= countsOf();
      figures ??= publishLineFigures(counts, withinOf(), table);
      return figures;
    },
    count(name: string) {
      counts ??= countsOf();
      byName ??= countsByName(counts);
      return byName.get(name) ?? 0;
    },
  };
}

/**
 * What step 8 compares of a period's visits: the age band × gender counts and their cell keys (rows and
 * columns as {@link publishVisitPeriod} publishes them), first visits and visits by language, each with
 * its key. Sums of the same over the period's days.
 */
interface LineCounts {
  readonly cells: number[][];
  readonly keys: number[][];
  first: number;
  firstKey: number;
  readonly languages: Map<string, { n: number; key: number }>;
}

function lineCountsOf(day: VisitAggregate): LineCounts {
  const byAgeGender = day.byAgeBandGender as Record<string, Record<string, number> | undefined>;
  const keysByAgeGender = (day.keys?.byAgeBandGender ?? {}) as Record<
    string,
    Record<string, number> | undefined
  >;
  const languageKeys = day.keys?.byLanguage ?? {};
  return {
    cells: AGE_ROWS.map((age) => GENDER_COLUMNS.map((gender) => byAgeGender[age]?.[gender] ?? 0)),
    keys: AGE_ROWS.map((age) => GENDER_COLUMNS.map((gender) => keysByAgeGender[age]?.[gender] ?? 0)),
    first: day.firstVisits,
    firstKey: day.keys?.firstVisits ?? 0,
    languages: new Map(
      Object.entries(day.byLanguage).map(([language, n]) => [
        language,
        { n, key: languageKeys[language] ?? 0 },
      ]),
    ),
  };
}

/** The line counts of several days together: counts added, cell keys added modulo 2³² (`addCellKeys`). */
function sumLineCounts(parts: readonly LineCounts[]): LineCounts {
  const sum: LineCounts = {
    cells: AGE_ROWS.map(() => GENDER_COLUMNS.map(() => 0)),
    keys: AGE_ROWS.map(() => GENDER_COLUMNS.map(() => 0)),
    first: 0,
    firstKey: 0,
    languages: new Map(),
  };
  for (const part of parts) {
    part.cells.forEach((row, i) => {
      const cells = sum.cells[i] as number[];
      const keys = sum.keys[i] as number[];
      row.forEach((n, j) => {
        cells[j] = (cells[j] as number) + n;
        keys[j] = addCellKeys(keys[j] as number, part.keys[i]?.[j] ?? 0);
      });
    });
    sum.first += part.first;
    sum.firstKey = addCellKeys(sum.firstKey, part.firstKey);
    for (const [language, { n, key }] of part.languages) {
      const known = sum.languages.get(language);
      if (known === undefined) sum.languages.set(language, { n, key });
      else {
        known.n += n;
        known.key = addCellKeys(known.key, key);
      }
    }
  }
  return sum;
}

/**
 * A sub-period's figures as its own answer publishes them ({@link publishVisitPeriod}: the age band ×
 * gender table through `publishTable`, first visits and languages through `publishPeriodFigure`), by the
 * names `period-lines.ts` compares, without publishing the rest of the answer.
 */
function publishLineFigures(
  counts: LineCounts,
  within: readonly (readonly PeriodPublication[])[],
  table: PerturbationTable,
): Record<string, PeriodFigure> {
  const visits: CountTable = { rowLabels: AGE_ROWS, columnLabels: GENDER_COLUMNS, cells: counts.cells };
  const published = publishTable(visits, counts.keys, table, OWN_MARGINS, { within, prefix: "visits|" });
  const figures = tableFigures(visits, published, "visits|");
  figures.first = {
    n: counts.first,
    value: publishPeriodFigure("first", counts.first, counts.firstKey, within, table),
  };
  for (const [language, { n, key }] of counts.languages) {
    if (n === 0) continue;
    const name = `language|${language}`;
    figures[name] = { n, value: publishPeriodFigure(name, n, key, within, table) };
  }
  return figures;
}

/** The true counts of {@link publishLineFigures}' figures, by the same names, without publishing them. */
function countsByName(counts: LineCounts): Map<string, number> {
  const byName = new Map<string, number>();
  const columns = GENDER_COLUMNS.map(() => 0);
  let grand = 0;
  counts.cells.forEach((row, i) => {
    let total = 0;
    row.forEach((n, j) => {
      byName.set(`visits|cell|${i}|${j}`, n);
      total += n;
      columns[j] = (columns[j] as number) + n;
    });
    byName.set(`visits|row|${i}`, total);
    grand += total;
  });
  columns.forEach((n, j) => {
    byName.set(`visits|column|${j}`, n);
  });
  byName.set("visits|grand", grand);
  byName.set("first", counts.first);
  for (const [language, { n }] of counts.languages) byName.set(`language|${language}`, n);
  return byName;
}
