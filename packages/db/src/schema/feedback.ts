import type { FeedbackLanguage, FeedbackStatus, LessonTheme } from "@halte/core";
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { recordColumns } from "./columns.js";

/**
 * Anonymous feedback from the people assisted, left on the public directory. Nothing identifies its author:
 * no account, no address (the rate limit keys on a keyed hash of it, in `rate_limits`), no contact.
 */
export const feedback = sqliteTable(
  "feedback",
  {
    ...recordColumns,
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    text: text("text").notNull(),
    theme: text("theme").$type<LessonTheme>(),
    serviceId: text("service_id"),
    language: text("language").$type<FeedbackLanguage>().notNull(),
    status: text("status").$type<FeedbackStatus>().notNull(),
    moderatedAt: text("moderated_at"),
    moderatedBy: text("moderated_by"),
  },
  (t) => [
    // serves: a coordinator's moderation queue (a centre's feedback by status, newest first) and the dashboards
    index("feedback_centre_status_idx").on(t.centreId, t.status, t.id),
  ],
);
