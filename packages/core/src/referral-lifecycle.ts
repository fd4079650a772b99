import {
  FailureReason,
  type Referral,
  type ReferralActor,
  type ReferralHistoryEntry,
  ReferralStatus,
  type ReferralStatusChange,
  RejectionReason,
  type StatusReason,
} from "./referral.js";
import { err, ok, type Result } from "./result.js";

/**
 * The referral state machine, aligned with FHIR Task as profiled for social-care referrals (Gravity
 * SDOHCC): the centre is the Task's requester, the partner its owner (performer). Every allowed move and
 * the actors who may make it are listed in `REFERRAL_TRANSITIONS`; a move not listed there is illegal.
 *
 * Decisions the table encodes (DOMAIN.md leaves them open):
 * - Only the partner speaks for the work: it accepts or rejects, starts, completes or fails. Only the
 *   centre sends, cancels, or marks a record as entered in error. A partner that cannot go on rejects or
 *   fails the referral (with a reason) rather than cancelling it, so the loop is closed with an outcome.
 * - `accepted → completed` is not allowed: completion means the service was delivered, which FHIR records
 *   as `in-progress` first; a partner reporting in one go sends `in-progress` then `completed`.
 * - `accepted → failed` is allowed (the person never came: `no_show`), as is `on-hold → failed` (the
 *   person could not be reached while the referral waited), so a failure never needs a fake start.
 * - Either side may put an accepted or started referral `on-hold` (the person is in hospital, the partner
 *   paused its intake). Who held it is not tracked: either side may release it back to `accepted`, and only
 *   the partner may move it to `in-progress`, because only the partner knows the work has started.
 * - `entered-in-error` is reachable by the centre from every other status, final ones included, as FHIR
 *   allows: a duplicate or a referral recorded for the wrong person must leave the statistics even after it
 *   was closed. `entered-in-error` itself is terminal.
 */
export const REFERRAL_TRANSITIONS: Readonly<
  Record<ReferralStatus, Readonly<Partial<Record<ReferralStatus, readonly ReferralActor[]>>>>
> = {
  draft: {
    requested: ["centre"],
    cancelled: ["centre"],
    "entered-in-error": ["centre"],
  },
  requested: {
    accepted: ["partner"],
    rejected: ["partner"],
    cancelled: ["centre"],
    "entered-in-error": ["centre"],
  },
  accepted: {
    "in-progress": ["partner"],
    "on-hold": ["centre", "partner"],
    failed: ["partner"],
    cancelled: ["centre"],
    "entered-in-error": ["centre"],
  },
  "in-progress": {
    "on-hold": ["centre", "partner"],
    completed: ["partner"],
    failed: ["partner"],
    cancelled: ["centre"],
    "entered-in-error": ["centre"],
  },
  "on-hold": {
    accepted: ["centre", "partner"],
    "in-progress": ["partner"],
    failed: ["partner"],
    cancelled: ["centre"],
    "entered-in-error": ["centre"],
  },
  rejected: { "entered-in-error": ["centre"] },
  completed: { "entered-in-error": ["centre"] },
  failed: { "entered-in-error": ["centre"] },
  cancelled: { "entered-in-error": ["centre"] },
  "entered-in-error": {},
};

/** Statuses that close a referral: it sets `closedAt`, and only a correction to `entered-in-error` follows. */
export const FINAL_REFERRAL_STATUSES: readonly ReferralStatus[] = [
  "rejected",
  "completed",
  "failed",
  "cancelled",
  "entered-in-error",
];

/** The reasons each status accepts; a status not listed here takes no reason. */
const REASONS_BY_STATUS: Partial<Record<ReferralStatus, readonly StatusReason[]>> = {
  rejected: RejectionReason.options,
  failed: FailureReason.options,
};

/** Why a status change was refused. Each code is stable; `message` is for people, not for branching. */
export type ReferralTransitionError =
  | { readonly code: "already_in_status"; readonly status: ReferralStatus; readonly message: string }
  | { readonly code: "stale"; readonly at: string; readonly updatedAt: string; readonly message: string }
  | {
      readonly code: "illegal_transition";
      readonly from: ReferralStatus;
      readonly to: ReferralStatus;
      readonly message: string;
    }
  | {
      readonly code: "actor_not_allowed";
      readonly from: ReferralStatus;
      readonly to: ReferralStatus;
      readonly actor: ReferralActor;
      readonly allowedActors: readonly ReferralActor[];
      readonly message: string;
    }
  | {
      readonly code: "reason_required";
      readonly status: ReferralStatus;
      readonly allowedReasons: readonly StatusReason[];
      readonly message: string;
    }
  | {
      readonly code: "reason_not_allowed";
      readonly status: ReferralStatus;
      readonly reason: StatusReason;
      readonly allowedReasons: readonly StatusReason[];
      readonly message: string;
    }
  | { readonly code: "consent_required"; readonly message: string };

/** What an applied change produces: the referral as it now stands and the history line to store with it. */
export interface ReferralTransition {
  readonly referral: Referral;
  readonly history: ReferralHistoryEntry;
}

/**
 * Whether a status closes the referral (rejected, completed, failed, cancelled, entered-in-error).
 *
 * @example
 * isFinalStatus("completed"); // true
 * isFinalStatus("on-hold"); // false
 */
export function isFinalStatus(status: ReferralStatus): boolean {
  return FINAL_REFERRAL_STATUSES.includes(status);
}

/**
 * The statuses an actor may move a referral to from `status`, in the order of `ReferralStatus`, read from
 * `REFERRAL_TRANSITIONS`. Use it to offer only the buttons that will work, or to tell a partner's webhook
 * what it may send next.
 *
 * @example
 * allowedTransitions("requested", "partner"); // ["accepted", "rejected"]
 * allowedTransitions("requested", "centre"); // ["cancelled", "entered-in-error"]
 */
export function allowedTransitions(status: ReferralStatus, actor: ReferralActor): ReferralStatus[] {
  const moves = REFERRAL_TRANSITIONS[status];
  return ReferralStatus.options.filter((to) => moves[to]?.includes(actor) ?? false);
}

/**
 * Whether `reason` suits a move to `to`, independently of the referral's current status: `rejected` needs a
 * rejection reason, `failed` a failure reason, any other status none. Returns the error
 * `transitionReferral` would give (`reason_required`, `reason_not_allowed`), or `null`. Lets a receiver
 * refuse a malformed change at once even when the move itself cannot be applied yet.
 *
 * @example
 * statusReasonError("rejected", undefined)?.code; // "reason_required"
 * statusReasonError("accepted", undefined); // null
 */
export function statusReasonError(
  to: ReferralStatus,
  reason: StatusReason | undefined,
): ReferralTransitionError | null {
  return checkReason(to, reason);
}

function checkReason(to: ReferralStatus, reason: StatusReason | undefined): ReferralTransitionError | null {
  const allowedReasons = REASONS_BY_STATUS[to] ?? [];
  if (reason === undefined) {
    if (allowedReasons.length === 0) return null;
    return {
      code: "reason_required",
      status: to,
      allowedReasons,
      message: `Moving to "${to}" needs a reason: ${allowedReasons.join(", ")}`,
    };
  }
  if (allowedReasons.includes(reason)) return null;
  return {
    code: "reason_not_allowed",
    status: to,
    reason,
    allowedReasons,
    message:
      allowedReasons.length === 0
        ? `"${to}" takes no reason`
        : `"${reason}" is not a reason for "${to}"; use one of ${allowedReasons.join(", ")}`,
  };
}

/**
 * Applies a status change to a referral, or says why it cannot. Checks, in this order: a change to the
 * status the referral already has is refused as `already_in_status` (a no-op: a webhook delivered twice
 * lands here, and the caller can answer it as a success without writing); a change dated before the
 * referral's `updatedAt` is refused as `stale` (partners' events can arrive out of order; applying an old
 * one would rewind newer news); then the table (`illegal_transition`, `actor_not_allowed`), the reason
 * (`reason_required` for `rejected` and `failed`, `reason_not_allowed` for a reason of the wrong kind or on
 * any other status) and consent (`consent_required` before `requested`). On success the referral gets the
 * new status, reason and note (replacing the previous ones), the partner's reference if one is given,
 * `requestedAt` on its first sending, `closedAt` when it first reaches a final status (a later correction to
 * `entered-in-error` keeps the original closing date, from which retention counts), `updatedAt = at` and
 * `version + 1`. An invalid `at` is a bug and throws.
 *
 * @example
 * const result = transitionReferral(referral, { status: "rejected", reason: "at_capacity" }, "partner",
 *   new Date("2026-11-28T10:00:00Z"));
 * if (result.ok) save(result.value.referral, result.value.history);
 * else if (result.error.code === "already_in_status") acknowledgeDuplicate();
 */
export function transitionReferral(
  referral: Referral,
  change: ReferralStatusChange,
  actor: ReferralActor,
  at: Date,
): Result<ReferralTransition, ReferralTransitionError> {
  const atTime = at.getTime();
  if (Number.isNaN(atTime)) throw new RangeError("transitionReferral needs a valid date");
  const from = referral.status;
  const to = change.status;

  if (from === to) {
    return err({ code: "already_in_status", status: to, message: `The referral is already "${to}"` });
  }
  if (atTime < Date.parse(referral.updatedAt)) {
    return err({
      code: "stale",
      at: at.toISOString(),
      updatedAt: referral.updatedAt,
      message: `The change is dated ${at.toISOString()}, before the referral's last change at ${referral.updatedAt}`,
    });
  }
  const allowedActors = REFERRAL_TRANSITIONS[from][to];
  if (allowedActors === undefined) {
    return err({
      code: "illegal_transition",
      from,
      to,
      message: `A referral cannot move from "${from}" to "${to}"`,
    });
  }
  if (!allowedActors.includes(actor)) {
    return err({
      code: "actor_not_allowed",
      from,
      to,
      actor,
      allowedActors,
      message: `Only the ${allowedActors.join(" or ")} may move a referral from "${from}" to "${to}"`,
    });
  }
  const reasonError = checkReason(to, change.reason);
  if (reasonError) return err(reasonError);
  if (to === "requested" && referral.consentId === null) {
    return err({
      code: "consent_required",
      message: "Record the person's consent before sending the referral",
    });
  }

  const atIso = at.toISOString();
  const reason = change.reason ?? null;
  const note = change.note ?? null;
  return ok({
    referral: {
      ...referral,
      status: to,
      statusReason: reason,
      statusNote: note,
      partnerReference: change.partnerReference ?? referral.partnerReference,
      requestedAt: to === "requested" ? (referral.requestedAt ?? atIso) : referral.requestedAt,
      closedAt: isFinalStatus(to) ? (referral.closedAt ?? atIso) : referral.closedAt,
      updatedAt: atIso,
      version: referral.version + 1,
    },
    history: { referralId: referral.id, from, to, actor, reason, note, at: atIso },
  });
}

/** How far ahead of the centre's clock a partner's clock may run: the webhook signature's tolerance. */
const PARTNER_CLOCK_AHEAD_MS = 5 * 60_000;

/**
 * When a change made at `now` is dated. A partner's webhook changes are dated by the partner's clock, which
 * may run up to 5 minutes ahead of the centre's: a change made within those minutes is dated at the
 * referral's last change (`lastChange`, its `updatedAt`) rather than refused by {@link transitionReferral}
 * as older than it. Otherwise it is dated `now`.
 *
 * @example
 * referralChangeTime(new Date("2026-11-28T10:00:00Z"), "2026-11-28T10:04:00.000Z").toISOString();
 * // "2026-11-28T10:04:00.000Z" — the partner's clock ran 4 minutes ahead
 * referralChangeTime(new Date("2026-11-28T10:00:00Z"), "2026-11-28T09:00:00.000Z").toISOString();
 * // "2026-11-28T10:00:00.000Z"
 */
export function referralChangeTime(now: Date, lastChange: string): Date {
  const ahead = Date.parse(lastChange) - now.getTime();
  return ahead > 0 && ahead <= PARTNER_CLOCK_AHEAD_MS ? new Date(lastChange) : now;
}
