import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  capacityOn,
  dailyCapacities,
  isOpen,
  nextOpening,
  openingStatus,
  openingsOn,
  Schedule,
  ScheduleException,
  slotsOn,
} from "./schedule.js";
import { validate } from "./validation.js";
import { addDays } from "./zoned-time.js";

const HOUR = 3_600_000;
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7];

/** La Halte: every day 08:00–19:00, 100 people a day, closed at Christmas, a cold-snap night on 31 December. */
const halte = Schedule.parse({
  timeZone: "Europe/Paris",
  weekly: EVERY_DAY.map((weekday) => ({ weekday, opensAt: "08:00", closesAt: "19:00" })),
  exceptions: [
    { date: "2026-12-25", kind: "closed", reason: "Christmas" },
    { date: "2026-12-31", kind: "open", slots: [{ opensAt: "20:00", closesAt: "24:00", capacity: 40 }] },
  ],
  dailyCapacity: 100,
});

/** A legal clinic: weekdays, two sessions a day, 6 appointments each; Monday 2026-12-07 off. */
const clinic = Schedule.parse({
  timeZone: "Europe/Paris",
  weekly: [1, 2, 3, 4, 5].flatMap((weekday) => [
    { weekday, opensAt: "14:00", closesAt: "17:00", capacity: 6 },
    { weekday, opensAt: "09:00", closesAt: "12:00", capacity: 6 },
  ]),
  exceptions: [{ date: "2026-12-07", kind: "closed" }],
});

/** A night shelter: 20:00 to 08:00, written as two slots either side of midnight. */
const shelter = Schedule.parse({
  timeZone: "Europe/Paris",
  weekly: EVERY_DAY.flatMap((weekday) => [
    { weekday, opensAt: "00:00", closesAt: "08:00" },
    { weekday, opensAt: "20:00", closesAt: "24:00" },
  ]),
});

const base = { timeZone: "Europe/Paris", weekly: [] };

describe("Schedule schema", () => {
  it("defaults exceptions to none", () => {
    expect(Schedule.parse(base).exceptions).toEqual([]);
  });

  it.each([
    [
      "adjacent slots",
      [
        { weekday: 1, opensAt: "08:00", closesAt: "12:00" },
        { weekday: 1, opensAt: "12:00", closesAt: "18:00" },
      ],
    ],
    [
      "overlapping hours on different days",
      [
        { weekday: 1, opensAt: "08:00", closesAt: "12:00" },
        { weekday: 2, opensAt: "09:00", closesAt: "11:00" },
      ],
    ],
    ["a slot to midnight", [{ weekday: 7, opensAt: "20:00", closesAt: "24:00" }]],
    ["a whole day", [{ weekday: 7, opensAt: "00:00", closesAt: "24:00", capacity: 12 }]],
  ])("accepts %s", (_, weekly) => {
    expect(Schedule.safeParse({ ...base, weekly }).success).toBe(true);
  });

  it.each([
    ["an unknown zone", { ...base, timeZone: "Europe/Lyon" }, ["timeZone"], "invalid"],
    [
      "closing before opening",
      { ...base, weekly: [{ weekday: 1, opensAt: "12:00", closesAt: "08:00" }] },
      ["weekly", 0, "closesAt"],
      "invalid",
    ],
    [
      "an empty slot",
      { ...base, weekly: [{ weekday: 1, opensAt: "12:00", closesAt: "12:00" }] },
      ["weekly", 0, "closesAt"],
      "invalid",
    ],
    [
      "opening at 24:00",
      { ...base, weekly: [{ weekday: 1, opensAt: "24:00", closesAt: "24:00" }] },
      ["weekly", 0, "opensAt"],
      "invalid_format",
    ],
    [
      "closing at 25:00",
      { ...base, weekly: [{ weekday: 1, opensAt: "08:00", closesAt: "25:00" }] },
      ["weekly", 0, "closesAt"],
      "invalid_format",
    ],
    [
      "a time without a leading zero",
      { ...base, weekly: [{ weekday: 1, opensAt: "8:00", closesAt: "19:00" }] },
      ["weekly", 0, "opensAt"],
      "invalid_format",
    ],
    [
      "weekday 0",
      { ...base, weekly: [{ weekday: 0, opensAt: "08:00", closesAt: "19:00" }] },
      ["weekly", 0, "weekday"],
      "too_small",
    ],
    [
      "weekday 8",
      { ...base, weekly: [{ weekday: 8, opensAt: "08:00", closesAt: "19:00" }] },
      ["weekly", 0, "weekday"],
      "too_big",
    ],
    [
      "a capacity of 0",
      { ...base, weekly: [{ weekday: 1, opensAt: "08:00", closesAt: "19:00", capacity: 0 }] },
      ["weekly", 0, "capacity"],
      "too_small",
    ],
    ["a daily capacity of 2.5", { ...base, dailyCapacity: 2.5 }, ["dailyCapacity"], "invalid_type"],
    [
      "overlapping slots on one weekday",
      {
        ...base,
        weekly: [
          { weekday: 3, opensAt: "08:00", closesAt: "12:00" },
          { weekday: 2, opensAt: "08:00", closesAt: "12:00" },
          { weekday: 3, opensAt: "11:59", closesAt: "14:00" },
        ],
      },
      ["weekly", 2, "opensAt"],
      "invalid",
    ],
    [
      "a slot inside another",
      {
        ...base,
        weekly: [
          { weekday: 3, opensAt: "08:00", closesAt: "19:00" },
          { weekday: 3, opensAt: "10:00", closesAt: "11:00" },
        ],
      },
      ["weekly", 1, "opensAt"],
      "invalid",
    ],
    [
      "two exceptions for one date",
      {
        ...base,
        exceptions: [
          { date: "2026-12-25", kind: "closed" },
          { date: "2026-12-25", kind: "open", slots: [{ opensAt: "10:00", closesAt: "12:00" }] },
        ],
      },
      ["exceptions", 1, "date"],
      "invalid",
    ],
    [
      "an opening without slots",
      { ...base, exceptions: [{ date: "2026-12-25", kind: "open", slots: [] }] },
      ["exceptions", 0, "slots"],
      "too_small",
    ],
    [
      "an opening with slots missing",
      { ...base, exceptions: [{ date: "2026-12-25", kind: "open" }] },
      ["exceptions", 0, "slots"],
      "required",
    ],
    [
      "a closure with slots",
      {
        ...base,
        exceptions: [
          { date: "2026-12-25", kind: "closed", slots: [{ opensAt: "10:00", closesAt: "12:00" }] },
        ],
      },
      ["exceptions", 0, "slots"],
      "unknown_field",
    ],
    [
      "overlapping exception slots",
      {
        ...base,
        exceptions: [
          {
            date: "2026-12-31",
            kind: "open",
            slots: [
              { opensAt: "10:00", closesAt: "12:00" },
              { opensAt: "11:00", closesAt: "13:00" },
            ],
          },
        ],
      },
      ["exceptions", 0, "slots", 1, "opensAt"],
      "invalid",
    ],
    [
      "an impossible date",
      { ...base, exceptions: [{ date: "2026-02-30", kind: "closed" }] },
      ["exceptions", 0, "date"],
      "invalid_format",
    ],
    [
      "a 201-character reason",
      { ...base, exceptions: [{ date: "2026-12-25", kind: "closed", reason: "x".repeat(201) }] },
      ["exceptions", 0, "reason"],
      "too_big",
    ],
    ["an unknown field", { ...base, holidays: [] }, ["holidays"], "unknown_field"],
  ])("refuses %s at the field it concerns", (_, input, path, code) => {
    const result = validate(Schedule, input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.errors).toContainEqual(expect.objectContaining({ path, code }));
  });

  it("names the slot an overlap clashes with", () => {
    const result = Schedule.safeParse({
      ...base,
      weekly: [
        { weekday: 3, opensAt: "08:00", closesAt: "12:00" },
        { weekday: 3, opensAt: "11:00", closesAt: "14:00" },
      ],
    });
    expect(result.error?.issues[0]?.message).toContain("08:00–12:00");
  });

  it("accepts an exception on its own", () => {
    expect(ScheduleException.parse({ date: "2026-12-25", kind: "closed", reason: " Noël " })).toEqual({
      date: "2026-12-25",
      kind: "closed",
      reason: "Noël",
    });
  });
});

describe("slotsOn and capacityOn", () => {
  it("gives a day's weekly slots sorted by opening time, without the weekday", () => {
    expect(slotsOn(clinic, "2026-12-08")).toEqual([
      { opensAt: "09:00", closesAt: "12:00", capacity: 6 },
      { opensAt: "14:00", closesAt: "17:00", capacity: 6 },
    ]);
    expect(slotsOn(clinic, "2026-12-12")).toEqual([]);
  });

  it("lets an exception replace the weekly pattern", () => {
    expect(slotsOn(halte, "2026-12-24")).toEqual([{ opensAt: "08:00", closesAt: "19:00" }]);
    expect(slotsOn(halte, "2026-12-25")).toEqual([]);
    expect(slotsOn(halte, "2026-12-31")).toEqual([{ opensAt: "20:00", closesAt: "24:00", capacity: 40 }]);
    expect(slotsOn(clinic, "2026-12-07")).toEqual([]);
  });

  it.each([
    ["the daily capacity when slots have none", halte, "2026-12-24", 100],
    ["the smaller of daily capacity and slot total", halte, "2026-12-31", 40],
    ["the slot total when there is no daily capacity", clinic, "2026-12-08", 12],
    ["0 on a closing day", halte, "2026-12-25", 0],
    ["0 on a day without slots", clinic, "2026-12-12", 0],
    ["nothing when no capacity is known", shelter, "2026-12-12", undefined],
  ])("gives %s", (_, schedule, date, daily) => {
    const capacity = capacityOn(schedule, date);
    expect(capacity.daily).toBe(daily);
    expect("daily" in capacity).toBe(daily !== undefined);
    expect(capacity.slots).toEqual(slotsOn(schedule, date));
  });

  it("gives each day's daily capacity over a run of days, exceptions included, as capacityOn does", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(halte, clinic, shelter),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 40 }),
        (schedule, from, length) => {
          const days = Array.from({ length }, (_, i) => addDays("2026-11-20", from + i));
          expect(dailyCapacities(schedule, days)).toEqual(days.map((day) => capacityOn(schedule, day).daily));
        },
      ),
    );
  });
});

describe("isOpen", () => {
  it.each([
    // Paris is UTC+1 in winter, UTC+2 in summer: 08:00 local is 07:00Z, then 06:00Z.
    ["just before opening, winter", halte, "2026-11-28T06:59:59.999Z", false],
    ["at opening, winter", halte, "2026-11-28T07:00:00Z", true],
    ["at opening, summer", halte, "2026-07-01T06:00:00Z", true],
    ["an hour before opening, summer (07:00Z is 09:00 local)", halte, "2026-07-01T05:59:00Z", false],
    ["just before closing", halte, "2026-11-28T17:59:59.999Z", true],
    ["at closing", halte, "2026-11-28T18:00:00Z", false],
    ["at noon on a closed Christmas", halte, "2026-12-25T11:00:00Z", false],
    ["at noon on 31 December, replaced by a night opening", halte, "2026-12-31T11:00:00Z", false],
    ["at 21:00 on 31 December", halte, "2026-12-31T20:00:00Z", true],
    ["at the last millisecond of 31 December", halte, "2026-12-31T22:59:59.999Z", true],
    [
      "at midnight after 31 December (the next day's hours start at 08:00)",
      halte,
      "2026-12-31T23:00:00Z",
      false,
    ],
    ["at lunch time between two sessions", clinic, "2026-12-08T11:30:00Z", false],
    ["in the afternoon session", clinic, "2026-12-08T13:00:00Z", true],
    ["on a Saturday", clinic, "2026-12-12T10:00:00Z", false],
    ["at 23:30", shelter, "2026-12-12T22:30:00Z", true],
    ["at local midnight", shelter, "2026-12-12T23:00:00Z", true],
    ["at 12:00", shelter, "2026-12-12T11:00:00Z", false],
  ])("%s", (_, schedule, instant, expected) => {
    expect(isOpen(schedule, instant)).toBe(expected);
    expect(isOpen(schedule, new Date(instant))).toBe(expected);
  });
});

describe("DST-correct openings", () => {
  const paris = (weekly: { opensAt: string; closesAt: string }[]) =>
    Schedule.parse({
      timeZone: "Europe/Paris",
      weekly: weekly.flatMap((slot) => EVERY_DAY.map((weekday) => ({ weekday, ...slot }))),
    });
  const length = (schedule: Schedule, date: string) =>
    openingsOn(schedule, date).reduce(
      (sum, { start, end }) => sum + (end.getTime() - start.getTime()) / HOUR,
      0,
    );

  it.each([
    ["00:00", "24:00", "2026-03-29", 23],
    ["00:00", "24:00", "2026-10-25", 25],
    ["00:00", "24:00", "2026-11-28", 24],
    ["01:00", "04:00", "2026-03-29", 2],
    ["01:00", "04:00", "2026-10-25", 4],
    ["02:00", "03:00", "2026-03-29", 0],
    ["02:00", "03:00", "2026-10-25", 2],
    ["08:00", "19:00", "2026-03-29", 11],
    ["08:00", "19:00", "2026-10-25", 11],
  ])("a %s–%s slot on %s in Paris lasts %d h", (opensAt, closesAt, date, hours) => {
    expect(length(paris([{ opensAt, closesAt }]), date)).toBe(hours);
  });

  it("skips a slot that falls wholly in the spring gap", () => {
    const gapOnly = paris([{ opensAt: "02:00", closesAt: "03:00" }]);
    expect(openingsOn(gapOnly, "2026-03-29")).toEqual([]);
    expect(nextOpening(gapOnly, "2026-03-28T12:00:00Z")?.toISOString()).toBe("2026-03-30T00:00:00.000Z");
  });

  it("opens at 08:00 local on both sides of the spring change", () => {
    expect(nextOpening(halte, "2026-03-28T12:00:00Z")?.toISOString()).toBe("2026-03-29T06:00:00.000Z");
    expect(openingsOn(halte, "2026-03-28")[0]?.start.toISOString()).toBe("2026-03-28T07:00:00.000Z");
  });

  it.each([
    ["America/New_York", "2026-03-08", "2026-03-08T12:00:00.000Z", "2026-03-08T23:00:00.000Z"],
    ["America/New_York", "2026-11-01", "2026-11-01T13:00:00.000Z", "2026-11-02T00:00:00.000Z"],
    ["Asia/Kabul", "2026-11-28", "2026-11-28T03:30:00.000Z", "2026-11-28T14:30:00.000Z"],
    ["Australia/Lord_Howe", "2026-10-04", "2026-10-03T21:00:00.000Z", "2026-10-04T08:00:00.000Z"],
    ["Australia/Lord_Howe", "2026-10-03", "2026-10-02T21:30:00.000Z", "2026-10-03T08:30:00.000Z"],
    ["Pacific/Chatham", "2026-04-05", "2026-04-04T19:15:00.000Z", "2026-04-05T06:15:00.000Z"],
    ["Pacific/Chatham", "2026-04-04", "2026-04-03T18:15:00.000Z", "2026-04-04T05:15:00.000Z"],
  ])("in %s on %s, 08:00–19:00 runs from %s to %s", (timeZone, date, start, end) => {
    const schedule = Schedule.parse({
      timeZone,
      weekly: EVERY_DAY.map((weekday) => ({ weekday, opensAt: "08:00", closesAt: "19:00" })),
    });
    const [opening] = openingsOn(schedule, date);
    expect(opening?.start.toISOString()).toBe(start);
    expect(opening?.end.toISOString()).toBe(end);
  });
});

describe("openingStatus and nextOpening", () => {
  it.each([
    [
      "open now until 19:00",
      halte,
      "2026-11-28T10:00:00Z",
      { open: true, closesAt: "2026-11-28T18:00:00.000Z" },
    ],
    [
      "closed in the evening, opens at 08:00",
      halte,
      "2026-11-28T19:30:00Z",
      { open: false, nextOpensAt: "2026-11-29T07:00:00.000Z" },
    ],
    [
      "closed on Christmas Eve night, skips Christmas",
      halte,
      "2026-12-24T19:00:00Z",
      { open: false, nextOpensAt: "2026-12-26T07:00:00.000Z" },
    ],
    [
      "closed on 31 December morning, opens at 20:00",
      halte,
      "2026-12-31T08:00:00Z",
      { open: false, nextOpensAt: "2026-12-31T19:00:00.000Z" },
    ],
    [
      "in the morning session, until 12:00",
      clinic,
      "2026-12-08T09:00:00Z",
      { open: true, closesAt: "2026-12-08T11:00:00.000Z" },
    ],
    [
      "at lunch, the afternoon session is next",
      clinic,
      "2026-12-08T11:30:00Z",
      { open: false, nextOpensAt: "2026-12-08T13:00:00.000Z" },
    ],
    [
      "on Friday evening, next opens Tuesday (Monday is off)",
      clinic,
      "2026-12-04T18:00:00Z",
      { open: false, nextOpensAt: "2026-12-08T08:00:00.000Z" },
    ],
    [
      "open across midnight, until 08:00 the next day",
      shelter,
      "2026-12-12T21:00:00Z",
      { open: true, closesAt: "2026-12-13T07:00:00.000Z" },
    ],
    [
      "open after midnight, until 08:00",
      shelter,
      "2026-12-13T01:00:00Z",
      { open: true, closesAt: "2026-12-13T07:00:00.000Z" },
    ],
  ])("%s", (_, schedule, instant, expected) => {
    const status = openingStatus(schedule, instant);
    expect(JSON.parse(JSON.stringify(status))).toEqual(expected);
  });

  it("treats the end of a slot at 24:00 as a closing when nothing follows", () => {
    const lateOnly = Schedule.parse({
      ...base,
      weekly: [{ weekday: 6, opensAt: "20:00", closesAt: "24:00" }],
    });
    expect(openingStatus(lateOnly, "2026-12-12T22:00:00Z")).toEqual({
      open: true,
      closesAt: new Date("2026-12-12T23:00:00Z"),
    });
    expect(isOpen(lateOnly, "2026-12-12T23:00:00Z")).toBe(false);
  });

  it("reports no closing for a service open around the clock", () => {
    const always = Schedule.parse({
      ...base,
      weekly: EVERY_DAY.map((weekday) => ({ weekday, opensAt: "00:00", closesAt: "24:00" })),
    });
    expect(openingStatus(always, "2026-10-25T01:30:00Z")).toEqual({ open: true, closesAt: null });
    expect(nextOpening(always, "2026-10-25T01:30:00Z")).toBeNull();
  });

  it("gives the next opening, not the current one, while open", () => {
    expect(nextOpening(halte, "2026-11-28T10:00:00Z")?.toISOString()).toBe("2026-11-29T07:00:00.000Z");
    expect(nextOpening(halte, "2026-11-28T07:00:00Z")?.toISOString()).toBe("2026-11-28T07:00:00.000Z");
    expect(nextOpening(clinic, "2026-12-08T09:00:00Z")?.toISOString()).toBe("2026-12-08T13:00:00.000Z");
  });

  it("looks no further than the horizon", () => {
    const oneDay = Schedule.parse({
      ...base,
      exceptions: [{ date: "2027-12-01", kind: "open", slots: [{ opensAt: "10:00", closesAt: "12:00" }] }],
    });
    expect(nextOpening(oneDay, "2026-11-28T10:00:00Z")).toBeNull();
    expect(openingStatus(oneDay, "2026-11-28T10:00:00Z")).toEqual({ open: false, nextOpensAt: null });
    expect(nextOpening(oneDay, "2026-11-28T10:00:00Z", { horizonDays: 400 })?.toISOString()).toBe(
      "2027-12-01T09:00:00.000Z",
    );
    expect(nextOpening(Schedule.parse(base), "2026-11-28T10:00:00Z")).toBeNull();
    expect(() => nextOpening(halte, "2026-11-28T10:00:00Z", { horizonDays: -1 })).toThrow(RangeError);
  });

  it("agrees with isOpen and reports real transitions, in any zone (property)", () => {
    const schedules = [
      "Europe/Paris",
      "America/New_York",
      "Australia/Lord_Howe",
      "Pacific/Chatham",
      "Asia/Kabul",
    ].flatMap((timeZone) => [halte, clinic, shelter].map((schedule) => ({ ...schedule, timeZone })));
    const instant = fc
      .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) })
      .map((time) => new Date(time));
    fc.assert(
      fc.property(fc.constantFrom(...schedules), instant, (schedule, at) => {
        const status = openingStatus(schedule, at);
        expect(status.open).toBe(isOpen(schedule, at));
        const edge = status.open ? status.closesAt : status.nextOpensAt;
        expect(edge).not.toBeNull();
        if (!edge) return;
        expect(edge.getTime()).toBeGreaterThan(at.getTime());
        // The reported instant is where the status flips.
        expect(isOpen(schedule, edge)).toBe(!status.open);
        expect(isOpen(schedule, new Date(edge.getTime() - 1))).toBe(status.open);
        if (!status.open) expect(nextOpening(schedule, at)).toEqual(edge);
      }),
      { numRuns: 300 },
    );
  });
});
