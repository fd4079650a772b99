import { Feedback, FeedbackModeration, FeedbackStatus, FeedbackSubmission, Id } from "@halte/core";
import { z } from "@hono/zod-openapi";
import { PageQuery, pageOf } from "../../pagination.js";

export const FeedbackRecord = Feedback.openapi("Feedback");
export const FeedbackPage = pageOf(FeedbackRecord, "Feedback");
export const FeedbackBody = FeedbackSubmission.openapi("FeedbackSubmission");
export const FeedbackModerationBody = FeedbackModeration.openapi("FeedbackModeration");
export const FeedbackParams = z.object({ feedbackId: Id });

export const FeedbackListQuery = PageQuery.extend({
  centreId: Id.optional().openapi({ description: "Only this centre's feedback (defaults to the caller's)" }),
  status: FeedbackStatus.optional(),
});

export const FeedbackSummary = z
  .object({
    centreId: z.string(),
    pending: z.int(),
    approved: z.int(),
    rejected: z.int(),
  })
  .openapi("FeedbackSummary");
