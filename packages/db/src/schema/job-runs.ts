import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Where each scheduled job got to: rows changed at or before `watermark` are rolled up. A job moves its
 * watermark in the same batch as its last writes, so a run killed half way leaves it where it was.
 */
export const jobWatermarks = sqliteTable("job_watermarks", {
  job: text("job").primaryKey(),
  watermark: text("watermark").notNull(),
});

/** What each run did: counts and times only, never a record's content. */
export const jobRuns = sqliteTable(
  "job_runs",
  {
    id: text("id").primaryKey(),
    job: text("job").notNull(),
    startedAt: text("started_at").notNull(),
    finishedAt: text("finished_at").notNull(),
    watermarkFrom: text("watermark_from").notNull(),
    watermarkTo: text("watermark_to").notNull(),
    rowsRead: integer("rows_read").notNull(),
    daysRolled: integer("days_rolled").notNull(),
    durationMs: integer("duration_ms").notNull(),
    /** The centre the run was for; null for a run over every centre, or over shared tables (sessions, tokens). */
    centreId: text("centre_id"),
    /** `succeeded`, `failed` (an attempt that will be retried) or `dead-lettered` (retries exhausted). */
    status: text("status", { enum: ["succeeded", "failed", "dead-lettered"] })
      .notNull()
      .default("succeeded"),
    /** For a failure, what kind (`database`, `invalid-value`, `unreadable-data`, `other`): never a message. */
    errorKind: text("error_kind"),
  },
  // serves: the last runs of each job (health and the admin view)
  (t) => [index("job_runs_job_started_idx").on(t.job, t.startedAt)],
);
