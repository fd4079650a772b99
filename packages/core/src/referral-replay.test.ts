import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Referral, ReferralStatus } from "./referral.js";
import { REFERRAL_TRANSITIONS } from "./referral-lifecycle.js";
import { type PartnerChange, replayPartnerChanges } from "./referral-replay.js";

const T0 = Date.parse("2026-11-28T08:00:00.000Z");

function referral(overrides: Partial<Referral> = {}): Referral {
  return {
    id: "ref_1",
    createdAt: new Date(T0).toISOString(),
    updatedAt: new Date(T0).toISOString(),
    centreId: "halte",
    partnerId: "fta",
    serviceId: null,
    need: "asylum_procedure",
    note: null,
    status: "requested",
    statusReason: null,
    statusNote: null,
    partnerReference: null,
    contact: null,
    consentId: "consent_1",
    ageBand: null,
    gender: null,
    languages: [],
    requestedAt: new Date(T0).toISOString(),
    closedAt: null,
    erasedAt: null,
    version: 1,
    ...overrides,
  };
}

function change(
  id: string,
  status: ReferralStatus,
  minutes: number,
  extra: Partial<PartnerChange> = {},
): PartnerChange {
  const at = new Date(T0 + minutes * 60_000).toISOString();
  return { id, status, occurredAt: at, receivedAt: new Date(T0 + 86_400_000).toISOString(), ...extra };
}

describe("replayPartnerChanges, by example", () => {
  it.each<[string, ReferralStatus, PartnerChange[], ReferralStatus, Record<string, string>]>([
    [
      "applies a step that arrived before the one it needs",
      "accepted",
      [change("w2", "completed", 20), change("w1", "in-progress", 10)],
      "completed",
      { w1: "applied", w2: "applied" },
    ],
    [
      "keeps a change waiting while its missing step has not come",
      "accepted",
      [change("w2", "completed", 20)],
      "accepted",
      { w2: "pending" },
    ],
    [
      "answers a repeat of the current status as unchanged",
      "accepted",
      [change("w1", "accepted", 10)],
      "accepted",
      { w1: "unchanged" },
    ],
    [
      "supersedes a change older than the referral's last one",
      "accepted",
      [change("w1", "in-progress", -10)],
      "accepted",
      { w1: "superseded" },
    ],
    [
      "refuses a status no partner may ever set",
      "accepted",
      [change("w1", "cancelled", 10)],
      "accepted",
      { w1: "refused" },
    ],
    [
      "refuses a rejection without a reason",
      "requested",
      [change("w1", "rejected", 10)],
      "requested",
      { w1: "refused" },
    ],
    [
      "supersedes what still waits once a later change stands",
      "requested",
      [change("w1", "completed", 10), change("w2", "rejected", 20, { reason: "at_capacity" })],
      "rejected",
      { w1: "superseded", w2: "applied" },
    ],
  ])("%s", (_, from, changes, to, outcomes) => {
    const replay = replayPartnerChanges(referral({ status: from }), changes);
    expect(replay.referral.status).toBe(to);
    expect(Object.fromEntries(replay.outcomes)).toEqual(outcomes);
  });

  it("leaves the referral as it was when nothing applies, and changes no input", () => {
    const before = referral({ status: "accepted" });
    const frozen = structuredClone(before);
    const replay = replayPartnerChanges(before, [change("w1", "completed", 5)]);
    expect(replay.referral).toBe(before);
    expect(replay.applied).toEqual([]);
    expect(before).toEqual(frozen);
  });
});

const START_STATUSES: readonly ReferralStatus[] = ["requested", "accepted", "in-progress", "on-hold"];

/** A referral and a set of partner changes at distinct instants, some with fitting reasons, some not. */
const scenario = fc
  .record({
    start: fc.constantFrom(...START_STATUSES),
    changes: fc.uniqueArray(
      fc.record({
        minutes: fc.integer({ min: -30, max: 300 }),
        status: fc.constantFrom(...ReferralStatus.options),
        withReason: fc.boolean(),
      }),
      { minLength: 0, maxLength: 8, selector: (c) => c.minutes },
    ),
  })
  .map(({ start, changes }) => ({
    referral: referral({ status: start }),
    changes: changes.map(({ minutes, status, withReason }, index) =>
      change(`w${index}`, status, minutes, {
        receivedAt: new Date(T0 + (300 - index) * 60_000).toISOString(),
        ...(withReason && status === "rejected" ? { reason: "at_capacity" as const } : {}),
        ...(withReason && status === "failed" ? { reason: "no_show" as const } : {}),
      }),
    ),
  }));

describe("replayPartnerChanges, properties", () => {
  it("gives the same referral, steps and outcomes whatever order the changes arrived in", () => {
    fc.assert(
      fc.property(
        scenario.chain((s) =>
          fc.tuple(fc.constant(s), fc.shuffledSubarray(s.changes, { minLength: s.changes.length })),
        ),
        ([{ referral: start, changes }, shuffled]) => {
          const inOrder = replayPartnerChanges(start, changes);
          const arrived = replayPartnerChanges(start, shuffled);
          expect(arrived.referral).toEqual(inOrder.referral);
          expect(arrived.applied).toEqual(inOrder.applied);
          expect(new Map([...arrived.outcomes].sort())).toEqual(new Map([...inOrder.outcomes].sort()));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("never reaches an illegal state: every step is a partner's legal move, in time order, one version at a time", () => {
    fc.assert(
      fc.property(scenario, ({ referral: start, changes }) => {
        const replay = replayPartnerChanges(start, changes);
        let current = start;
        for (const step of replay.applied) {
          expect(step.expectedVersion).toBe(current.version);
          expect(step.referral.version).toBe(current.version + 1);
          expect(REFERRAL_TRANSITIONS[current.status][step.referral.status]).toContain("partner");
          expect(Date.parse(step.referral.updatedAt)).toBeGreaterThanOrEqual(Date.parse(current.updatedAt));
          expect(step.history).toMatchObject({
            from: current.status,
            to: step.referral.status,
            actor: "partner",
          });
          if (step.referral.status === "rejected" || step.referral.status === "failed") {
            expect(step.referral.statusReason).not.toBeNull();
          }
          current = step.referral;
        }
        expect(replay.referral).toEqual(current);
        expect(replay.outcomes.size).toBe(changes.length);
        const appliedIds = new Set(replay.applied.map((step) => step.changeId));
        for (const [id, outcome] of replay.outcomes) expect(outcome === "applied").toBe(appliedIds.has(id));
        // Whatever still waits could yet apply: it is not older than what now stands.
        for (const c of changes) {
          if (replay.outcomes.get(c.id) === "pending") {
            expect(Date.parse(c.occurredAt)).toBeGreaterThanOrEqual(Date.parse(replay.referral.updatedAt));
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
