import { type Db, insertJobRun } from "@halte/db";

/**
 * What kind of failure stopped a job for one centre: stored in `job_runs.error_kind` and logged instead of
 * the error's message, which could quote a row's content.
 */
export type JobErrorKind = "database" | "invalid-value" | "unreadable-data" | "other";

/** The kind of a job's failure, from the error alone. */
export function jobErrorKind(error: unknown): JobErrorKind {
  if (!(error instanceof Error)) return "other";
  if (/D1_|SQLITE/.test(error.message)) return "database";
  // Intl refuses a time zone it does not know, Date a day that does not exist: a value stored wrong.
  if (error instanceof RangeError) return "invalid-value";
  if (/unreadable|not JSON/.test(error.message)) return "unreadable-data";
  return "other";
}

/**
 * Records a failed attempt (`failed`, to be retried) or a job given up (`dead-lettered`) for one centre:
 * times, the centre and the kind of error, no counts and no content.
 */
export async function recordFailedRun(
  db: Db,
  run: {
    id: string;
    job: string;
    centreId: string | null;
    at: Date;
    errorKind: JobErrorKind;
    status: "failed" | "dead-lettered";
  },
): Promise<void> {
  const at = run.at.toISOString();
  await insertJobRun(db, {
    id: run.id,
    job: run.job,
    centreId: run.centreId,
    startedAt: at,
    finishedAt: new Date().toISOString(),
    watermarkFrom: run.status,
    watermarkTo: at,
    rowsRead: 0,
    daysRolled: 0,
    durationMs: 0,
    status: run.status,
    errorKind: run.errorKind,
  });
}
