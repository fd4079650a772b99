import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../context.js";
import { apiTokenRoutes } from "./api-tokens/index.js";
import { auditRoutes } from "./audit/index.js";
import { authRoutes } from "./auth/index.js";
import { centreRoutes } from "./centres/index.js";
import { eventRoutes } from "./events/index.js";
import { healthRoutes } from "./health.js";
import { lessonRoutes } from "./lessons/index.js";
import { partnerRoutes } from "./partners/index.js";
import { referralRoutes } from "./referrals/index.js";
import { serviceUseRoutes } from "./service-uses/index.js";
import { serviceRoutes } from "./services/index.js";
import { userRoutes } from "./users/index.js";
import { visitRoutes } from "./visits/index.js";

/** Every resource router, mounted under `/api`. */
export function mountRoutes(app: OpenAPIHono<AppEnv>) {
  app.route("/api", healthRoutes);
  app.route("/api", authRoutes);
  app.route("/api", centreRoutes);
  app.route("/api", partnerRoutes);
  app.route("/api", serviceRoutes);
  app.route("/api", visitRoutes);
  app.route("/api", serviceUseRoutes);
  app.route("/api", referralRoutes);
  app.route("/api", eventRoutes);
  app.route("/api", lessonRoutes);
  app.route("/api", userRoutes);
  app.route("/api", apiTokenRoutes);
  app.route("/api", auditRoutes);
}
