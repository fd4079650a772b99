import { createRouter } from "../../router.js";
import { createReferralRoute } from "./create-referral.js";
import { eraseReferralRoute } from "./erase-referral.js";
import { getReferralRoute } from "./get-referral.js";
import { listReferralHistoryRoute } from "./list-referral-history.js";
import { listReferralsRoutes } from "./list-referrals.js";
import { transitionReferralRoute } from "./transition-referral.js";
import { withdrawReferralConsentRoute } from "./withdraw-referral-consent.js";

/** The referrals, one file per operation; the pull API's acknowledgement is registered with the webhooks. */
export const referralRoutes = createRouter()
  .route("/", createReferralRoute)
  .route("/", getReferralRoute)
  .route("/", transitionReferralRoute)
  .route("/", listReferralHistoryRoute)
  .route("/", withdrawReferralConsentRoute)
  .route("/", eraseReferralRoute)
  .route("/", listReferralsRoutes);
