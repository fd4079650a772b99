import type { AgeBand, Gender } from "./common.js";

/**
 * CSV as RFC 4180 writes it (CRLF line ends, fields quoted only when they must be, quotes doubled), with an
 * optional HXL hashtag row under the headers so humanitarian tools (HDX, HXL Proxy) read the columns
 * without a mapping. Every line, the last included, ends with CRLF, so streamed chunks can simply be
 * concatenated.
 */

/** What a cell may hold; `null` and `undefined` are written as an empty cell. */
export type CsvValue = string | number | boolean | null | undefined;

/** One column: its header, its HXL hashtag (e.g. `#reached +ind +f`), and how to read it from a row. */
export interface CsvColumn<Row> {
  readonly header: string;
  readonly hxl?: string;
  readonly value: (row: Row) => CsvValue;
}

export interface CsvOptions {
  /** Write the HXL hashtag row under the headers. */
  readonly hxl?: boolean;
}

const CRLF = "\r\n";
const NEEDS_QUOTES = /[",\r\n]/;
// Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;
// A text cell that is just a decimal number ("-3", "+1.5", "2e-3") runs no formula; leaving it alone keeps
// negative figures typed as text readable as numbers.
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const HXL_HASHTAG = /^#[A-Za-z][A-Za-z0-9_]*$/;
const HXL_ATTRIBUTE = /^\+[A-Za-z][A-Za-z0-9_]*$/;
const HXL_TAG_SPEC = /^#[A-Za-z][A-Za-z0-9_]*(?:\s*\+[A-Za-z][A-Za-z0-9_]*)*$/;

/**
 * Writes one value as a CSV field. Numbers and booleans are written as they are (a non-finite number is a
 * bug and throws: `NaN` in a funder's report helps nobody); text starting with `=`, `+`, `-`, `@`, a tab
 * or a carriage return gets a leading apostrophe so a spreadsheet shows it instead of running it as a
 * formula — except text that is a plain decimal number such as `-3`, which no spreadsheet runs; then a
 * field holding a comma, a quote, CR or LF is quoted with its quotes doubled.
 *
 * @example
 * csvField('say "hi", then go'); // '"say ""hi"", then go"'
 * csvField("=HYPERLINK(\"http://x\")"); // '"\'=HYPERLINK(""http://x"")"'
 * csvField(-3); // "-3"
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`Cannot write ${value} to CSV`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  const guarded = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

function csvLine(fields: readonly CsvValue[]): string {
  return fields.map(csvField).join(",") + CRLF;
}

/**
 * Yields the CSV one line at a time (each ending with CRLF): the header line, the HXL hashtag line when
 * asked, then one line per row. Rows are read lazily, so an API can stream a large export through a
 * `ReadableStream` without building it in memory. A column without a hashtag leaves its HXL cell empty, so
 * every line has as many fields as there are columns. A malformed hashtag is a bug and throws.
 *
 * @example
 * const columns = [{ header: "Date", hxl: "#date", value: (r: Row) => r.date }];
 * for (const line of csvLines(columns, rows, { hxl: true })) controller.enqueue(encoder.encode(line));
 */
export function* csvLines<Row>(
  columns: readonly CsvColumn<Row>[],
  rows: Iterable<Row>,
  options: CsvOptions = {},
): Generator<string, void, undefined> {
  if (columns.length === 0) throw new RangeError("A CSV needs at least one column");
  yield csvLine(columns.map((column) => column.header));
  if (options.hxl) {
    for (const column of columns) {
      if (column.hxl !== undefined && !HXL_TAG_SPEC.test(column.hxl)) {
        throw new RangeError(`"${column.hxl}" is not an HXL hashtag with attributes`);
      }
    }
    yield csvLine(columns.map((column) => column.hxl));
  }
  for (const row of rows) yield csvLine(columns.map((column) => column.value(row)));
}

/**
 * Writes a whole CSV document: headers, the optional HXL hashtag row, then the rows; see `csvLines` for
 * the streaming form and `csvField` for how each cell is written.
 *
 * @example
 * toCsv(
 *   [{ header: "Day", hxl: "#date", value: (r) => r.day }, { header: "Women", hxl: "#reached +ind +f", value: (r) => r.f }],
 *   [{ day: "2026-11-28", f: 31 }],
 *   { hxl: true },
 * ); // "Day,Women\r\n#date,#reached +ind +f\r\n2026-11-28,31\r\n"
 */
export function toCsv<Row>(
  columns: readonly CsvColumn<Row>[],
  rows: Iterable<Row>,
  options: CsvOptions = {},
): string {
  let csv = "";
  for (const line of csvLines(columns, rows, options)) csv += line;
  return csv;
}

const AGE_ATTRIBUTES: Readonly<Record<AgeBand, string>> = {
  "0-4": "+age0_4",
  "5-11": "+age5_11",
  "12-17": "+age12_17",
  "18-59": "+age18_59",
  "60+": "+age60plus",
};

/**
 * The HXL attribute for one of Halte's age bands. HXL 1.1's dictionary only has broad attributes
 * (`+infants`, `+children`, `+adolescents`, `+adults`, `+elderly`) whose bounds it leaves open; exact bands
 * follow the convention humanitarian datasets on HDX use, `+age{from}_{to}` with both ends inclusive, and
 * `+age{from}plus` for the open band.
 *
 * @example
 * hxlAgeAttribute("18-59"); // "+age18_59"
 * hxlAgeAttribute("60+"); // "+age60plus"
 */
export function hxlAgeAttribute(ageBand: AgeBand): string {
  return AGE_ATTRIBUTES[ageBand];
}

const GENDER_ATTRIBUTES: Readonly<Record<Gender, string>> = { female: "+f", male: "+m", other: "+i" };

/**
 * The HXL attribute for a stated gender: `+f`, `+m`, and `+i` (HXL's "intersex / other") for every other
 * answer.
 *
 * @example
 * hxlGenderAttribute("female"); // "+f"
 */
export function hxlGenderAttribute(gender: Gender): string {
  return GENDER_ATTRIBUTES[gender];
}

/**
 * Builds an HXL tag spec from a hashtag and attributes, skipping absent ones so optional disaggregations
 * can be passed straight in; attributes may be given with or without their `+`. A malformed hashtag or
 * attribute is a bug and throws.
 *
 * @example
 * hxlTag("#reached", "+ind", hxlGenderAttribute("female"), hxlAgeAttribute("18-59")); // "#reached +ind +f +age18_59"
 * hxlTag("#reached", "ind", undefined); // "#reached +ind"
 */
export function hxlTag(hashtag: string, ...attributes: readonly (string | null | undefined)[]): string {
  if (!HXL_HASHTAG.test(hashtag)) throw new RangeError(`"${hashtag}" is not an HXL hashtag`);
  const parts = [hashtag];
  for (const attribute of attributes) {
    if (attribute === null || attribute === undefined) continue;
    const plus = attribute.startsWith("+") ? attribute : `+${attribute}`;
    if (!HXL_ATTRIBUTE.test(plus)) throw new RangeError(`"${attribute}" is not an HXL attribute`);
    parts.push(plus);
  }
  return parts.join(" ");
}
