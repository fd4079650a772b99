import { describe, expect, it } from "vitest";
import { dayPages, PARTIAL_PAGE_DAYS } from "../src/routes/reports/scope.js";

describe("dayPages: a report's range read a page of days at a time", () => {
  it("covers every day of the range once, in order, in pages of at most 31 days", () => {
    const pages = [...dayPages("2024-01-01", "2026-12-31")];
    expect(pages[0]).toEqual({ from: "2024-01-01", to: "2024-01-31" });
    expect(pages.at(-1)?.to).toBe("2026-12-31");
    for (const [i, page] of pages.entries()) {
      const days = (Date.parse(page.to) - Date.parse(page.from)) / 86_400_000 + 1;
      expect(days).toBeGreaterThanOrEqual(1);
      expect(days).toBeLessThanOrEqual(PARTIAL_PAGE_DAYS);
      const next = pages[i + 1];
      if (next) expect(Date.parse(next.from) - Date.parse(page.to)).toBe(86_400_000);
    }
    // 1,096 days: 35 full pages and one of 11 days.
    expect(pages).toHaveLength(36);
  });

  it("gives one page for a single day, and for exactly 31 days", () => {
    expect([...dayPages("2026-12-08", "2026-12-08")]).toEqual([{ from: "2026-12-08", to: "2026-12-08" }]);
    expect([...dayPages("2026-12-01", "2026-12-31")]).toEqual([{ from: "2026-12-01", to: "2026-12-31" }]);
    expect([...dayPages("2026-12-01", "2027-01-01")]).toEqual([
      { from: "2026-12-01", to: "2026-12-31" },
      { from: "2027-01-01", to: "2027-01-01" },
    ]);
  });
});
