import { UNKNOWN } from "./aggregate.js";
import { AgeBand, Gender } from "./common.js";
import { type CsvColumn, csvLines, hxlAgeAttribute, hxlGenderAttribute, hxlTag } from "./csv.js";
import type { DisclosedCell, DisclosedTable } from "./disclosure.js";
import type { PublishedVisitorGroups } from "./visitor-groups.js";

const AGE_ROWS = [...AgeBand.options, UNKNOWN] as const;
const GENDER_COLUMNS = [...Gender.options, UNKNOWN] as const;

/**
 * The figures of one period as they may be shown to someone without access to raw records (built by
 * `publishVisitPeriod`, through consistent perturbation): the age band × gender table of visits with its
 * margins (the grand total is the number of visits), visits by language spoken, first visits and unique
 * visitors. The admin views' open figures use the same shape.
 */
export interface DisclosedVisitFigures {
  readonly period: string;
  /** Rows: age bands then `unknown`; columns: genders then `unknown`. */
  readonly visits: DisclosedTable;
  /** Visits by language spoken (sorted codes, `unknown` when none was given); a person may speak several. */
  readonly byLanguage: readonly { readonly language: string; readonly count: DisclosedCell }[];
  readonly firstVisits: DisclosedCell;
  readonly uniqueVisitors: DisclosedCell;
  /** Unique visitors (people with a card) by age band, gender and language (see `visitor-groups.ts`). */
  readonly uniqueVisitorsBy: PublishedVisitorGroups;
}

/** The text written in a CSV cell whose count is hidden. Never a number, never zero. */
export const SUPPRESSED_MARK = "suppressed";

function shown(cell: DisclosedCell | undefined): string | number {
  if (cell === undefined) return "";
  return cell.suppressed ? SUPPRESSED_MARK : cell.value;
}

/** A row of a visit figures export: one centre, one period. */
export interface VisitFiguresRow {
  readonly centreName: string;
  readonly figures: DisclosedVisitFigures;
}

function visitFigureColumns(languages: readonly string[]): CsvColumn<VisitFiguresRow>[] {
  const columns: CsvColumn<VisitFiguresRow>[] = [
    { header: "Period", hxl: "#date", value: (row) => row.figures.period },
    { header: "Centre", hxl: "#org", value: (row) => row.centreName },
    {
      header: "Visits",
      hxl: hxlTag("#reached", "+ind"),
      value: (row) => shown(row.figures.visits.grandTotal),
    },
    {
      header: "First visits",
      hxl: hxlTag("#reached", "+ind", "+new"),
      value: (row) => shown(row.figures.firstVisits),
    },
    {
      header: "Unique visitors (with a card)",
      hxl: hxlTag("#reached", "+ind", "+unique"),
      value: (row) => shown(row.figures.uniqueVisitors),
    },
  ];
  GENDER_COLUMNS.forEach((gender, j) => {
    columns.push({
      header: `Visits ${gender}`,
      hxl: hxlTag("#reached", "+ind", gender === UNKNOWN ? "+unknown" : hxlGenderAttribute(gender)),
      value: (row) => shown(row.figures.visits.columnTotals[j]),
    });
  });
  AGE_ROWS.forEach((age, i) => {
    columns.push({
      header: `Visits aged ${age}`,
      hxl: hxlTag("#reached", "+ind", age === UNKNOWN ? "+unknownage" : hxlAgeAttribute(age)),
      value: (row) => shown(row.figures.visits.rowTotals[i]),
    });
  });
  AGE_ROWS.forEach((age, i) => {
    GENDER_COLUMNS.forEach((gender, j) => {
      columns.push({
        header: `Visits ${gender} aged ${age}`,
        hxl: hxlTag(
          "#reached",
          "+ind",
          gender === UNKNOWN ? "+unknown" : hxlGenderAttribute(gender),
          age === UNKNOWN ? "+unknownage" : hxlAgeAttribute(age),
        ),
        value: (row) => shown(row.figures.visits.cells[i]?.[j]),
      });
    });
  });
  const groupColumn = (
    header: string,
    attribute: string,
    pick: (figures: DisclosedVisitFigures) => readonly { group: string; count: DisclosedCell }[],
    group: string,
  ): CsvColumn<VisitFiguresRow> => ({
    header,
    hxl: hxlTag("#reached", "+ind", "+unique", attribute),
    value: (row) => {
      const cell = pick(row.figures).find((entry) => entry.group === group)?.count;
      return cell === undefined ? 0 : shown(cell);
    },
  });
  for (const age of AGE_ROWS) {
    columns.push(
      groupColumn(
        `Unique visitors aged ${age}`,
        age === UNKNOWN ? "+unknownage" : hxlAgeAttribute(age),
        (f) => f.uniqueVisitorsBy.byAgeBand,
        age,
      ),
    );
  }
  for (const gender of GENDER_COLUMNS) {
    columns.push(
      groupColumn(
        `Unique visitors ${gender}`,
        gender === UNKNOWN ? "+unknown" : hxlGenderAttribute(gender),
        (f) => f.uniqueVisitorsBy.byGender,
        gender,
      ),
    );
  }
  for (const language of languages) {
    columns.push({
      header: `Visits speaking ${language}`,
      hxl: hxlTag("#reached", "+ind", `+lang_${language}`),
      value: (row) => {
        const cell = row.figures.byLanguage.find((entry) => entry.language === language)?.count;
        return cell === undefined ? 0 : shown(cell);
      },
    });
  }
  for (const language of languages) {
    columns.push(
      groupColumn(
        `Unique visitors speaking ${language}`,
        `+lang_${language}`,
        (f) => f.uniqueVisitorsBy.byLanguage,
        language,
      ),
    );
  }
  return columns;
}

/**
 * Writes published visit figures as RFC 4180 CSV, one line per centre and period, optionally with the HXL
 * hashtag row (`#date`, `#org`, `#reached +ind +f +age18_59`, …), then one column per language spoken in
 * any of the rows (`Visits speaking ar`, `#reached +ind +lang_ar`; 0 in a period where nobody spoke it), and
 * unique visitors by age band, gender and language (`#reached +ind +unique +age18_59`, …). A
 * hidden count (only in tables protected by suppression) is written `suppressed`, never as 0. Lines are
 * yielded one by one so an HTTP response can stream them.
 *
 * @example
 * const figures = publishVisitPeriod("202611", aggregate, perturbation);
 * const csv = [...visitFiguresCsv([{ centreName: "La Halte de Jour", figures }], { hxl: true })].join("");
 */
export function visitFiguresCsv(
  rows: readonly VisitFiguresRow[],
  options: { hxl?: boolean } = {},
): Generator<string, void, undefined> {
  const languages = [
    ...new Set(rows.flatMap((row) => row.figures.byLanguage.map((entry) => entry.language))),
  ].sort();
  return csvLines(visitFigureColumns(languages), rows, options);
}
