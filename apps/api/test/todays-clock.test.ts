// The clock the tests and the demo seed use to put records "a few minutes ago" on today in the centre's zone:
// checked at the instants CI failed on (just after midnight in Paris), before it, and far from it.
import { localDateOf } from "@halte/core";
import { describe, expect, it } from "vitest";
import { earlierToday } from "../scripts/todays-clock.mjs";

const PARIS = "Europe/Paris";
const MINUTE = 60_000;

describe("earlierToday", () => {
  it.each([
    ["00:00:00.5 in Paris", "2026-12-07T23:00:00.500Z"],
    ["00:05 in Paris", "2026-12-07T23:05:00.000Z"],
    [
      "00:29 in Paris, the first of a month (23:29 UTC on the last day of the previous one)",
      "2026-11-30T23:29:00.000Z",
    ],
    ["00:12 in Paris on a Monday (still Sunday in UTC)", "2026-12-06T23:12:00.000Z"],
    ["00:05 in Paris in summer (22:05 UTC)", "2026-07-14T22:05:00.000Z"],
  ])("keeps every instant of a 30-minute span on today, in order, at %s", (_when, iso) => {
    const now = new Date(iso);
    const back = earlierToday(now, 30 * MINUTE, PARIS);
    const today = localDateOf(now, PARIS);
    const instants = [30, 29, 20, 10, 1, 0].map((minutes) => back(minutes * MINUTE).getTime());
    for (const instant of instants) expect(localDateOf(new Date(instant), PARIS)).toBe(today);
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    expect(new Set(instants).size).toBe(instants.length);
    expect(instants.at(-1)).toBe(now.getTime());
  });

  it("squeezes the span into the minutes of today so far, proportionally", () => {
    const now = new Date("2026-12-07T23:05:00.000Z"); // 00:05 in Paris
    const back = earlierToday(now, 10 * MINUTE, PARIS);
    expect(back(10 * MINUTE).toISOString()).toBe("2026-12-07T23:00:00.000Z");
    expect(back(MINUTE).toISOString()).toBe("2026-12-07T23:04:30.000Z");
  });

  it.each([
    ["00:31 in Paris", "2026-12-07T23:31:00.000Z"],
    ["23:55 in Paris (22:55 UTC, the UTC day is the same)", "2026-12-08T22:55:00.000Z"],
    ["13:00 in Paris", "2026-12-08T12:00:00.000Z"],
  ])("is plain subtraction once the span fits in today, at %s", (_when, iso) => {
    const now = new Date(iso);
    const back = earlierToday(now, 30 * MINUTE, PARIS);
    for (const minutes of [30, 10, 1]) {
      expect(back(minutes * MINUTE).getTime()).toBe(now.getTime() - minutes * MINUTE);
    }
  });

  it("is what a plain subtraction would get wrong: half an hour before 00:05 is yesterday", () => {
    const now = new Date("2026-12-07T23:05:00.000Z");
    expect(localDateOf(new Date(now.getTime() - 30 * MINUTE), PARIS)).toBe("2026-12-07");
    expect(localDateOf(earlierToday(now, 30 * MINUTE, PARIS)(30 * MINUTE), PARIS)).toBe("2026-12-08");
  });
});
