import type { Lesson, LessonInput, LessonStatus, LessonTheme, LessonType } from "@halte/core";
import { eq } from "drizzle-orm";
import type { Db } from "../client.js";
import { lessons } from "../schema/lessons.js";
import { byId, type PageOptions, pageConditions } from "./records.js";

type LessonRow = typeof lessons.$inferSelect;

export function lessonFromRow(row: LessonRow): Lesson {
  // Evidence is stored as sent; a figure's snapshot is present only on figures.
  return row as Lesson;
}

export interface ListLessonsOptions extends PageOptions {
  status?: LessonStatus;
  theme?: LessonTheme;
  type?: LessonType;
}

/** Lessons in id order, one more than `limit` so the caller knows whether a next page exists. */
export async function listLessons(db: Db, options: ListLessonsOptions): Promise<Lesson[]> {
  const rows = await db
    .select()
    .from(lessons)
    .where(
      pageConditions(lessons, options, [
        options.status ? eq(lessons.status, options.status) : undefined,
        options.theme ? eq(lessons.theme, options.theme) : undefined,
        options.type ? eq(lessons.type, options.type) : undefined,
      ]),
    )
    .orderBy(byId(lessons))
    .limit(options.limit + 1);
  return rows.map(lessonFromRow);
}

export async function getLesson(db: Db, id: string): Promise<Lesson | null> {
  const [row] = await db.select().from(lessons).where(eq(lessons.id, id)).limit(1);
  return row ? lessonFromRow(row) : null;
}

function columnsOf(input: LessonInput) {
  const { centreId: _centre, ...columns } = input;
  return columns;
}

/** Inserts a draft; `createdBy` is the contributor (a user's or token's id). */
export function insertLesson(db: Db, id: string, input: LessonInput, at: string, createdBy: string | null) {
  return db.insert(lessons).values({
    id,
    centreId: input.centreId,
    ...columnsOf(input),
    status: "draft",
    createdBy,
    createdAt: at,
    updatedAt: at,
    archivedAt: null,
  });
}

/** Replaces a lesson's content; a lesson edited after review goes back to draft to be reviewed again. */
export function replaceLesson(db: Db, id: string, input: LessonInput, at: string) {
  return db
    .update(lessons)
    .set({ ...columnsOf(input), status: "draft", updatedAt: at })
    .where(eq(lessons.id, id));
}

export function setLessonStatus(db: Db, id: string, status: LessonStatus, at: string) {
  return db.update(lessons).set({ status, updatedAt: at }).where(eq(lessons.id, id));
}

export function archiveLesson(db: Db, id: string, at: string) {
  return db.update(lessons).set({ archivedAt: at, updatedAt: at }).where(eq(lessons.id, id));
}
