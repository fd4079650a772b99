import type {
  ContributorGroup,
  Evidence,
  LessonStatement,
  LessonStatus,
  LessonTheme,
  LessonType,
} from "@halte/core";
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { recordColumns } from "./columns.js";

export const lessons = sqliteTable(
  "lessons",
  {
    ...recordColumns,
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    type: text("type").$type<LessonType>().notNull(),
    theme: text("theme").$type<LessonTheme>().notNull(),
    title: text("title").notNull(),
    statement: text("statement", { mode: "json" }).$type<LessonStatement>().notNull(),
    evidence: text("evidence", { mode: "json" }).$type<Evidence[]>().notNull(),
    contributors: text("contributors", { mode: "json" }).$type<ContributorGroup[]>().notNull(),
    chsCommitments: text("chs_commitments", { mode: "json" }).$type<number[]>().notNull(),
    periodStart: text("period_start").notNull(),
    periodEnd: text("period_end").notNull(),
    status: text("status").$type<LessonStatus>().notNull(),
    /** The user or token that contributed it: contributors without `lessons:validate` edit only their own. */
    createdBy: text("created_by"),
    archivedAt: text("archived_at"),
  },
  (t) => [
    // serves: a centre's lessons filtered by status (the guide reads validated ones)
    index("lessons_centre_status_idx").on(t.centreId, t.status, t.id),
  ],
);
