import { z } from "zod";
import { CentreScoped, Id, Instant, RecordMeta } from "./common.js";
import { LessonTheme } from "./lesson.js";

/** The languages of the public directory, in which the people assisted may leave feedback. */
export const FeedbackLanguage = z.enum(["fr", "en", "ar", "fa", "ps", "ti"]);
export type FeedbackLanguage = z.infer<typeof FeedbackLanguage>;

/** Moderation: feedback arrives `pending`; a coordinator approves it (it may then back a lesson) or rejects it. */
export const FeedbackStatus = z.enum(["pending", "approved", "rejected"]);
export type FeedbackStatus = z.infer<typeof FeedbackStatus>;

/** The least time a person takes to read the form and write a few words; faster is a script. */
export const FEEDBACK_MIN_FILL_SECONDS = 3;

/**
 * What the public feedback form sends: free text (no name, no contact: the form says so), an optional theme
 * or service, the language it was written in, and two spam checks: `website` is a field people never see
 * (a honeypot: it must stay empty) and `fillSeconds` the time the form was open.
 */
export const FeedbackSubmission = z.strictObject({
  text: z
    .string()
    .transform((s) => s.replace(/\s+/g, " ").trim())
    .pipe(z.string().min(3, "Write a few words").max(2000)),
  theme: LessonTheme.optional(),
  serviceId: Id.optional(),
  language: FeedbackLanguage,
  website: z.string().max(200).default(""),
  fillSeconds: z.number().min(0).max(86_400),
});
export type FeedbackSubmission = z.infer<typeof FeedbackSubmission>;

/**
 * Whether a submission looks sent by a script rather than a person: the hidden field filled in, or the form
 * sent faster than anyone can read it. The API answers such submissions as if accepted and keeps nothing,
 * so a script learns nothing from the answer.
 *
 * @example
 * looksAutomated({ website: "", fillSeconds: 40 }); // false
 * looksAutomated({ website: "http://spam.example", fillSeconds: 40 }); // true
 * looksAutomated({ website: "", fillSeconds: 0.4 }); // true
 */
export function looksAutomated(submission: { website: string; fillSeconds: number }): boolean {
  return submission.website.trim() !== "" || submission.fillSeconds < FEEDBACK_MIN_FILL_SECONDS;
}

/** A stored piece of feedback, as coordinators read it. */
export const Feedback = z.object({
  ...RecordMeta,
  ...CentreScoped,
  text: z.string(),
  theme: LessonTheme.nullable(),
  serviceId: z.string().nullable(),
  language: FeedbackLanguage,
  status: FeedbackStatus,
  moderatedAt: Instant.nullable(),
  moderatedBy: z.string().nullable(),
});
export type Feedback = z.infer<typeof Feedback>;

/** A coordinator's decision on a pending piece of feedback. */
export const FeedbackModeration = z.strictObject({ status: z.enum(["approved", "rejected"]) });
export type FeedbackModeration = z.infer<typeof FeedbackModeration>;
