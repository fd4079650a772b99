import { createRouter } from "../../router.js";
import { referralAcknowledgementRoutes } from "../referrals/acknowledge.js";
import { webhookEndpointRoutes } from "./endpoints.js";
import { inboundWebhookRoutes } from "./inbound.js";
import { webhookSecretRoutes } from "./secrets.js";

/**
 * Partner integration: the signed inbound endpoint, the secrets that sign both ways, the endpoints we
 * deliver to with their delivery log, and the pull API's acknowledgement.
 */
export const webhookRoutes = createRouter()
  .route("/", inboundWebhookRoutes)
  .route("/", webhookSecretRoutes)
  .route("/", webhookEndpointRoutes)
  .route("/", referralAcknowledgementRoutes);
