import { describe, expect, it } from "vitest";
import { CentreInput } from "./centre.js";
import { EventInput } from "./event.js";
import { LessonInput } from "./lesson.js";
import { PartnerInput } from "./partner.js";
import { ReferralInput } from "./referral.js";
import { ServiceInput } from "./service.js";
import { ServiceUseInput } from "./service-use.js";
import { type FieldError, validate } from "./validation.js";
import { VisitBatchInput, VisitInput } from "./visit.js";

const paris = {
  timeZone: "Europe/Paris",
  weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: "08:00", closesAt: "19:00" })),
  exceptions: [],
};

function fieldErrors(result: ReturnType<typeof validate>): Array<Pick<FieldError, "path" | "code">> {
  if (result.ok) throw new Error("expected a validation failure");
  return result.error.errors.map(({ path, code }) => ({ path, code }));
}

describe("the door asks for nothing but the centre and the time", () => {
  it("accepts a visit with only centreId and arrivedAt", () => {
    const result = validate(VisitInput, { centreId: "halte", arrivedAt: "2026-11-28T08:03:00+01:00" });
    expect(result).toEqual({
      ok: true,
      value: { centreId: "halte", arrivedAt: "2026-11-28T08:03:00+01:00" },
    });
  });

  it("accepts every optional detail when the person chooses to give it", () => {
    const result = validate(VisitInput, {
      centreId: "halte",
      arrivedAt: "2026-11-28T07:03:00Z",
      visitorCode: "A-0042",
      ageBand: "18-59",
      gender: "other",
      languages: ["prs", "ps"],
      firstVisit: true,
      uses: [{ serviceId: "shower" }, { serviceId: "cafe", quantity: 2 }],
      idempotencyKey: "tablet-1:0001",
    });
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(result.value.uses).toEqual([
        { serviceId: "shower", quantity: 1 },
        { serviceId: "cafe", quantity: 2 },
      ]);
  });

  it.each([
    ["missing centre", { arrivedAt: "2026-11-28T08:00:00Z" }, [{ path: ["centreId"], code: "required" }]],
    ["missing time", { centreId: "halte" }, [{ path: ["arrivedAt"], code: "required" }]],
    [
      "a time without offset is ambiguous",
      { centreId: "halte", arrivedAt: "2026-11-28T08:00:00" },
      [{ path: ["arrivedAt"], code: "invalid_format" }],
    ],
    [
      "an age that is not one of the bands",
      { centreId: "halte", arrivedAt: "2026-11-28T08:00:00Z", ageBand: "25" },
      [{ path: ["ageBand"], code: "invalid_value" }],
    ],
    [
      "a language name instead of a code",
      { centreId: "halte", arrivedAt: "2026-11-28T08:00:00Z", languages: ["Dari"] },
      [{ path: ["languages", 0], code: "invalid_format" }],
    ],
    [
      "a card code of punctuation only",
      { centreId: "halte", arrivedAt: "2026-11-28T08:00:00Z", visitorCode: "--" },
      [{ path: ["visitorCode"], code: "invalid_format" }],
    ],
    [
      "a name field the door must never collect",
      { centreId: "halte", arrivedAt: "2026-11-28T08:00:00Z", name: "Ahmad" },
      [{ path: ["name"], code: "unknown_field" }],
    ],
    [
      "a zero quantity",
      { centreId: "halte", arrivedAt: "2026-11-28T08:00:00Z", uses: [{ serviceId: "shower", quantity: 0 }] },
      [{ path: ["uses", 0, "quantity"], code: "too_small" }],
    ],
    [
      "a text where a flag is expected",
      { centreId: "halte", arrivedAt: "2026-11-28T08:00:00Z", firstVisit: "yes" },
      [{ path: ["firstVisit"], code: "invalid_type" }],
    ],
  ])("refuses %s with a stable code and path", (_name, input, expected) => {
    expect(fieldErrors(validate(VisitInput, input))).toEqual(expected);
  });

  it("requires an idempotency key on every visit of a batch so a retry never doubles", () => {
    const errors = fieldErrors(
      validate(VisitBatchInput, {
        visits: [
          { centreId: "halte", arrivedAt: "2026-11-28T08:00:00Z", idempotencyKey: "tablet-1:0001" },
          { centreId: "halte", arrivedAt: "2026-11-28T08:01:00Z" },
        ],
      }),
    );
    expect(errors).toEqual([{ path: ["visits", 1, "idempotencyKey"], code: "required" }]);
  });

  it("refuses a batch over 1,000 visits", () => {
    const visit = { centreId: "halte", arrivedAt: "2026-11-28T08:00:00Z", idempotencyKey: "k-000000" };
    const errors = fieldErrors(
      validate(VisitBatchInput, { visits: Array.from({ length: 1001 }, () => visit) }),
    );
    expect(errors).toEqual([{ path: ["visits"], code: "too_big" }]);
  });
});

describe("referrals keep people anonymous unless they consent", () => {
  const base = { centreId: "halte", partnerId: "samu-social", need: "accommodation" };
  const consent = { givenAt: "2026-11-28T09:00:00Z", method: "verbal", scopes: ["store_contact"] };

  it("accepts an anonymous draft", () => {
    expect(validate(ReferralInput, base).ok).toBe(true);
  });

  it("refuses a contact detail without consent to store it", () => {
    expect(
      fieldErrors(validate(ReferralInput, { ...base, contact: { phone: "+33 6 12 34 56 78" } })),
    ).toEqual([{ path: ["consent"], code: "invalid" }]);
  });

  it("accepts a contact detail with consent", () => {
    expect(validate(ReferralInput, { ...base, contact: { phone: "+33 6 12 34 56 78" }, consent }).ok).toBe(
      true,
    );
  });

  it("refuses to send a referral before consent is recorded", () => {
    expect(fieldErrors(validate(ReferralInput, { ...base, send: true }))).toEqual([
      { path: ["consent"], code: "invalid" },
    ]);
  });

  it("refuses an empty contact", () => {
    expect(validate(ReferralInput, { ...base, contact: {}, consent }).ok).toBe(false);
  });
});

describe("coordinators' records", () => {
  it("defaults the disclosure threshold to 5 and refuses one below 3", () => {
    const centre = {
      name: "La Halte de Jour",
      slug: "halte-de-jour",
      openingHours: paris,
      dailyCapacity: 100,
    };
    const accepted = validate(CentreInput, centre);
    expect(accepted.ok && accepted.value.disclosureThreshold).toBe(5);
    expect(accepted.ok && accepted.value.retentionMonths).toBe(24);
    expect(fieldErrors(validate(CentreInput, { ...centre, disclosureThreshold: 2 }))).toEqual([
      { path: ["disclosureThreshold"], code: "too_small" },
    ]);
  });

  it("keeps HSDS statuses, including the one with a space", () => {
    const service = {
      organizationId: "armee-du-salut",
      name: "Douches",
      category: "hygiene",
      status: "temporarily closed",
      languages: ["fr", "en"],
      schedule: paris,
    };
    expect(validate(ServiceInput, service).ok).toBe(true);
    expect(fieldErrors(validate(ServiceInput, { ...service, status: "closed" }))).toEqual([
      { path: ["status"], code: "invalid_value" },
    ]);
  });

  it("requires at least one role for a partner", () => {
    expect(fieldErrors(validate(PartnerInput, { name: "Aurore", roles: [] }))).toEqual([
      { path: ["roles"], code: "too_small" },
    ]);
  });

  it("refuses an event that ends before it starts", () => {
    const event = { centreId: "halte", kind: "camp_evacuation", title: "Évacuation", startsOn: "2026-11-10" };
    expect(validate(EventInput, { ...event, endsOn: "2026-11-10" }).ok).toBe(true);
    expect(fieldErrors(validate(EventInput, { ...event, endsOn: "2026-11-09" }))).toEqual([
      { path: ["endsOn"], code: "invalid" },
    ]);
  });

  it("refuses a CHS commitment outside 1–9 and a repeated one", () => {
    const lesson = {
      centreId: "halte",
      type: "good_practice",
      theme: "coordination",
      title: "Weekly partner meeting",
      statement: {
        context: "a centre with twelve partners",
        situation: "each partner kept its own schedule",
        result: "people were sent to closed desks",
        cause: "no shared timetable existed",
        recommendation: "hold a weekly meeting and publish one timetable",
      },
      contributors: ["centre_team", "partners"],
      periodStart: "2019-05-31",
      periodEnd: "2020-05-31",
    };
    expect(validate(LessonInput, { ...lesson, chsCommitments: [3, 4] }).ok).toBe(true);
    expect(fieldErrors(validate(LessonInput, { ...lesson, chsCommitments: [10] }))).toEqual([
      { path: ["chsCommitments", 0], code: "too_big" },
    ]);
    expect(fieldErrors(validate(LessonInput, { ...lesson, chsCommitments: [4, 4] }))).toEqual([
      { path: ["chsCommitments"], code: "invalid" },
    ]);
  });

  it("defaults a service use to one, from the door", () => {
    const result = validate(ServiceUseInput, {
      centreId: "halte",
      serviceId: "shower",
      usedAt: "2026-11-28T09:00:00Z",
    });
    expect(result.ok && result.value).toMatchObject({ quantity: 1, source: "door" });
  });
});
