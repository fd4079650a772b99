// What the lessons pages share: the vocabularies, the API's shapes, and how a failure reads.
import { ContributorGroup, LessonTheme, LessonType, lessonsGuideText } from "@halte/core";
import { ApiError, type Problem, type Schemas } from "../../api.js";

export const TYPES = LessonType.options;
export const THEMES = LessonTheme.options;
export const GROUPS = ContributorGroup.options;
export const STATUSES = ["draft", "reviewed", "validated"] as const;
export const STATEMENT_PARTS = ["context", "situation", "result", "cause", "recommendation"] as const;
export const STRENGTHS = [
  ["weak", "strengthWeak"],
  ["moderate", "strengthModerate"],
  ["strong", "strengthStrong"],
] as const;

export type Lesson = Schemas["Lesson"];
export type Evidence = Lesson["evidence"][number];

export const statusKey = {
  draft: "statusDraft",
  reviewed: "statusReviewed",
  validated: "statusValidated",
} as const;

export function asProblem(error: unknown): Problem {
  return error instanceof ApiError ? error.problem : { title: String(error), status: 0 };
}

/** The CHS 2024 commitments, 1 to 9, with their titles in the staff language (the guide's own titles). */
export function chsCommitments(locale: "fr" | "en"): Array<{ n: number; title: string }> {
  const titles = lessonsGuideText(locale).commitments;
  return [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => ({ n, title: titles[n] ?? String(n) }));
}
