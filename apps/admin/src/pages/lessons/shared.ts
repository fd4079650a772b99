// What the lessons pages share: the vocabularies, the API's shapes, and how a failure reads.
import { ContributorGroup, LessonTheme, LessonType } from "@halte/core";
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
