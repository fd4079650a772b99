import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  FailureReason,
  type Referral,
  type ReferralActor,
  ReferralStatus,
  RejectionReason,
} from "./referral.js";
import {
  allowedTransitions,
  FINAL_REFERRAL_STATUSES,
  isFinalStatus,
  REFERRAL_TRANSITIONS,
  referralChangeTime,
  statusReasonError,
  transitionReferral,
} from "./referral-lifecycle.js";

const T0 = "2026-11-28T08:00:00.000Z";
const LATER = new Date("2026-11-28T10:00:00.000Z");
const ACTORS: readonly ReferralActor[] = ["centre", "partner"];
const STATUSES = ReferralStatus.options;

function referral(overrides: Partial<Referral> = {}): Referral {
  return {
    id: "ref_1",
    createdAt: T0,
    updatedAt: T0,
    centreId: "halte",
    partnerId: "fta",
    serviceId: null,
    need: "asylum_procedure",
    note: null,
    status: "draft",
    statusReason: null,
    statusNote: null,
    partnerReference: null,
    contact: null,
    consentId: "consent_1",
    ageBand: null,
    gender: null,
    languages: [],
    requestedAt: null,
    closedAt: null,
    erasedAt: null,
    version: 0,
    ...overrides,
  };
}

// A reason that fits the target status, so the matrix test checks the table and nothing else.
function fittingReason(to: ReferralStatus) {
  if (to === "rejected") return "at_capacity" as const;
  if (to === "failed") return "no_show" as const;
  return undefined;
}

describe("the transition table against DOMAIN.md", () => {
  // The moves DOMAIN.md and FHIR Task name, written out by hand so a slip in the table shows up here.
  const expected: ReadonlyArray<readonly [ReferralStatus, ReferralStatus, readonly ReferralActor[]]> = [
    ["draft", "requested", ["centre"]],
    ["draft", "cancelled", ["centre"]],
    ["draft", "entered-in-error", ["centre"]],
    ["requested", "accepted", ["partner"]],
    ["requested", "rejected", ["partner"]],
    ["requested", "cancelled", ["centre"]],
    ["requested", "entered-in-error", ["centre"]],
    ["accepted", "in-progress", ["partner"]],
    ["accepted", "on-hold", ["centre", "partner"]],
    ["accepted", "failed", ["partner"]],
    ["accepted", "cancelled", ["centre"]],
    ["accepted", "entered-in-error", ["centre"]],
    ["in-progress", "completed", ["partner"]],
    ["in-progress", "failed", ["partner"]],
    ["in-progress", "on-hold", ["centre", "partner"]],
    ["in-progress", "cancelled", ["centre"]],
    ["in-progress", "entered-in-error", ["centre"]],
    ["on-hold", "accepted", ["centre", "partner"]],
    ["on-hold", "in-progress", ["partner"]],
    ["on-hold", "failed", ["partner"]],
    ["on-hold", "cancelled", ["centre"]],
    ["on-hold", "entered-in-error", ["centre"]],
    ["rejected", "entered-in-error", ["centre"]],
    ["completed", "entered-in-error", ["centre"]],
    ["failed", "entered-in-error", ["centre"]],
    ["cancelled", "entered-in-error", ["centre"]],
  ];

  it.each(expected)("%s → %s is made by %j", (from, to, actors) => {
    expect([...(REFERRAL_TRANSITIONS[from][to] ?? [])].sort()).toEqual([...actors].sort());
  });

  it("lists no move beyond those", () => {
    const listed = STATUSES.flatMap((from) =>
      STATUSES.filter((to) => REFERRAL_TRANSITIONS[from][to] !== undefined).map((to) => `${from}→${to}`),
    );
    expect(listed.sort()).toEqual(expected.map(([from, to]) => `${from}→${to}`).sort());
  });

  it("keeps the moves DOMAIN.md rules out", () => {
    expect(REFERRAL_TRANSITIONS.draft.accepted).toBeUndefined();
    expect(REFERRAL_TRANSITIONS.requested["in-progress"]).toBeUndefined();
    expect(REFERRAL_TRANSITIONS.accepted.completed).toBeUndefined();
    expect(REFERRAL_TRANSITIONS.completed["in-progress"]).toBeUndefined();
    expect(REFERRAL_TRANSITIONS["entered-in-error"]).toEqual({});
    // The partner never cancels: it rejects or fails with a reason.
    for (const from of STATUSES) expect(REFERRAL_TRANSITIONS[from].cancelled ?? []).not.toContain("partner");
  });

  it("says which statuses are final", () => {
    expect(STATUSES.filter(isFinalStatus)).toEqual([
      "rejected",
      "completed",
      "failed",
      "cancelled",
      "entered-in-error",
    ]);
    expect(FINAL_REFERRAL_STATUSES.every(isFinalStatus)).toBe(true);
  });

  it("lists what each actor may do next", () => {
    expect(allowedTransitions("requested", "partner")).toEqual(["accepted", "rejected"]);
    expect(allowedTransitions("requested", "centre")).toEqual(["cancelled", "entered-in-error"]);
    expect(allowedTransitions("completed", "partner")).toEqual([]);
    expect(allowedTransitions("entered-in-error", "centre")).toEqual([]);
  });
});

describe("transitionReferral over the whole matrix", () => {
  const cases = STATUSES.flatMap((from) =>
    STATUSES.flatMap((to) => ACTORS.map((actor) => ({ from, to, actor }))),
  );

  it("covers 10 × 10 × 2 cases", () => {
    expect(cases).toHaveLength(200);
  });

  it.each(cases)("$from → $to by $actor follows the table", ({ from, to, actor }) => {
    const result = transitionReferral(
      referral({ status: from }),
      { status: to, reason: fittingReason(to) },
      actor,
      LATER,
    );
    const actors = REFERRAL_TRANSITIONS[from][to];
    if (from === to) {
      expect(result).toMatchObject({ ok: false, error: { code: "already_in_status", status: to } });
    } else if (actors === undefined) {
      expect(result).toMatchObject({ ok: false, error: { code: "illegal_transition", from, to } });
    } else if (!actors.includes(actor)) {
      expect(result).toMatchObject({
        ok: false,
        error: { code: "actor_not_allowed", actor, allowedActors: actors },
      });
    } else {
      expect(result.ok).toBe(true);
      expect(allowedTransitions(from, actor)).toContain(to);
    }
  });
});

describe("transitionReferral", () => {
  it("sends a draft, stamping requestedAt, updatedAt and the version", () => {
    const result = transitionReferral(
      referral(),
      { status: "requested", note: "Needs a bed tonight" },
      "centre",
      LATER,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        referral: referral({
          status: "requested",
          statusNote: "Needs a bed tonight",
          requestedAt: LATER.toISOString(),
          updatedAt: LATER.toISOString(),
          version: 1,
        }),
        history: {
          referralId: "ref_1",
          from: "draft",
          to: "requested",
          actor: "centre",
          reason: null,
          note: "Needs a bed tonight",
          at: LATER.toISOString(),
        },
      },
    });
  });

  it("keeps the partner's reference and replaces the previous reason and note", () => {
    const start = referral({ status: "requested", statusNote: "old note", requestedAt: T0 });
    const result = transitionReferral(
      start,
      { status: "accepted", partnerReference: "FTA-2026-118" },
      "partner",
      LATER,
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.referral).toMatchObject({
      partnerReference: "FTA-2026-118",
      statusNote: null,
      statusReason: null,
      requestedAt: T0,
      closedAt: null,
    });
    const next = transitionReferral(result.value.referral, { status: "in-progress" }, "partner", LATER);
    expect(next.ok && next.value.referral.partnerReference).toBe("FTA-2026-118");
  });

  it("closes a referral on a final status and keeps the first closing date on a later correction", () => {
    const closed = transitionReferral(
      referral({ status: "in-progress", requestedAt: T0 }),
      { status: "completed" },
      "partner",
      LATER,
    );
    if (!closed.ok) throw new Error(closed.error.message);
    expect(closed.value.referral.closedAt).toBe(LATER.toISOString());
    const corrected = transitionReferral(
      closed.value.referral,
      { status: "entered-in-error", note: "Duplicate of ref_0" },
      "centre",
      new Date("2026-12-01T09:00:00Z"),
    );
    expect(corrected.ok && corrected.value.referral).toMatchObject({
      status: "entered-in-error",
      closedAt: LATER.toISOString(),
      version: 2,
    });
  });

  describe("reasons", () => {
    it.each([
      ["rejected", "requested"],
      ["failed", "in-progress"],
    ] as const)("refuses %s without a reason", (to, from) => {
      const actual = transitionReferral(referral({ status: from }), { status: to }, "partner", LATER);
      expect(actual).toMatchObject({ ok: false, error: { code: "reason_required", status: to } });
    });

    it.each(RejectionReason.options)("accepts the rejection reason %s and stores it", (reason) => {
      const actual = transitionReferral(
        referral({ status: "requested" }),
        { status: "rejected", reason },
        "partner",
        LATER,
      );
      expect(actual.ok && actual.value.referral.statusReason).toBe(reason);
      expect(actual.ok && actual.value.history.reason).toBe(reason);
    });

    it.each(FailureReason.options)("accepts the failure reason %s", (reason) => {
      const actual = transitionReferral(
        referral({ status: "in-progress" }),
        { status: "failed", reason },
        "partner",
        LATER,
      );
      expect(actual.ok).toBe(true);
    });

    it("refuses a failure reason on a rejection and the other way round", () => {
      const rejected = transitionReferral(
        referral({ status: "requested" }),
        { status: "rejected", reason: "no_show" },
        "partner",
        LATER,
      );
      expect(rejected).toMatchObject({
        ok: false,
        error: { code: "reason_not_allowed", reason: "no_show", allowedReasons: RejectionReason.options },
      });
      const failed = transitionReferral(
        referral({ status: "accepted" }),
        { status: "failed", reason: "at_capacity" },
        "partner",
        LATER,
      );
      expect(failed).toMatchObject({
        ok: false,
        error: { code: "reason_not_allowed", reason: "at_capacity" },
      });
    });

    it("refuses a reason on a status that takes none", () => {
      const actual = transitionReferral(
        referral({ status: "requested" }),
        { status: "accepted", reason: "other" },
        "partner",
        LATER,
      );
      expect(actual).toMatchObject({ ok: false, error: { code: "reason_not_allowed", allowedReasons: [] } });
    });
  });

  describe("consent", () => {
    it("refuses to send a referral without recorded consent", () => {
      const actual = transitionReferral(
        referral({ consentId: null }),
        { status: "requested" },
        "centre",
        LATER,
      );
      expect(actual).toMatchObject({ ok: false, error: { code: "consent_required" } });
    });

    it("lets a draft without consent be cancelled", () => {
      const actual = transitionReferral(
        referral({ consentId: null }),
        { status: "cancelled" },
        "centre",
        LATER,
      );
      expect(actual.ok).toBe(true);
    });
  });

  describe("duplicates and out-of-order changes", () => {
    it("answers a repeated change with already_in_status, even when it is dated earlier", () => {
      const accepted = referral({ status: "accepted", updatedAt: LATER.toISOString(), version: 2 });
      for (const at of [LATER, new Date(T0)]) {
        expect(transitionReferral(accepted, { status: "accepted" }, "partner", at)).toMatchObject({
          ok: false,
          error: { code: "already_in_status", status: "accepted" },
        });
      }
    });

    it("refuses a change dated before the last one as stale", () => {
      const inProgress = referral({ status: "in-progress", updatedAt: LATER.toISOString() });
      const actual = transitionReferral(inProgress, { status: "completed" }, "partner", new Date(T0));
      expect(actual).toMatchObject({ ok: false, error: { code: "stale", updatedAt: LATER.toISOString() } });
    });

    it("accepts a change at the very instant of the last one", () => {
      const requested = referral({ status: "requested", updatedAt: LATER.toISOString() });
      expect(transitionReferral(requested, { status: "accepted" }, "partner", LATER).ok).toBe(true);
    });

    it("throws on an invalid date, which is a bug", () => {
      expect(() =>
        transitionReferral(referral(), { status: "requested" }, "centre", new Date("nope")),
      ).toThrow(RangeError);
    });
  });
});

describe("transitionReferral properties", () => {
  const step = fc.record({
    guided: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
    pick: fc.nat(),
    status: fc.constantFrom(...STATUSES),
    actor: fc.constantFrom(...ACTORS),
    reason: fc.option(fc.constantFrom(...new Set([...RejectionReason.options, ...FailureReason.options])), {
      nil: undefined,
    }),
    minutesLater: fc.integer({ min: -30, max: 120 }),
  });

  // Most steps are guided to a move the table allows, preferring moves that keep the referral open, so
  // runs reach deep into the lifecycle instead of bouncing off illegal moves from draft or closing at once;
  // the other steps are anything at all, legal or not.
  function guidedMove(status: ReferralStatus, pick: number) {
    const moves = ACTORS.flatMap((actor) => allowedTransitions(status, actor).map((to) => ({ actor, to })));
    const open = moves.filter((move) => !isFinalStatus(move.to));
    const pool = pick % 4 !== 0 && open.length > 0 ? open : moves;
    return pool[Math.floor(pick / 4) % Math.max(pool.length, 1)];
  }

  it("never leaves the table, closes for good, and counts every applied change once", () => {
    const reached = new Set<ReferralStatus>();
    fc.assert(
      fc.property(fc.boolean(), fc.array(step, { maxLength: 30, size: "max" }), (hasConsent, steps) => {
        let current = referral({ consentId: hasConsent ? "consent_1" : null });
        let clock = Date.parse(T0);
        for (const { guided, pick, minutesLater, ...random } of steps) {
          clock += minutesLater * 60_000;
          const move = guided ? guidedMove(current.status, pick) : undefined;
          const status = move?.to ?? random.status;
          const actor = move?.actor ?? random.actor;
          const reason = move ? fittingReason(status) : random.reason;
          const before = current;
          const result = transitionReferral(before, { status, reason }, actor, new Date(clock));
          if (!result.ok) continue;
          const { referral: after, history } = result.value;
          reached.add(after.status);
          expect(REFERRAL_TRANSITIONS[before.status][after.status]).toContain(actor);
          expect(history.from).toBe(before.status);
          expect(history.to).toBe(after.status);
          expect(after.version).toBe(before.version + 1);
          expect(Date.parse(after.updatedAt)).toBeGreaterThanOrEqual(Date.parse(before.updatedAt));
          if (isFinalStatus(before.status)) expect(after.status).toBe("entered-in-error");
          if (after.status === "requested") expect(after.consentId).not.toBeNull();
          expect(after.closedAt !== null).toBe(isFinalStatus(after.status));
          expect(after.statusReason !== null).toBe(after.status === "rejected" || after.status === "failed");
          current = after;
        }
        // Without consent a referral is never sent, so it never has a requestedAt.
        if (!hasConsent) expect(current.requestedAt).toBeNull();
      }),
      // 2,000 walks: with 500, a CI run once reached no `completed` (only the partner sets it, after
      // acceptance and work in progress), and the coverage check below failed.
      { numRuns: 2000 },
    );
    // The walks must really cover the whole machine, or the property above proves little.
    expect([...reached].sort()).toEqual(STATUSES.filter((s) => s !== "draft").sort());
  });
});

describe("statusReasonError", () => {
  it.each([
    ["rejected", undefined, "reason_required"],
    ["rejected", "at_capacity", null],
    ["rejected", "no_show", "reason_not_allowed"],
    ["failed", "no_show", null],
    ["accepted", undefined, null],
    ["accepted", "at_capacity", "reason_not_allowed"],
  ] as const)("%s with reason %s → %s", (status, reason, code) => {
    expect(statusReasonError(status, reason)?.code ?? null).toBe(code);
  });
});

describe("referralChangeTime", () => {
  const now = new Date("2026-11-28T10:00:00.000Z");
  it.each([
    ["2026-11-28T09:00:00.000Z", "2026-11-28T10:00:00.000Z"],
    ["2026-11-28T10:00:00.000Z", "2026-11-28T10:00:00.000Z"],
    ["2026-11-28T10:04:00.000Z", "2026-11-28T10:04:00.000Z"],
    ["2026-11-28T10:05:00.000Z", "2026-11-28T10:05:00.000Z"],
    ["2026-11-28T10:05:00.001Z", "2026-11-28T10:00:00.000Z"],
  ])("after a last change at %s, dates a change made at 10:00 at %s", (lastChange, expected) => {
    expect(referralChangeTime(now, lastChange).toISOString()).toBe(expected);
  });

  it("lets the centre's change through right after a partner's change dated 4 minutes ahead", () => {
    const requested = referral({ status: "requested", requestedAt: T0 });
    const accepted = transitionReferral(
      requested,
      { status: "accepted" },
      "partner",
      new Date("2026-11-28T10:04:00Z"),
    );
    if (!accepted.ok) throw new Error(accepted.error.message);
    const at = referralChangeTime(now, accepted.value.referral.updatedAt);
    expect(transitionReferral(accepted.value.referral, { status: "on-hold" }, "centre", at).ok).toBe(true);
    expect(transitionReferral(accepted.value.referral, { status: "on-hold" }, "centre", now).ok).toBe(false);
  });
});
