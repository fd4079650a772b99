import type { Referral, ReferralHistoryEntry, ReferralStatusChange } from "./referral.js";
import { REFERRAL_TRANSITIONS, transitionReferral } from "./referral-lifecycle.js";

/**
 * What became of one partner change in a replay: `applied`; `unchanged` (the referral already had that
 * status); `superseded` (older than what now stands, so it can never apply); `pending` (it cannot apply
 * from the current status, but a partner could still send the missing steps); `refused` (it never can: a
 * status no partner may set, or a missing or wrong reason).
 */
export type PartnerChangeOutcome = "applied" | "unchanged" | "superseded" | "pending" | "refused";

/** A partner's status change as received: when it happened at the partner, and when it reached us. */
export interface PartnerChange extends ReferralStatusChange {
  /** Unique among the changes replayed together (the inbound webhook row's id). */
  readonly id: string;
  /** ISO 8601 instant at the partner; the replay order. */
  readonly occurredAt: string;
  /** ISO 8601 instant of receipt; breaks ties of `occurredAt`, then `id` does. */
  readonly receivedAt: string;
}

/** One applied change: the referral before (`expectedVersion`) and after it, and the history line. */
export interface AppliedPartnerChange {
  readonly changeId: string;
  readonly expectedVersion: number;
  readonly referral: Referral;
  readonly history: ReferralHistoryEntry;
}

/** The result of a replay: the referral as it now stands, the changes applied in order, every outcome. */
export interface PartnerChangeReplay {
  readonly referral: Referral;
  readonly applied: readonly AppliedPartnerChange[];
  readonly outcomes: ReadonlyMap<string, PartnerChangeOutcome>;
}

/** Statuses a partner may ever move a referral to: a change to another one can never apply. */
const PARTNER_TARGETS: ReadonlySet<string> = new Set(
  Object.values(REFERRAL_TRANSITIONS).flatMap((moves) =>
    Object.entries(moves).flatMap(([to, actors]) => (actors?.includes("partner") ? [to] : [])),
  ),
);

function compareChanges(a: PartnerChange, b: PartnerChange): number {
  const byTime = Date.parse(a.occurredAt) - Date.parse(b.occurredAt);
  if (byTime !== 0) return byTime;
  return a.receivedAt < b.receivedAt
    ? -1
    : a.receivedAt > b.receivedAt
      ? 1
      : a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0;
}

/**
 * Replays a partner's status changes on a referral in the order they happened at the partner
 * (`occurredAt`, then receipt, then id), whatever order they arrived in: partners' webhooks come out of
 * order, so a change that cannot apply yet (`accepted → completed` before `in-progress` arrived) waits as
 * `pending` and applies when the missing step comes. Each change goes through {@link transitionReferral}
 * as the partner, so the referral never reaches a state the lifecycle forbids; a pending change older than
 * the referral's last change is `superseded`. Pure: the caller stores the applied changes (each with the
 * version it expects, for optimistic concurrency) and the outcomes, and replays again with whatever is
 * still pending when the next change arrives.
 *
 * @example
 * const replay = replayPartnerChanges(referral, [
 *   { id: "w2", status: "completed", occurredAt: "2026-11-28T12:00:00Z", receivedAt: "2026-11-28T12:00:01Z" },
 *   { id: "w1", status: "in-progress", occurredAt: "2026-11-28T11:00:00Z", receivedAt: "2026-11-28T12:00:02Z" },
 * ]);
 * replay.referral.status; // "completed" (from "accepted": w1, then w2)
 * replay.outcomes.get("w2"); // "applied"
 */
export function replayPartnerChanges(
  referral: Referral,
  changes: readonly PartnerChange[],
): PartnerChangeReplay {
  const queue = [...changes].sort(compareChanges);
  let current = referral;
  const applied: AppliedPartnerChange[] = [];
  const outcomes = new Map<string, PartnerChangeOutcome>();
  for (const change of queue) {
    const { status, reason, note, partnerReference } = change;
    const result = transitionReferral(
      current,
      {
        status,
        ...(reason === undefined ? {} : { reason }),
        ...(note === undefined ? {} : { note }),
        ...(partnerReference === undefined ? {} : { partnerReference }),
      },
      "partner",
      new Date(change.occurredAt),
    );
    if (result.ok) {
      applied.push({
        changeId: change.id,
        expectedVersion: current.version,
        referral: result.value.referral,
        history: result.value.history,
      });
      current = result.value.referral;
      outcomes.set(change.id, "applied");
      continue;
    }
    switch (result.error.code) {
      case "already_in_status":
        outcomes.set(change.id, "unchanged");
        break;
      case "stale":
        outcomes.set(change.id, "superseded");
        break;
      case "illegal_transition":
      case "actor_not_allowed":
        outcomes.set(change.id, PARTNER_TARGETS.has(status) ? "pending" : "refused");
        break;
      default:
        outcomes.set(change.id, "refused");
    }
  }
  // A change still waiting but older than what now stands can never apply.
  const standing = Date.parse(current.updatedAt);
  for (const change of queue) {
    if (outcomes.get(change.id) === "pending" && Date.parse(change.occurredAt) < standing) {
      outcomes.set(change.id, "superseded");
    }
  }
  return { referral: current, applied, outcomes };
}
