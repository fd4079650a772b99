import { createRouter } from "../../router.js";
import { acknowledgeReferralRoute } from "../referrals/acknowledge-referral.js";
import { createWebhookEndpointRoute } from "./create-webhook-endpoint.js";
import { createWebhookSecretRoute } from "./create-webhook-secret.js";
import { disableWebhookEndpointRoute } from "./disable-webhook-endpoint.js";
import { listWebhookDeliveriesRoute } from "./list-webhook-deliveries.js";
import { listWebhookEndpointsRoute } from "./list-webhook-endpoints.js";
import { listWebhookSecretsRoute } from "./list-webhook-secrets.js";
import { receivePartnerWebhookRoute } from "./receive-partner-webhook.js";
import { resendWebhookDeliveryRoute } from "./resend-webhook-delivery.js";
import { revokeWebhookSecretRoute } from "./revoke-webhook-secret.js";

/**
 * Partner integration, one file per operation: the signed inbound endpoint (`receive-partner-webhook.ts`, what each event
 * does in `inbound-receivers.ts`), the secrets that sign both ways (`secrets-shared.ts` holds their shapes),
 * the endpoints we deliver to with their delivery log (`endpoints-shared.ts`), and the pull API's
 * acknowledgement.
 */
export const webhookRoutes = createRouter()
  .route("/", receivePartnerWebhookRoute)
  .route("/", createWebhookSecretRoute)
  .route("/", listWebhookSecretsRoute)
  .route("/", revokeWebhookSecretRoute)
  .route("/", createWebhookEndpointRoute)
  .route("/", listWebhookEndpointsRoute)
  .route("/", disableWebhookEndpointRoute)
  .route("/", listWebhookDeliveriesRoute)
  .route("/", resendWebhookDeliveryRoute)
  .route("/", acknowledgeReferralRoute);
