// Pieces the report pages share (dashboards, network view): published cells, export links, the centre
// choice and a small loader for GET routes.
import { checkPublicationGrid, type PeriodType, periodOfDate } from "@halte/core";
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, dataOrThrow, type Problem, type Schemas, type SessionUser } from "../api.js";

/**
 * A published figure, or the mark that it is hidden and why (the API never sends a hidden value). Reports
 * are now protected by cell-key perturbation and send no hidden cell, but the mark is still rendered
 * wherever one arrives (a time to outcome with too few outcomes, older answers).
 */
export type ReportCell = Schemas["ReportCell"];

/** A table as the reports publish it. */
export type ReportTable = Schemas["ReportTable"];

/** A figure as a number, or visibly marked suppressed: a hidden count is never shown as 0. */
export function CellValue(props: {
  cell: ReportCell | number | undefined | null;
  suppressedLabel: string;
  suppressedTitle: (reason: string) => string;
}) {
  const { cell } = props;
  if (cell === undefined || cell === null) return <span>–</span>;
  if (typeof cell === "number") return <span>{cell}</span>;
  if (cell.suppressed) {
    return (
      <span class="suppressed" title={props.suppressedTitle(cell.reason)}>
        {props.suppressedLabel}
      </span>
    );
  }
  return <span>{cell.value}</span>;
}

/** The number behind a cell, or null when it is hidden. */
export function cellNumber(cell: ReportCell | number | undefined | null): number | null {
  if (cell === undefined || cell === null) return null;
  if (typeof cell === "number") return cell;
  return cell.suppressed ? null : cell.value;
}

/** The CSV and CSV-with-HXL downloads of a report: the same query, always suppressed. */
export function ExportLinks(props: {
  path: string;
  query: URLSearchParams;
  label: string;
  csvLabel: string;
  hxlLabel: string;
}) {
  const link = (format: string) => {
    const query = new URLSearchParams(props.query);
    query.delete("disclosure");
    query.set("format", format);
    return `${props.path}?${query}`;
  };
  return (
    <p class="exports">
      <a href={link("csv")} download data-format="csv">
        {props.csvLabel}
        <span class="visually-hidden"> — {props.label}</span>
      </a>{" "}
      <a href={link("csv-hxl")} download data-format="csv-hxl">
        {props.hxlLabel}
        <span class="visually-hidden"> — {props.label}</span>
      </a>
    </p>
  );
}

/**
 * A wide table in a box that scrolls sideways on a narrow screen. The box takes keyboard focus so it can
 * be scrolled without a mouse (WCAG 2.1.1); a labelled section is a region for screen readers.
 */
/**
 * A table of figures with its caption and one row of column headers, in a scroll region of its own (a
 * wide table scrolls by itself instead of the page; the region is named by the caption and reachable by
 * keyboard). `children` are the table's body (and foot).
 */
export function CaptionedTable(props: {
  /** Prefix of the caption's id (`${id}-caption`), which names the scroll region. */
  id: string;
  class: string;
  caption: preact.ComponentChildren;
  headers: preact.ComponentChildren[];
  children: preact.ComponentChildren;
}) {
  const captionId = `${props.id}-caption`;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section class="report-scroll" tabIndex={0} aria-labelledby={captionId}>
      <table class={props.class}>
        <caption id={captionId}>{props.caption}</caption>
        <thead>
          <tr>
            {props.headers.map((header, i) => (
              <th scope="col" key={i}>
                {header}
              </th>
            ))}
          </tr>
        </thead>
        {props.children}
      </table>
    </section>
  );
}

export interface Loaded<T> {
  data: T | null;
  problem: Problem | null;
  loading: boolean;
}

/**
 * Runs `load` whenever `key` changes (nothing when null) and keeps the latest answer; a newer key wins over
 * a slower older one. The key names what is asked for (say, the query), `load` asks it with the typed client.
 */
export function useGet<T>(key: string | null, load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<Loaded<T> & { key: string | null }>({
    key: null,
    data: null,
    problem: null,
    loading: false,
  });
  useEffect(() => {
    if (key === null) return;
    let live = true;
    setState((before) => ({ ...before, key, loading: true }));
    load()
      .then((data) => live && setState({ key, data, problem: null, loading: false }))
      .catch(
        (error) =>
          live &&
          setState({
            key,
            data: null,
            problem: error instanceof ApiError ? error.problem : { title: String(error), status: 0 },
            loading: false,
          }),
      );
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}

/**
 * A centre as the pages know it: its opening hours' zone is the centre's, the zone of every local day of
 * its reports. Only id and name are sure (a record that could not be read is known by its id).
 */
export type CentreSummary = Pick<Schemas["Centre"], "id" | "name"> & Partial<Schemas["Centre"]>;

/**
 * The zone used when the centre's record could not be read (or names none): the first centre's. It only
 * decides which day "today" is before the first report is asked for; the API counts in the centre's zone.
 */
export const FALLBACK_TIME_ZONE = "Europe/Paris";

/**
 * The centre a page works on: the user's own, or for an admin of every centre the one chosen among those
 * the API lists (the first by default); and that centre's time zone, null until known (the fallback zone
 * when the record cannot be read).
 */
export function useCentreChoice(user: SessionUser): {
  centreId: string | null;
  centres: CentreSummary[];
  choose: (id: string) => void;
  /** The chosen centre's record (its name is empty when it could not be read). */
  centre: CentreSummary | null;
  timeZone: string | null;
} {
  const [centres, setCentres] = useState<CentreSummary[]>([]);
  const [own, setOwn] = useState<CentreSummary | null>(null);
  const [chosen, setChosen] = useState<string | null>(user.centreId);
  useEffect(() => {
    const ownId = user.centreId;
    if (ownId) {
      dataOrThrow(api.GET("/api/centres/{centreId}", { params: { path: { centreId: ownId } } }))
        .then(setOwn)
        .catch(() => setOwn({ id: ownId, name: "" }));
      return;
    }
    dataOrThrow(api.GET("/api/centres", { params: { query: { limit: 200 } } }))
      .then((page) => {
        setCentres(page.items);
        setChosen((before) => before ?? page.items[0]?.id ?? null);
      })
      .catch(() => undefined);
  }, [user.centreId]);
  const centre = user.centreId ? own : (centres.find((c) => c.id === chosen) ?? null);
  const timeZone = centre === null ? null : (centre.openingHours?.timeZone ?? FALLBACK_TIME_ZONE);
  return { centreId: chosen, centres, choose: setChosen, centre, timeZone };
}

/** A range of local days as protected figures are asked for, and whether it differs from the one chosen. */
export interface GridRange {
  from: string;
  to: string;
  snapped: boolean;
}

/**
 * The range on the publication grid (docs/disclosure.md) that protected figures are asked for: with
 * `wholePeriods`, from the first day of the period holding `from` to the last day of the one holding `to`;
 * without, the smallest single day, ISO week, month, quarter or year holding both. When no single period
 * does (the range crosses a new year), the year holding `to` is taken: the recent figures are the ones
 * looked for. A backward range is left alone so the API's own message explains it.
 */
export function gridRange(from: string, to: string, wholePeriods?: PeriodType): GridRange {
  if (from === "" || to === "" || from > to) return { from, to, snapped: false };
  const check = checkPublicationGrid(from, to, wholePeriods);
  if (check.ok) return { from, to, snapped: false };
  const { allowedFrom, allowedTo } = check.error;
  if (allowedFrom <= from && to <= allowedTo) return { from: allowedFrom, to: allowedTo, snapped: true };
  const year = periodOfDate("year", to);
  return { from: year.start, to: year.end, snapped: true };
}

/** A centre selector, shown only to an admin of every centre. */
export function CentrePicker(props: {
  label: string;
  centres: CentreSummary[];
  value: string | null;
  onChange: (id: string) => void;
}) {
  if (props.centres.length < 2) return null;
  return (
    <label class="field">
      <span>{props.label}</span>
      <select
        value={props.value ?? ""}
        onChange={(event) => props.onChange((event.target as HTMLSelectElement).value)}
      >
        {props.centres.map((centre) => (
          <option key={centre.id} value={centre.id}>
            {centre.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The problem's human text. */
export function problemText(problem: Problem): string {
  return problem.detail ?? problem.title;
}
