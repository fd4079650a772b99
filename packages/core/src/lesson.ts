import { z } from "zod";
import { CentreScoped, Instant, RecordMeta, text } from "./common.js";
import { LocalDate } from "./zoned-time.js";

/** The kinds of lesson the participatory process produces. */
export const LessonType = z.enum([
  "success_factor",
  "critical_point",
  "good_practice",
  "recommendation",
  "challenge",
]);
export type LessonType = z.infer<typeof LessonType>;

/** The themes of the experience-sharing process (Groupe URD's study of La Halte de Jour). */
export const LessonTheme = z.enum([
  "preparation",
  "coordination",
  "resources",
  "support_to_needs",
  "partnership_network",
  "premises_logistics",
  "staff_volunteers",
  "neighbour_relations",
  "advocacy",
]);
export type LessonTheme = z.infer<typeof LessonTheme>;

/** Who took part in producing a lesson. */
export const ContributorGroup = z.enum([
  "centre_team",
  "partners",
  "people_assisted",
  "local_residents",
  "institutions",
]);
export type ContributorGroup = z.infer<typeof ContributorGroup>;

/** Review status: a lesson enters the guide for the next centre only once validated. */
export const LessonStatus = z.enum(["draft", "reviewed", "validated"]);
export type LessonStatus = z.infer<typeof LessonStatus>;

/** How strongly a piece of evidence supports the lesson. */
export const EvidenceStrength = z.enum(["weak", "moderate", "strong"]);
export type EvidenceStrength = z.infer<typeof EvidenceStrength>;

/** What backs a lesson: a figure (a report query), a document, or a context event. */
export const Evidence = z.strictObject({
  kind: z.enum(["figure", "report", "event"]),
  /** A figure's report path, a document's URL, or an event's id. */
  reference: text(500),
  description: text(1000),
  strength: EvidenceStrength,
});
export type Evidence = z.infer<typeof Evidence>;

/**
 * The lesson's statement in its five parts: "In the context of {context}, when {situation}, the result was
 * {result} because {cause}; therefore {recommendation}."
 */
export const LessonStatement = z.strictObject({
  context: text(1000),
  situation: text(1000),
  result: text(1000),
  cause: text(1000),
  recommendation: text(1000),
});
export type LessonStatement = z.infer<typeof LessonStatement>;

/**
 * Core Humanitarian Standard (2024) commitments 1–9, each at most once.
 */
export const ChsCommitment = z.int().min(1).max(9);

/** What a contributor sends. */
export const LessonInput = z
  .strictObject({
    ...CentreScoped,
    type: LessonType,
    theme: LessonTheme,
    title: text(200),
    statement: LessonStatement,
    evidence: z.array(Evidence).max(20).default([]),
    contributors: z.array(ContributorGroup).min(1).max(ContributorGroup.options.length),
    chsCommitments: z
      .array(ChsCommitment)
      .max(9)
      .refine((c) => new Set(c).size === c.length, "List each commitment once")
      .default([]),
    /** The period the lesson comes from. */
    periodStart: LocalDate,
    periodEnd: LocalDate,
  })
  .refine((l) => l.periodEnd >= l.periodStart, {
    path: ["periodEnd"],
    message: "The period cannot end before it starts",
  });
export type LessonInput = z.infer<typeof LessonInput>;

/** A stored lesson. */
export const Lesson = z.object({
  ...RecordMeta,
  ...CentreScoped,
  type: LessonType,
  theme: LessonTheme,
  title: z.string(),
  statement: LessonStatement,
  evidence: z.array(Evidence),
  contributors: z.array(ContributorGroup),
  chsCommitments: z.array(ChsCommitment),
  periodStart: LocalDate,
  periodEnd: LocalDate,
  status: LessonStatus,
  archivedAt: Instant.nullable(),
});
export type Lesson = z.infer<typeof Lesson>;

/** The languages the lessons guide is printed in (its headings, labels and statement template). */
export const GuideLanguage = z.enum(["en", "fr"]);
export type GuideLanguage = z.infer<typeof GuideLanguage>;

/**
 * Writes a lesson's statement as one sentence, as the guide prints it, in English (default) or French. Only
 * the template is translated: the five parts are the contributor's own words.
 *
 * @example
 * formatLessonStatement({ context: "a camp evacuation", situation: "120 people arrived before 9:00",
 *   result: "showers were saturated by 10:00", cause: "slots were not staggered",
 *   recommendation: "open extra shower slots on evacuation days" });
 * // "In the context of a camp evacuation, when 120 people arrived before 9:00, the result was showers …"
 * // with "fr": "Dans le contexte de a camp evacuation, lorsque …"
 */
export function formatLessonStatement(statement: LessonStatement, language: GuideLanguage = "en"): string {
  if (language === "fr") {
    return (
      `Dans le contexte de ${statement.context}, lorsque ${statement.situation}, le résultat a été ` +
      `${statement.result} parce que ${statement.cause} ; par conséquent, ${statement.recommendation}.`
    );
  }
  return (
    `In the context of ${statement.context}, when ${statement.situation}, the result was ${statement.result} ` +
    `because ${statement.cause}; therefore ${statement.recommendation}.`
  );
}

const nextReviewStatus: Record<LessonStatus, LessonStatus | null> = {
  draft: "reviewed",
  reviewed: "validated",
  validated: null,
};

/**
 * Whether a lesson may move from one review status to another: forward one step at a time
 * (draft → reviewed → validated), or back to draft for rework from any status.
 *
 * @example
 * canMoveLesson("draft", "reviewed"); // true
 * canMoveLesson("draft", "validated"); // false
 */
export function canMoveLesson(from: LessonStatus, to: LessonStatus): boolean {
  return nextReviewStatus[from] === to || (to === "draft" && from !== "draft");
}
