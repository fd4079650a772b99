import type { VisitAggregate } from "./aggregate.js";
import { UNKNOWN } from "./aggregate.js";
import { AgeBand, Gender } from "./common.js";
import { type CsvColumn, csvLines, hxlAgeAttribute, hxlGenderAttribute, hxlTag } from "./csv.js";
import {
  type DisclosedCell,
  type DisclosedTable,
  type DisclosureError,
  suppressCount,
  suppressSmallCells,
} from "./disclosure.js";
import { err, ok, type Result } from "./result.js";

const AGE_ROWS = [...AgeBand.options, UNKNOWN] as const;
const GENDER_COLUMNS = [...Gender.options, UNKNOWN] as const;

/**
 * The figures of one period as they may be shown to someone without access to raw records: the
 * age band × gender table of visits with its margins (the grand total is the number of visits) protected
 * by small-cell and secondary suppression, and first visits and unique visitors as lone figures.
 */
export interface DisclosedVisitFigures {
  readonly period: string;
  /** Rows: age bands then `unknown`; columns: genders then `unknown`. */
  readonly visits: DisclosedTable;
  readonly firstVisits: DisclosedCell;
  readonly uniqueVisitors: DisclosedCell;
}

/**
 * Applies disclosure control to one period's visit aggregate. Each period is its own table: periods of one
 * export never overlap, so no hidden cell can be recovered by subtracting one row of the export from
 * another. Exports must not mix period types (days and the month they make up) for the same reason.
 *
 * @example
 * const figures = discloseVisitFigures("202611", monthAggregate, { k: 5 });
 * if (figures.ok) figures.value.visits.grandTotal; // { value: 4210, suppressed: false }
 */
export function discloseVisitFigures(
  period: string,
  aggregate: VisitAggregate,
  options: { k?: number } = {},
): Result<DisclosedVisitFigures, DisclosureError> {
  const cells = AGE_ROWS.map((age) =>
    GENDER_COLUMNS.map((gender) => aggregate.byAgeBandGender[age]?.[gender] ?? 0),
  );
  const table = suppressSmallCells(
    { rowLabels: [...AGE_ROWS], columnLabels: [...GENDER_COLUMNS], cells },
    options.k === undefined ? {} : { k: options.k },
  );
  if (!table.ok) return table;
  const firstVisits = suppressCount(aggregate.firstVisits, table.value.k);
  const uniqueVisitors = suppressCount(aggregate.uniqueVisitors, table.value.k);
  if (!firstVisits.ok) return err(firstVisits.error);
  if (!uniqueVisitors.ok) return err(uniqueVisitors.error);
  return ok({
    period,
    visits: table.value,
    firstVisits: firstVisits.value,
    uniqueVisitors: uniqueVisitors.value,
  });
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

function visitFigureColumns(): CsvColumn<VisitFiguresRow>[] {
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
  return columns;
}

/**
 * Writes disclosure-controlled visit figures as RFC 4180 CSV, one line per centre and period, optionally
 * with the HXL hashtag row (`#date`, `#org`, `#reached +ind +f +age18_59`, …). Hidden counts are written as
 * `suppressed`, never as 0. Lines are yielded one by one so an HTTP response can stream them.
 *
 * @example
 * const figures = discloseVisitFigures("202611", aggregate);
 * if (figures.ok) {
 *   const csv = [...visitFiguresCsv([{ centreName: "La Halte de Jour", figures: figures.value }], { hxl: true })].join("");
 * }
 */
export function visitFiguresCsv(
  rows: Iterable<VisitFiguresRow>,
  options: { hxl?: boolean } = {},
): Generator<string, void, undefined> {
  return csvLines(visitFigureColumns(), rows, options);
}
