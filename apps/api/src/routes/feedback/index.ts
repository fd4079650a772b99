import { createRouter } from "../../router.js";
import { feedbackSummaryRoutes } from "./feedback-summary.js";
import { listFeedbackRoutes } from "./list-feedback.js";
import { moderateFeedbackRoutes } from "./moderate-feedback.js";
import { submitFeedbackRoutes } from "./submit-feedback.js";

/**
 * Feedback from the people assisted (CHS 2024 commitment 5): the public form's one operation, and the
 * coordinators' moderation queue. One file per operation.
 */
export const feedbackRoutes = createRouter()
  .route("/", submitFeedbackRoutes)
  .route("/", feedbackSummaryRoutes)
  .route("/", listFeedbackRoutes)
  .route("/", moderateFeedbackRoutes);
