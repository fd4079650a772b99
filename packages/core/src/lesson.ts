import { z } from "zod";
import { CentreScoped, Instant, RecordMeta, text } from "./common.js";
import { err, ok, type Result } from "./result.js";
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

/** The reports a figure can be picked from. */
export const FigureReport = z.enum(["visits"]);
export type FigureReport = z.infer<typeof FigureReport>;

/**
 * A published figure picked from a report, stored with the lesson as it was read: which report, which
 * period (an ISO / DHIS2 period code such as `202605`), which breakdown (`visits`, `firstVisits`,
 * `uniqueVisitors` or `language:<code>`), and the disclosure-controlled value the report published at
 * `publishedAt` (`null` when the cell was hidden). Later corrections of the data do not change the lesson.
 */
export const FigureSnapshot = z.strictObject({
  report: FigureReport,
  periodType: z.enum(["week", "month", "quarter", "year"]),
  period: z.string().regex(/^\d{4}(W\d{2}|\d{2}|Q[1-4])?$/, "An ISO / DHIS2 period code, e.g. 202605"),
  breakdown: z.string().regex(/^(visits|firstVisits|uniqueVisitors|language:[a-z]{2,3})$/),
  value: z.int().min(0).nullable(),
  publishedAt: Instant,
});
export type FigureSnapshot = z.infer<typeof FigureSnapshot>;

/** The kinds of evidence: a figure picked from a report, a document, a context event, moderated feedback. */
export const EvidenceKind = z.enum(["figure", "report", "event", "feedback"]);
export type EvidenceKind = z.infer<typeof EvidenceKind>;

/**
 * What backs a lesson. A figure carries its snapshot (`figure`); a document its URL or title in
 * `reference`; an event or a piece of feedback from the people assisted its id in `reference`.
 */
export const Evidence = z
  .strictObject({
    kind: EvidenceKind,
    /** A figure's `report:period:breakdown`, a document's URL or title, an event's or a feedback's id. */
    reference: text(500),
    description: text(1000),
    strength: EvidenceStrength,
    figure: FigureSnapshot.optional(),
  })
  .refine((e) => (e.kind === "figure") === (e.figure !== undefined), {
    path: ["figure"],
    message: "A figure is picked from a report; other evidence carries no figure",
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
  /** The user or token that contributed the lesson (`null` for lessons recorded before authors were kept). */
  createdBy: z.string().nullable(),
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
export function formatLessonStatement(input: LessonStatement, language: GuideLanguage = "en"): string {
  const statement = Object.fromEntries(
    Object.entries(input).map(([part, words]) => [part, statementPart(words)]),
  ) as LessonStatement;
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

/**
 * One part of a statement as it sits inside the template's sentence: spaces folded, and the punctuation a
 * contributor ends a part with (". , ; :") dropped, since the template puts its own after it.
 */
function statementPart(words: string): string {
  return words
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[\s.,;:]+$/u, "");
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

/** Why a review move is refused: a stable code for the API, and a sentence for people. */
export interface LessonMoveRefusal {
  code: "illegal_transition" | "own_lesson" | "reason_required";
  message: string;
}

/**
 * Checks a review move with its people: the move itself (`canMoveLesson`), four eyes (a lesson is validated
 * by someone other than its author) and a reason, of at least 3 characters, for taking a validated lesson
 * back to draft (it leaves the guide).
 *
 * @example
 * checkLessonMove({ from: "reviewed", to: "validated", authorId: "u1", actorId: "u1" });
 * // { ok: false, error: { code: "own_lesson", message: "A lesson is validated by someone other than its author" } }
 * checkLessonMove({ from: "validated", to: "draft", authorId: "u1", actorId: "u2", reason: "Figures corrected" });
 * // { ok: true, value: undefined }
 */
export function checkLessonMove(move: {
  from: LessonStatus;
  to: LessonStatus;
  authorId: string | null;
  actorId: string;
  reason?: string | undefined;
}): Result<void, LessonMoveRefusal> {
  if (!canMoveLesson(move.from, move.to)) {
    return err({ code: "illegal_transition", message: `A ${move.from} lesson cannot become ${move.to}` });
  }
  if (move.to === "validated" && move.authorId === move.actorId) {
    return err({ code: "own_lesson", message: "A lesson is validated by someone other than its author" });
  }
  if (move.from === "validated" && (move.reason ?? "").trim().length < 3) {
    return err({
      code: "reason_required",
      message: "Say why a validated lesson goes back to draft (it leaves the guide)",
    });
  }
  return ok(undefined);
}
