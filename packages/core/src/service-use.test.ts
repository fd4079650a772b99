import { describe, expect, it } from "vitest";
import { checkUsedAt, MAX_USES_PER_REPORT, ServiceUseInput, usedAtWindow } from "./service-use.js";
import { ServiceUseReportedData } from "./webhook-event.js";

const now = new Date("2026-12-07T10:00:00Z");

describe("the dates a service use may carry", () => {
  it.each([
    ["2026-12-07T09:59:00Z", 24, true],
    ["2026-12-07T10:04:59Z", 24, true],
    ["2026-12-07T10:05:00Z", 24, true],
    ["2026-12-07T10:05:01Z", 24, false],
    ["2035-01-01T00:00:00Z", 24, false],
    ["2024-12-07T10:00:00Z", 24, true],
    ["2024-12-07T09:59:59Z", 24, false],
    ["2019-06-01T12:00:00Z", 24, false],
    ["1990-01-01T00:00:00Z", 120, false],
    ["2019-06-01T12:00:00Z", 120, true],
    ["2026-06-06T10:00:00Z", 6, false],
    ["2026-06-07T10:00:00Z", 6, true],
  ] as const)("%s with %i months of retention: accepted %s", (usedAt, months, accepted) => {
    expect(checkUsedAt(usedAt, now, months).ok).toBe(accepted);
  });

  it("says which bound a refused date breaks", () => {
    const early = checkUsedAt("1990-01-01T00:00:00Z", now, 24);
    const late = checkUsedAt("2035-01-01T00:00:00Z", now, 24);
    expect(early.ok ? null : early.error.code).toBe("before_retention");
    expect(late.ok ? null : late.error.code).toBe("in_future");
  });

  it("counts months as the purge does (SQLite's date modifier: 31 March minus a month is 3 March)", () => {
    expect(usedAtWindow(new Date("2026-03-31T12:00:00Z"), 1).from).toBe("2026-03-03T12:00:00.000Z");
    expect(usedAtWindow(now, 24)).toEqual({
      from: "2024-12-07T10:00:00.000Z",
      to: "2026-12-07T10:05:00.000Z",
    });
  });
});

describe("the quantity of a service use", () => {
  const base = { centreId: "c", serviceId: "s", usedAt: "2026-12-07T09:00:00Z" };
  it.each([
    [1, true],
    [MAX_USES_PER_REPORT, true],
    [MAX_USES_PER_REPORT + 1, false],
    [10_000, false],
    [0, false],
  ])("%i uses in one record or report: accepted %s", (quantity, accepted) => {
    expect(ServiceUseInput.safeParse({ ...base, quantity }).success).toBe(accepted);
    const report = { serviceId: "s", usedAt: base.usedAt, occurredAt: base.usedAt, quantity };
    expect(ServiceUseReportedData.safeParse(report).success).toBe(accepted);
  });
});
