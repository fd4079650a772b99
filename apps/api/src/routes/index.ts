import { createRouter } from "../router.js";
import { apiTokenRoutes } from "./api-tokens/index.js";
import { auditRoutes } from "./audit/index.js";
import { authRoutes } from "./auth/index.js";
import { centreRoutes } from "./centres/index.js";
import { doorDeviceRoutes } from "./door-devices/index.js";
import { eventRoutes } from "./events/index.js";
import { feedbackRoutes } from "./feedback/index.js";
import { healthRoutes } from "./health.js";
import { jobRoutes } from "./jobs/index.js";
import { lessonRoutes } from "./lessons/index.js";
import { partnerRoutes } from "./partners/index.js";
import { publicRoutes } from "./public/index.js";
import { referralRoutes } from "./referrals/index.js";
import { reportRoutes } from "./reports/index.js";
import { serviceUseRoutes } from "./service-uses/index.js";
import { serviceRoutes } from "./services/index.js";
import { ticketRoutes } from "./tickets/index.js";
import { userRoutes } from "./users/index.js";
import { visitRoutes } from "./visits/index.js";
import { webhookRoutes } from "./webhooks/index.js";

/**
 * Every resource router, chained so that the type of the result carries every route: `hono/client`
 * reads it to give a TypeScript partner a typed client (the admin site uses the client generated from the
 * OpenAPI document instead, docs/admin.md).
 */
export const apiRoutes = createRouter()
  .route("/", healthRoutes)
  .route("/", authRoutes)
  .route("/", centreRoutes)
  .route("/", partnerRoutes)
  .route("/", serviceRoutes)
  .route("/", publicRoutes)
  .route("/", visitRoutes)
  .route("/", serviceUseRoutes)
  .route("/", ticketRoutes)
  .route("/", doorDeviceRoutes)
  .route("/", referralRoutes)
  .route("/", eventRoutes)
  .route("/", lessonRoutes)
  .route("/", feedbackRoutes)
  .route("/", userRoutes)
  .route("/", apiTokenRoutes)
  .route("/", auditRoutes)
  .route("/", reportRoutes)
  .route("/", jobRoutes)
  .route("/", webhookRoutes);
