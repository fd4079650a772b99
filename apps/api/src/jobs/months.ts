import {
  addDays,
  type DayFigures,
  dayFiguresOf,
  emptyVisitAggregate,
  localDateOf,
  mergeDayFigures,
  mergeVisitAggregates,
  type Period,
  parseDayFigures,
  parseVisitAggregate,
  periodFiguresOf,
  periodOfDate,
  rollUp,
  serializeDayFigures,
  serializeVisitAggregate,
  type VisitAggregate,
} from "@halte/core";
import {
  changedDays,
  copyCentreRow,
  type Db,
  type FiguresGrain,
  getCentreRow,
  monthRollupsBetween,
  monthsPastRetentionWithCodes,
  rollupsBetween,
  setWatermark,
  upsertMonthRollup,
  upsertPeriodFigures,
  watermarkOf,
} from "@halte/db";
import { storedJson } from "../stored-json.js";
import { rollupWatermarkOf } from "./rollup.js";

/**
 * What a figures database of its own (`FIGURES`, `apart`) needs before a centre's figures: the centre's
 * row, copied from the centre's database, since `visit_period_figures` names it by a foreign key. Nothing
 * when the figures share the directory (which holds every centre's row).
 */
export async function centreRowForFigures(db: Db, figures: Db, centreId: string, apart = false) {
  const row = apart ? await getCentreRow(db, centreId) : null;
  return row ? [copyCentreRow(figures, row)] : [];
}

/** The month merge's name in `job_watermarks` (suffixed with the centre's id). */
export const MONTH_MERGE_JOB = "month-partials";

/** A centre's partial of one month, with its day-level figures and how many day partials it merges. */
interface MonthPartial {
  aggregate: VisitAggregate;
  dayFigures: DayFigures;
  days: number;
}

/** One month of a centre merged from its day partials (core's `rollUp`, the merge the reports use). */
async function mergeMonth(db: Db, centreId: string, month: string): Promise<MonthPartial> {
  const days: Record<string, VisitAggregate> = {};
  const rows = await rollupsBetween(db, centreId, `${month}-01`, `${month}-31`);
  for (const row of rows)
    days[row.localDay] = storedJson(parseVisitAggregate, row.aggregate, `partial of ${row.localDay}`);
  const code = month.replace("-", "");
  const aggregate = rollUp({ [centreId]: days }, "month")[centreId]?.[code] ?? emptyVisitAggregate();
  return { aggregate, dayFigures: dayFiguresOf(`${month}-01`, days), days: rows.length };
}

/** A stored month's day-level figures, or null when it was merged before they were stored. */
function storedDayFigures(json: string | null, month: string): DayFigures | null {
  if (json === null) return null;
  const result = parseDayFigures(json);
  if (!result.ok) throw new Error(`stored day figures of ${month} are unreadable`);
  return result.value;
}

/** The months (`YYYY-MM`) of a period. */
function monthsOf(period: Period): string[] {
  const months = [];
  for (let start = period.start; start <= period.end; start = addDays(periodOfDate("month", start).end, 1))
    months.push(start.slice(0, 7));
  return months;
}

const GRAINS: readonly FiguresGrain[] = ["month", "quarter", "year"];

/**
 * A period's months, from `known` (the months just merged, and those read before for another period: a
 * quarter's are also its year's), else read in one query from the centre's database, else merged from their
 * days when never stored (or stored before their day-level figures were). What is read is added to `known`.
 */
async function monthsOfPeriod(
  db: Db,
  centreId: string,
  period: Period,
  known: Map<string, MonthPartial>,
): Promise<MonthPartial[]> {
  const months = monthsOf(period);
  const missing = months.filter((month) => !known.has(month));
  const [first, last] = [missing[0], missing.at(-1)];
  if (first && last) {
    for (const row of await monthRollupsBetween(db, centreId, first, last)) {
      const dayFigures = storedDayFigures(row.dayFigures, row.month);
      if (!known.has(row.month) && dayFigures !== null)
        known.set(row.month, {
          aggregate: storedJson(parseVisitAggregate, row.aggregate, `partial of ${row.month}`),
          dayFigures,
          days: row.days,
        });
    }
    for (const month of missing)
      if (!known.has(month)) known.set(month, await mergeMonth(db, centreId, month));
  }
  return months.map((month) => known.get(month) as MonthPartial);
}

/**
 * The statements storing the given months of one centre and the figures they complete:
 * - `centre`: each month merged from its day partials, with its visitor-code prefixes, into the centre's
 *   database (`visit_month_rollups`; a month without a day partial is stored empty), with its day-level
 *   figures (core's `dayFiguresOf`: arrivals by weekday × hour, each service's uses per day);
 * - `figures`: every month, quarter and year containing one of them that ended before the centre's `today`,
 *   merged from its months (the given ones as just merged, the others as stored) and stored without
 *   visitor-code prefixes (core's `periodFiguresOf`) in the figures database (`visit_period_figures`), with
 *   its months' day-level figures put together (`mergeDayFigures`: counts and cell keys, no codes either).
 */
export async function monthPartialStatements(options: {
  db: Db;
  figures: Db;
  centreId: string;
  months: readonly string[];
  at: Date;
  today: string;
}) {
  const { db, figures, centreId, at, today } = options;
  const mergedAt = at.toISOString();
  const fresh = new Map<string, MonthPartial>();
  for (const month of options.months) fresh.set(month, await mergeMonth(db, centreId, month));
  const centre = [...fresh].map(([month, { aggregate, dayFigures, days }]) =>
    upsertMonthRollup(db, {
      centreId,
      month,
      aggregate: serializeVisitAggregate(aggregate),
      dayFigures: serializeDayFigures(dayFigures),
      days,
      mergedAt,
    }),
  );
  const periods = new Map<string, Period>();
  for (const month of fresh.keys())
    for (const grain of GRAINS) {
      const period = periodOfDate(grain, `${month}-01`);
      if (period.end < today) periods.set(`${grain}:${period.start}`, period);
    }
  const figureStatements = [];
  const known = new Map(fresh);
  for (const period of periods.values()) {
    let aggregate = emptyVisitAggregate();
    let days = 0;
    const months = await monthsOfPeriod(db, centreId, period, known);
    for (const partial of months) {
      aggregate = mergeVisitAggregates(aggregate, partial.aggregate);
      days += partial.days;
    }
    const dayFigures = mergeDayFigures(
      period.start,
      monthsOf(period).map((month, i) => ({
        start: `${month}-01`,
        figures: (months[i] as MonthPartial).dayFigures,
      })),
    );
    figureStatements.push(
      upsertPeriodFigures(figures, {
        centreId,
        grain: period.type as FiguresGrain,
        start: period.start,
        ...periodFiguresOf(aggregate),
        dayFigures: serializeDayFigures(dayFigures),
        days,
        mergedAt,
      }),
    );
  }
  return { centre, figures: figureStatements };
}

/**
 * The nightly merge of one centre's month partials, after its roll-up and purge: every month with a row
 * written since the last merge, up to where the centre's roll-up got (so every such row is already in a
 * day partial), and every month past retention whose stored partial still holds visitor codes (its days
 * are being anonymised by the purge). The months, with their codes, and the merge's own watermark go to the
 * centre's database (`db`); the complete months, quarters and years they touch go, without codes, to the
 * figures database (`figures`, default `db`) — written first, so a failure between the two writes leaves
 * the watermark where it was and the next run writes both again. Year by year: a year's months and figures
 * are one batch in each database. A figures database of its own (`FIGURES`) first gets a copy of the
 * centre's row, which its rows name by a foreign key (`figuresApart`). Returns the months merged.
 */
export async function mergeMonthPartials(options: {
  db: Db;
  figures?: Db;
  /** The figures database is neither the directory nor the centre's: copy the centre's row there. */
  figuresApart?: boolean;
  centreId: string;
  now: Date;
}): Promise<string[]> {
  const { db, centreId, now } = options;
  const figures = options.figures ?? db;
  const job = `${MONTH_MERGE_JOB}:${centreId}`;
  const from = await watermarkOf(db, job);
  const to = await watermarkOf(db, rollupWatermarkOf(centreId));
  const changed = to > from ? await changedDays(db, from, to, centreId) : [];
  const months = new Set(changed.map((day) => day.localDay.slice(0, 7)));
  for (const month of await monthsPastRetentionWithCodes(db, centreId, now.toISOString())) months.add(month);
  const sorted = [...months].sort();
  const mark = to > from ? [setWatermark(db, job, to)] : [];
  const centreRow = sorted.length > 0 ? await getCentreRow(db, centreId) : null;
  const today = centreRow ? localDateOf(now, centreRow.timeZone) : "";
  let copy = centreRow && options.figuresApart ? [copyCentreRow(figures, centreRow)] : [];
  const years = [...new Set(sorted.map((month) => month.slice(0, 4)))];
  for (const [i, year] of years.entries()) {
    const statements = await monthPartialStatements({
      db,
      figures,
      centreId,
      months: sorted.filter((month) => month.startsWith(year)),
      at: now,
      today,
    });
    const [firstFigure, ...moreFigures] = [
      ...(statements.figures.length > 0 ? copy : []),
      ...statements.figures,
    ];
    if (firstFigure) {
      await figures.batch([firstFigure, ...moreFigures]);
      copy = [];
    }
    const [first, ...rest] = [...statements.centre, ...(i === years.length - 1 ? mark : [])];
    if (first) await db.batch([first, ...rest]);
  }
  if (years.length === 0 && mark[0]) await db.batch([mark[0]]);
  return sorted;
}
