import { z } from "@hono/zod-openapi";

export const JobRun = z
  .object({
    id: z.string(),
    job: z.string(),
    startedAt: z.string(),
    finishedAt: z.string(),
    watermarkFrom: z.string(),
    watermarkTo: z.string(),
    rowsRead: z.int(),
    daysRolled: z.int(),
    durationMs: z.int(),
    centreId: z.string().nullable().openapi({
      description: "The centre of a per-centre run; null for every centre, or no centre's tables",
    }),
    status: z.enum(["succeeded", "failed", "dead-lettered"]).openapi({
      description: "`failed`: an attempt that is retried later; `dead-lettered`: retries exhausted",
    }),
    errorKind: z
      .string()
      .nullable()
      .openapi({ description: "For a failure: `database`, `invalid-value`, `unreadable-data` or `other`" }),
  })
  .openapi("JobRun");

export const PurgeCounts = z
  .object({
    dryRun: z.boolean(),
    visitorCodes: z.int(),
    referralContacts: z.int(),
    historyNotes: z.int(),
    consents: z.int(),
    sessions: z.int(),
    apiTokens: z.int(),
    dayPartials: z.int().openapi({
      description: "Day partials past retention whose visitor-code prefixes were dropped (at most 200 a run)",
    }),
    feedbackTexts: z.int().openapi({
      description:
        "Feedback received before its centre's retention whose text was cleared (the row, its status and lessons citing it stay)",
    }),
  })
  .openapi("PurgeCounts");
