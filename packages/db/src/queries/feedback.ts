import type { Feedback, FeedbackStatus, FeedbackSubmission } from "@halte/core";
import { and, count, desc, eq, inArray, lt, ne, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { feedback } from "../schema/feedback.js";

export interface ListFeedbackOptions {
  centreId: string;
  status?: FeedbackStatus;
  /** Newest first: the page after this id holds older feedback. */
  beforeId?: string;
  limit: number;
}

/** A centre's feedback newest first (ids are time-ordered), one more than `limit` for the next page. */
export async function listFeedback(db: Db, options: ListFeedbackOptions): Promise<Feedback[]> {
  const conditions: (SQL | undefined)[] = [eq(feedback.centreId, options.centreId)];
  if (options.status) conditions.push(eq(feedback.status, options.status));
  if (options.beforeId !== undefined) conditions.push(lt(feedback.id, options.beforeId));
  return db
    .select()
    .from(feedback)
    .where(and(...conditions))
    .orderBy(desc(feedback.id))
    .limit(options.limit + 1);
}

export async function getFeedback(db: Db, id: string): Promise<Feedback | null> {
  const [row] = await db.select().from(feedback).where(eq(feedback.id, id)).limit(1);
  return row ?? null;
}

/** How many pieces of feedback a centre holds, by status. */
export async function countFeedbackByStatus(
  db: Db,
  centreId: string,
): Promise<Record<FeedbackStatus, number>> {
  const rows = await db
    .select({ status: feedback.status, n: count() })
    .from(feedback)
    .where(eq(feedback.centreId, centreId))
    .groupBy(feedback.status);
  const counts: Record<FeedbackStatus, number> = { pending: 0, approved: 0, rejected: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** Which of these ids are approved feedback of the centre (only those may back a lesson). */
export async function approvedFeedbackIds(
  db: Db,
  centreId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: feedback.id })
    .from(feedback)
    .where(
      and(
        eq(feedback.centreId, centreId),
        eq(feedback.status, "approved"),
        inArray(feedback.id, [...new Set(ids)]),
      ),
    );
  return new Set(rows.map((row) => row.id));
}

export function insertFeedback(
  db: Db,
  id: string,
  centreId: string,
  submission: FeedbackSubmission,
  at: string,
) {
  return db.insert(feedback).values({
    id,
    centreId,
    text: submission.text,
    theme: submission.theme ?? null,
    serviceId: submission.serviceId ?? null,
    language: submission.language,
    status: "pending",
    moderatedAt: null,
    moderatedBy: null,
    createdAt: at,
    updatedAt: at,
  });
}

export function moderateFeedback(db: Db, id: string, status: FeedbackStatus, by: string, at: string) {
  return db
    .update(feedback)
    .set({ status, moderatedAt: at, moderatedBy: by, updatedAt: at })
    .where(eq(feedback.id, id));
}

/**
 * Feedback whose text is past its centre's retention: received more than the centre's `retention_months`
 * before `at` (an ISO instant, computed by SQLite as the other purges do), its text not cleared yet; of one
 * centre, or of every centre when `centreId` is null. The text is free and may name someone, whatever the
 * form asks; everything else of the row is not personal.
 */
function feedbackPastRetention(at: string, centreId: string | null): SQL | undefined {
  return and(
    centreId === null ? undefined : eq(feedback.centreId, centreId),
    ne(feedback.text, ""),
    lt(
      feedback.createdAt,
      sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${at}, '-' || (SELECT retention_months FROM centres WHERE centres.id = ${feedback.centreId}) || ' months')`,
    ),
  );
}

/** How many pieces of feedback the retention purge would clear at `at` (the dry run's count). */
export async function countFeedbackPastRetention(
  db: Db,
  at: string,
  centreId: string | null = null,
): Promise<number> {
  const [row] = await db.select({ n: count() }).from(feedback).where(feedbackPastRetention(at, centreId));
  return row?.n ?? 0;
}

/**
 * The retention purge's statement for feedback (one of its batch): the text of feedback past its centre's
 * retention becomes the empty string — which no submission can be (3 characters at least), so it reads as
 * "cleared". The row stays with its status, theme, service, language and dates: the counts by status stay
 * as they were, and a lesson citing it still cites approved feedback of its centre, without its words.
 * One centre's, or every centre's when `centreId` is null.
 */
export function clearFeedbackPastRetention(db: Db, at: string, centreId: string | null = null) {
  return db.update(feedback).set({ text: "" }).where(feedbackPastRetention(at, centreId));
}
