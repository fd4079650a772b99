import {
  emptyVisitAggregate,
  parseVisitAggregate,
  rollUp,
  serializeVisitAggregate,
  type VisitAggregate,
} from "@halte/core";
import {
  changedDays,
  copyCentreRow,
  type Db,
  getCentreRow,
  monthsPastRetentionWithCodes,
  rollupsBetween,
  setWatermark,
  upsertMonthRollup,
  watermarkOf,
} from "@halte/db";
import { rollupWatermarkOf } from "./rollup.js";

/**
 * What a figures database of its own (`FIGURES`, `apart`) needs before a centre's month rows: the centre's
 * row, copied from the centre's database, since `visit_month_rollups` names it by a foreign key. Nothing when
 * the figures share the directory (which holds every centre's row).
 */
export async function centreRowForFigures(db: Db, figures: Db, centreId: string, apart = false) {
  const row = apart ? await getCentreRow(db, centreId) : null;
  return row ? [copyCentreRow(figures, row)] : [];
}

/** The month merge's name in `job_watermarks` (suffixed with the centre's id). */
export const MONTH_MERGE_JOB = "month-partials";

/** Months written per D1 batch. */
const MONTHS_PER_BATCH = 12;

/**
 * The statements storing the given months of one centre, each its day partials merged (core's `rollUp`,
 * the merge the reports use), canonically serialised. A month without a day partial is stored empty. The
 * day partials are read from `db` (the centre's database); the statements are built on `into` (the
 * figures database; `db` by default).
 */
export async function monthPartialStatements(
  db: Db,
  centreId: string,
  months: readonly string[],
  at: Date,
  into: Db = db,
) {
  const statements = [];
  for (const month of months) {
    const days: Record<string, VisitAggregate> = {};
    const rows = await rollupsBetween(db, centreId, `${month}-01`, `${month}-31`);
    for (const row of rows) {
      const parsed = parseVisitAggregate(row.aggregate);
      if (!parsed.ok) throw new Error(`stored partial of ${row.localDay} is unreadable`);
      days[row.localDay] = parsed.value;
    }
    const code = month.replace("-", "");
    const merged = rollUp({ [centreId]: days }, "month")[centreId]?.[code] ?? emptyVisitAggregate();
    statements.push(
      upsertMonthRollup(into, {
        centreId,
        month,
        aggregate: serializeVisitAggregate(merged),
        days: rows.length,
        mergedAt: at.toISOString(),
      }),
    );
  }
  return statements;
}

/**
 * The nightly merge of one centre's month partials (`visit_month_rollups`), after its roll-up and purge:
 * every month with a row written since the last merge, up to where the centre's roll-up got (so every such
 * row is already in a day partial), and every month past retention whose stored partial still holds
 * visitor codes (its days are being anonymised by the purge). The centre's rows, day partials and roll-up
 * watermark are read from `db` (its own database); the months and the merge's own watermark are written to
 * `figures` (default `db`), the watermark in the same batch as the last months. A figures database of its
 * own (`FIGURES`) first gets a copy of the centre's row, which its month rows name by a foreign key
 * (`figuresApart`). Returns the months merged.
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
  const from = await watermarkOf(figures, job);
  const to = await watermarkOf(db, rollupWatermarkOf(centreId));
  const changed = to > from ? await changedDays(db, from, to, centreId) : [];
  const months = new Set(changed.map((day) => day.localDay.slice(0, 7)));
  for (const month of await monthsPastRetentionWithCodes(figures, centreId, now.toISOString()))
    months.add(month);
  const sorted = [...months].sort();
  const mark = to > from ? [setWatermark(figures, job, to)] : [];
  const copy =
    sorted.length > 0 ? await centreRowForFigures(db, figures, centreId, options.figuresApart) : [];
  for (let i = 0; i < sorted.length || (i === 0 && mark.length > 0); i += MONTHS_PER_BATCH) {
    const chunk = sorted.slice(i, i + MONTHS_PER_BATCH);
    const statements = await monthPartialStatements(db, centreId, chunk, now, figures);
    const last = i + MONTHS_PER_BATCH >= sorted.length;
    const [first, ...rest] = [...(i === 0 ? copy : []), ...statements, ...(last ? mark : [])];
    if (first) await figures.batch([first, ...rest]);
  }
  return sorted;
}
