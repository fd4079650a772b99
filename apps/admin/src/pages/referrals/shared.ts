// What the referral pages share: the API's shapes, the vocabularies, and how a failure reads.
import {
  AgeBand,
  ConsentMethod,
  FailureReason,
  Gender,
  ReferralNeed,
  ReferralStatus,
  RejectionReason,
} from "@halte/core";
import { ApiError, type Problem, type Schemas } from "../../api.js";
import type { ReferralsT } from "../../i18n/pages/referrals.js";

/** A referral as the API returns it: `contact` is null for callers who may not read it. */
export type ReferralRecord = Schemas["Referral"];
export type ReferralHistoryEntry = Schemas["ReferralHistoryEntry"];
export type Named = Pick<Schemas["Partner"], "id" | "name">;
export type ServiceRef = Pick<Schemas["Service"], "id" | "name" | "organizationId">;

export const NEEDS = ReferralNeed.options;
export const STATUSES = ReferralStatus.options;
export const METHODS = ConsentMethod.options;
export const AGE_BANDS = AgeBand.options;
export const GENDERS = Gender.options;
// The reasons a status needs.
export const REASONS: Partial<Record<ReferralStatus, readonly string[]>> = {
  rejected: RejectionReason.options,
  failed: FailureReason.options,
};

export function problemOf(t: ReferralsT, error: unknown): Problem {
  return error instanceof ApiError ? error.problem : { title: t("networkError"), status: 0 };
}
