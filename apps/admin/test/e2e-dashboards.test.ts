// The dashboards, network view, lessons workspace, audit log and staff accounts pages, in Debian's Chromium
// against the real Worker under `wrangler dev`, with a week of figures rolled up into day partials. The
// package's `test` script runs this file a second time under far time zones (TZ=Pacific/Kiritimati, UTC+14,
// and Pacific/Pago_Pago, UTC−11, for Node and Chromium alike): the page's days are the centre's (Paris),
// never the device's.
import { addDays, checkPublicationGrid, periodOfDate } from "@halte/core";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, buildSite, launchBrowser, seriousViolations } from "./browser.js";
import { DASHBOARD_EVENT_TITLE, seedDashboardFigures } from "./dashboard-seed.js";
import {
  ADMIN,
  type ApiCaller,
  COORDINATOR,
  type LocalWorker,
  OBSERVER,
  signIn,
  startLocalWorker,
} from "./local-worker.js";

let worker: LocalWorker;
let context: BrowserContext;
let browser: Browser;
let admin: ApiCaller;
let seededVisits: number;

/**
 * The browser's clock is pinned to the last 23:30 UTC: the hour when it is already tomorrow in Paris but
 * still today in UTC (and yesterday in New York), so a page that took "today" from the device's clock or
 * from UTC would show the wrong day. It then ticks on from there.
 */
const PINNED_AT = (() => {
  const now = new Date();
  const pinned = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 23, 30);
  return new Date(pinned <= now.getTime() ? pinned : pinned - 86_400_000);
})();
/** "Today" on the centre's calendar at the pinned instant. */
const CENTRE_TODAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(PINNED_AT);

beforeAll(async () => {
  buildSite();
  worker = await startLocalWorker();
  seededVisits = (await seedDashboardFigures(worker.origin, worker.centreId)).visits;
  admin = await signIn(worker.origin, ADMIN.email, ADMIN.password);
  // The first asset request of a cold `wrangler dev` can be slow: warm it up outside the browser.
  expect((await fetch(`${worker.origin}/sign-in`)).status).toBe(200);
  browser = await launchBrowser({
    profilePrefix: "halte-admin-dashboards-",
    viewport: { width: 1024, height: 1200 },
  });
  context = browser.context;
  await context.clock.install({ time: PINNED_AT });
  // Generous: the suite shares a 2-core machine with wrangler and Chromium; nothing here is a timing check.
  context.setDefaultTimeout(30_000);
  // A build, a worker and about sixty seeding calls: minutes when other suites share the machine.
}, 300_000);

afterAll(async () => {
  await browser?.close();
  worker?.stop();
});

async function signedInPage(who: { email: string; password: string }, path: string): Promise<Page> {
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(`${worker.origin}/sign-in`, { waitUntil: "domcontentloaded" });
  await page.getByLabel("Email address").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: path }).click();
  return page;
}

/** The seeded centre's protection: counts 1…K−1 never published, others within ±MAX_NOISE. */
const K = 5;
const MAX_NOISE = 2;

/** True for a protected count: an integer that is 0 or at least K. */
function publishable(text: string): boolean {
  const n = Number(text.trim());
  return Number.isInteger(n) && (n === 0 || n >= K);
}

/** The texts of the cells of a table that hold counts and break the rule (so `[]` when all are fine). */
async function smallCounts(cells: Locator): Promise<string[]> {
  return (await cells.allTextContents()).filter((text) => !publishable(text));
}

/** The grid range protected figures cover for a one-period report (as the page computes it). */
function onePeriodRange(from: string, to: string): { from: string; to: string } | null {
  const check = checkPublicationGrid(from, to);
  if (check.ok) return null;
  const { allowedFrom, allowedTo } = check.error;
  if (allowedFrom <= from && to <= allowedTo) return { from: allowedFrom, to: allowedTo };
  const year = periodOfDate("year", to);
  return { from: year.start, to: year.end };
}

/** A CSV line's fields (quoted fields may hold commas and doubled quotes). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted && char === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (char === '"') quoted = !quoted;
    else if (char === "," && !quoted) {
      fields.push(field);
      field = "";
    } else field += char;
  }
  fields.push(field);
  return fields;
}

/** The values of the count columns (hashtag `#reached…`) of a CSV with its HXL row that are 1…K−1. */
function smallCsvCounts(text: string): string[] {
  const lines = text.split(/\r?\n/).filter((line) => line !== "");
  const tags = csvFields(lines[1] ?? "");
  const counts = tags.flatMap((tag, j) => (tag.startsWith("#reached") ? [j] : []));
  expect(counts.length).toBeGreaterThan(0);
  return lines.slice(2).flatMap((line) => {
    const fields = csvFields(line);
    return counts.map((j) => fields[j] ?? "").filter((value) => !publishable(value));
  });
}

/** The exact arrivals of a range, as the internal view reads them. */
async function exactArrivals(range: { from: string; to: string }): Promise<number> {
  const query = new URLSearchParams({ centreId: worker.centreId, ...range, disclosure: "none" });
  const answer = await admin.call<{ table: { grandTotal: { value: number } } }>(
    "GET",
    `/api/reports/arrivals?${query}`,
  );
  expect(answer.status).toBe(200);
  return answer.body.table.grandTotal.value;
}

async function chosenRange(page: Page): Promise<{ from: string; to: string }> {
  const from = page.locator("input[name=from]");
  await expect.poll(() => from.inputValue()).not.toBe("");
  return { from: await from.inputValue(), to: await page.locator("input[name=to]").inputValue() };
}

const HEATMAP_COUNTS = "#arrivals table.heatmap tbody td, #arrivals table.heatmap tfoot td";
const REFERRAL_COUNTS = "#referrals table.funnel td, #referrals #outcome-caption ~ tbody td:nth-child(2)";
const SERVICE_COUNTS =
  "#service-use table tbody td:nth-child(3), #service-use table tbody td:nth-child(4), #saturation table tbody td:nth-child(3)";
const ATTENDANCE_VISITS = "#attendance table:has(#attendance-table-caption) tbody td:nth-child(2)";

describe("dashboards, lessons, audit and users against the real Worker", () => {
  it("shows protected figures on the grid, never 1…k−1, says so, and exact figures in the internal view", async () => {
    const page = await signedInPage(ADMIN, "Dashboards");
    await page.getByRole("heading", { level: 1, name: "Dashboards" }).waitFor();
    await page.locator("#attendance .chart canvas").waitFor();
    await page.locator("#arrivals table.heatmap").waitFor();
    await page.locator("#referrals table.funnel").waitFor();
    await expect(page.locator("#attendance").textContent()).resolves.toContain(DASHBOARD_EVENT_TITLE);

    // The note explains the perturbation with the centre's own parameters.
    const note = await page.locator(".protection-note").textContent();
    expect(note).toContain("a count from 1 to 4 never appears (it reads 0 or 5)");
    expect(note).toContain("±2");
    expect(note).toContain("the same people always give the same figure");
    expect(note).toContain("Exact figures are shown only in the internal view");

    // The default range is the last 28 days on the centre's calendar. Arrivals and referrals need one grid period: the smallest holding it, said so.
    const range = await chosenRange(page);
    // Under the far-time-zone passes the browser's own calendar is not the centre's.
    if (process.env.TZ) {
      const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
      expect(zone).toBe(process.env.TZ);
    }
    expect(await page.evaluate(() => new Date().toISOString().slice(11, 13))).toBe("23");
    expect(range.to).toBe(CENTRE_TODAY);
    expect(range.from).toBe(addDays(range.to, -27));
    // Beyond two weeks the figures are grouped by week: attendance covers whole ISO weeks, said so.
    await expect(page.locator("select[name=period]").inputValue()).resolves.toBe("week");
    const weeks = { from: periodOfDate("week", range.from).start, to: periodOfDate("week", range.to).end };
    if (weeks.from === range.from && weeks.to === range.to) {
      expect(await page.locator("#attendance .range-note").count()).toBe(0);
    } else {
      await expect
        .poll(() => page.locator("#attendance .range-note").textContent())
        .toBe(`Protected figures cover whole periods: shown for ${weeks.from} – ${weeks.to}`);
    }
    const grid = onePeriodRange(range.from, range.to);
    const arrivalsNote = page.locator("#arrivals .range-note");
    if (grid === null) expect(await arrivalsNote.count()).toBe(0);
    else {
      expect(await arrivalsNote.textContent()).toBe(
        `Protected figures cover whole periods: shown for ${grid.from} – ${grid.to}`,
      );
      expect(await page.locator("#referrals .range-note").textContent()).toContain(grid.to);
    }

    // No protected count anywhere is 1…4; the heatmap's grand total is the true one within ±2.
    expect(await smallCounts(page.locator(HEATMAP_COUNTS))).toEqual([]);
    expect(await smallCounts(page.locator(REFERRAL_COUNTS))).toEqual([]);
    expect(await smallCounts(page.locator(SERVICE_COUNTS))).toEqual([]);
    expect(await smallCounts(page.locator(ATTENDANCE_VISITS))).toEqual([]);
    // Who the figures count: unique visitors and each service's uses by age band and gender, protected too.
    await page.locator("#attendance table.groups tbody tr").first().waitFor();
    await page.locator("#service-use table.groups tbody tr").first().waitFor();
    expect(await smallCounts(page.locator("table.groups tbody td"))).toEqual([]);
    expect(await page.locator(".suppressed").count()).toBe(0);
    const exact = await exactArrivals(grid ?? range);
    const grand = Number(await page.locator("#arrivals tfoot td").last().textContent());
    expect(Math.abs(grand - exact)).toBeLessThanOrEqual(MAX_NOISE);
    const perDay = (await page.locator(ATTENDANCE_VISITS).allTextContents()).map(Number);
    expect(Math.abs(perDay.reduce((a, b) => a + b, 0) - seededVisits)).toBeLessThanOrEqual(
      MAX_NOISE * perDay.length,
    );
    expect(await seriousViolations(page)).toEqual([]);

    // The same people give the same figure: asked again (a reload), the heatmap reads the same.
    await page.reload();
    await page.locator("#arrivals table.heatmap").waitFor();
    expect(Number(await page.locator("#arrivals tfoot td").last().textContent())).toBe(grand);

    // The internal view shows the exact figures of the exact dates chosen, clearly labelled.
    await page.getByLabel("Exact figures (internal view)").check();
    await page.getByText("Internal view: exact figures, not protected", { exact: false }).waitFor();
    await expect
      .poll(async () => Number(await page.locator("#arrivals tfoot td").last().textContent()))
      .toBe(seededVisits);
    await expect
      .poll(async () =>
        (await page.locator(ATTENDANCE_VISITS).allTextContents()).map(Number).reduce((a, b) => a + b, 0),
      )
      .toBe(seededVisits);
    expect(await page.locator(".protection-note").count()).toBe(0);
    // Exports stay protected: when the dates are off the grid, the panel says which range they cover.
    if (grid !== null) {
      expect(await arrivalsNote.textContent()).toBe(`Exports cover whole periods: ${grid.from} – ${grid.to}`);
      const href = (await page.locator("#arrivals a[data-format=csv]").getAttribute("href")) ?? "";
      expect(href).toContain(`from=${grid.from}`);
      expect(href).not.toContain("disclosure");
    }
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("widens an off-grid range to whole periods and says which range is shown", async () => {
    const page = await signedInPage(ADMIN, "Dashboards");
    await page.locator("#attendance table").first().waitFor();
    const { to } = await chosenRange(page);
    // A start in the middle of a month, the figures grouped by month: the whole months are shown.
    let from = addDays(to, -40);
    if (from.endsWith("-01")) from = addDays(from, 1);
    await page.locator("select[name=period]").selectOption("month");
    await page.locator("input[name=from]").fill(from);
    const start = periodOfDate("month", from).start;
    const end = periodOfDate("month", to).end;
    const note = page.locator("#attendance .range-note");
    await expect
      .poll(() => note.textContent())
      .toBe(`Protected figures cover whole periods: shown for ${start} – ${end}`);
    expect(await page.locator("#service-use .range-note").textContent()).toContain(start);
    // The rows are now the months (with figures) of the range shown.
    const rows = page.locator("#attendance table:has(#attendance-table-caption) tbody th");
    await expect.poll(async () => (await rows.allTextContents()).at(-1)).toMatch(/^\d{6}$/);
    for (const code of await rows.allTextContents()) {
      expect(code >= periodOfDate("month", from).code && code <= periodOfDate("month", to).code).toBe(true);
    }
    expect(
      await page
        .locator("#attendance .error, #service-use .error, #arrivals .error, #referrals .error")
        .count(),
    ).toBe(0);
    expect(await page.locator("input[name=from]").getAttribute("aria-invalid")).toBeNull();
    expect(await smallCounts(page.locator(ATTENDANCE_VISITS))).toEqual([]);
    await page.close();
  });

  it("downloads the figures as CSV with the HXL hashtag row, protected: no count of 1…4", async () => {
    const page = await signedInPage(ADMIN, "Dashboards");
    for (const panel of ["attendance", "arrivals"]) {
      const link = page.locator(`#${panel} a[data-format=csv-hxl]`);
      await link.waitFor();
      // An administrator of every centre: the link names the centre once the page has picked it.
      await expect.poll(() => link.getAttribute("href")).toContain("centreId=");
      const href = (await link.getAttribute("href")) ?? "";
      expect(href).not.toContain("disclosure");
      expect(await link.getAttribute("download")).not.toBeNull();
      const query = new URL(href, worker.origin).searchParams;
      const onGrid = checkPublicationGrid(
        query.get("from") ?? "",
        query.get("to") ?? "",
        (query.get("period") ?? undefined) as Parameters<typeof checkPublicationGrid>[2],
      );
      expect(onGrid.ok).toBe(true);
      // The link's own address, fetched with the page's session: what the browser saves as the file.
      const answer = await page.request.get(new URL(href, worker.origin).href);
      expect(answer.status()).toBe(200);
      expect(answer.headers()["content-type"]).toContain("text/csv");
      expect(answer.headers()["content-disposition"]).toContain("attachment");
      const text = await answer.text();
      const [header, hashtags, first] = text.split(/\r?\n/);
      expect(header).toContain("Centre");
      expect(hashtags?.startsWith("#")).toBe(true);
      expect(hashtags).toContain("#reached");
      expect(first).toBeTruthy();
      expect(smallCsvCounts(text)).toEqual([]);
    }
    await page.close();
  });

  it("fits a 320 px wide screen: the page never scrolls sideways, wide tables scroll in their own box", async () => {
    const page = await signedInPage(ADMIN, "Dashboards");
    await page.setViewportSize({ width: 320, height: 800 });
    await page.locator("#attendance .chart canvas").waitFor();
    await page.locator("#arrivals table.heatmap").waitFor();
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      chart: document.querySelector("#attendance .chart canvas")?.getBoundingClientRect().width ?? 0,
    }));
    expect(widths.page).toBeLessThanOrEqual(320);
    expect(widths.chart).toBeGreaterThan(200);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("gives an observer the dashboards, protected, without the internal view", async () => {
    const page = await signedInPage(OBSERVER, "Dashboards");
    await page.locator("#arrivals table.heatmap").waitFor();
    await page.locator("#referrals table.funnel").waitFor();
    expect(await page.getByLabel("Exact figures (internal view)").count()).toBe(0);
    await page.locator(".protection-note").waitFor();
    expect(await smallCounts(page.locator(HEATMAP_COUNTS))).toEqual([]);
    expect(await smallCounts(page.locator(REFERRAL_COUNTS))).toEqual([]);
    // The same figure as any other caller of the same range gets.
    const range = await chosenRange(page);
    const grid = onePeriodRange(range.from, range.to) ?? range;
    const query = new URLSearchParams({ centreId: worker.centreId, ...grid });
    const answer = await admin.call<{ table: { grandTotal: { value: number } } }>(
      "GET",
      `/api/reports/arrivals?${query}`,
    );
    expect(Number(await page.locator("#arrivals tfoot td").last().textContent())).toBe(
      answer.body.table.grandTotal.value,
    );
    await page.close();
  });

  it("shows the partner network: services provided and referrals received this year, protected", async () => {
    const page = await signedInPage(ADMIN, "Partner network");
    const row = page.getByRole("row", { name: /Partenaire E2E/ });
    await row.waitFor();
    // The calendar year on the centre's calendar: a grid period holding this week's referrals.
    const year = periodOfDate("year", CENTRE_TODAY);
    await expect(page.locator(".network").textContent()).resolves.toContain(`${year.start} – ${year.end}`);
    // Its services at the centre, and the seven referrals the seed sent it, within ±2.
    await page.getByRole("columnheader", { name: "rejected" }).waitFor();
    const cells = await row.getByRole("cell").allTextContents();
    expect(cells[0]).toContain("Douches");
    expect(cells[0]).toContain("Permanence juridique");
    expect(Math.abs(Number(cells[1]) - 7)).toBeLessThanOrEqual(MAX_NOISE);
    // Partner × status: the one rejection is never shown as 1 (it reads 0 or 5), nor any count of 1…4.
    expect(cells.slice(1).filter((text) => !publishable(text))).toEqual([]);
    expect(await page.locator(".protection-note").textContent()).toContain("(it reads 0 or 5)");
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("contributes a lesson, reviews and validates it, opens the guide, and finds it in the audit log", async () => {
    const page = await signedInPage(ADMIN, "Lessons learned");
    await page.getByRole("heading", { name: "Contribute a lesson" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // An empty form: the API's per-field errors appear beside the fields.
    await page.getByRole("button", { name: "Save as draft" }).click();
    await page.locator("#lesson-title-error").waitFor();

    const title = "Stagger shower slots on evacuation days";
    await page.locator("#lesson-title").fill(title);
    await page.locator("#lesson-type").selectOption("recommendation");
    await page.locator("#lesson-theme").selectOption("premises_logistics");
    await page.getByLabel("In the context of…").fill("a camp evacuation");
    await page.getByLabel("when…").fill("120 people arrived before 9:00");
    await page.getByLabel("the result was…").fill("showers were saturated by 10:00");
    await page.getByLabel("because…").fill("slots were not staggered");
    await page.getByLabel("therefore…").fill("open extra shower slots on evacuation days");
    await page.locator("#lesson-evidence-kind").selectOption("event");
    await page.locator("#lesson-evidence-reference option").first().waitFor({ state: "attached" });
    await page.getByLabel("What the evidence shows").fill("Arrivals doubled that week");
    await page.getByRole("button", { name: "Add this evidence" }).click();
    await page.getByLabel("centre team").check();
    await page.getByLabel("people assisted").check();
    await page.getByLabel("3. Preparedness and resilience").check();
    await page.getByLabel("Period: start").fill("2026-11-01");
    await page.getByLabel("Period: end").fill("2026-11-15");
    await page.getByRole("button", { name: "Save as draft" }).click();

    const item = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: title }) });
    await item.getByText("draft", { exact: true }).waitFor();
    await item.getByRole("button", { name: "Mark reviewed" }).click();
    await item.getByText("reviewed", { exact: true }).waitFor();
    // Four eyes: a colleague validates what the admin contributed.
    const stored = (
      await admin.call<{ items: Array<{ id: string; title: string }> }>(
        "GET",
        `/api/lessons?centreId=${worker.centreId}`,
      )
    ).body.items.find((lesson) => lesson.title === title);
    const colleague = await signIn(worker.origin, COORDINATOR.email, COORDINATOR.password);
    const validated = await colleague.call("POST", `/api/lessons/${stored?.id}/status`, {
      status: "validated",
    });
    expect(validated.status).toBe(200);

    const [guide] = await Promise.all([
      context.waitForEvent("page"),
      page.getByRole("link", { name: "Open the guide for the next centre (printable)" }).click(),
    ]);
    await guide.waitForLoadState();
    await expect(guide.locator("body").textContent()).resolves.toContain(title);
    await guide.close();

    const lessons = await admin.call<{ items: Array<{ id: string; title: string; status: string }> }>(
      "GET",
      `/api/lessons?centreId=${worker.centreId}`,
    );
    expect(lessons.body.items.find((lesson) => lesson.title === title)?.status).toBe("validated");

    await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Audit log" }).click();
    await page.locator("table.audit-log").waitFor();
    await page.getByLabel("Record type").selectOption("lesson");
    const created = page
      .getByRole("row")
      .filter({ hasText: stored?.id ?? "none" })
      .filter({ hasText: "create" });
    await created.waitFor();
    await expect(created.textContent()).resolves.toContain("Admin E2E");
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("creates a staff account and disables it", async () => {
    const page = await signedInPage(ADMIN, "Staff accounts");
    await page.getByRole("heading", { name: "Create an account" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel("Name", { exact: true }).fill("Nouvelle Bénévole");
    await page.getByLabel("Email address").fill("benevole@e2e.halte.test");
    await page.getByLabel("Initial password (at least 12 characters)").fill("short");
    await page.getByLabel("Role").selectOption("reception");
    await page.getByLabel("Centre").selectOption(worker.centreId);
    await page.getByRole("button", { name: "Create the account" }).click();
    await page.locator("#user-password-error").waitFor();

    await page.getByLabel("Initial password (at least 12 characters)").fill("a-long-enough-password");
    await page.getByRole("button", { name: "Create the account" }).click();
    const row = page.getByRole("row", { name: /Nouvelle Bénévole/ });
    await row.waitFor();
    const users = await admin.call<{ items: Array<{ email: string; role: string; centreId: string }> }>(
      "GET",
      "/api/users?limit=200",
    );
    expect(users.body.items.find((user) => user.email === "benevole@e2e.halte.test")).toMatchObject({
      role: "reception",
      centreId: worker.centreId,
    });

    // Disabling asks first; the staff member confirms.
    page.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: "Disable Nouvelle Bénévole" }).click();
    await row.getByText("disabled on", { exact: false }).waitFor();
    await page.close();
  });
});
