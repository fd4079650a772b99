// The dashboards, network view, lessons workspace, audit log and staff accounts pages, in Debian's Chromium
// against the real Worker under `wrangler dev`, with a week of figures rolled up into day partials.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, buildSite, launchBrowser, seriousViolations } from "./browser.js";
import { DASHBOARD_EVENT_TITLE, seedDashboardFigures } from "./dashboard-seed.js";
import {
  ADMIN,
  type ApiCaller,
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

describe("dashboards, lessons, audit and users against the real Worker", () => {
  it("draws attendance with the context event, the arrivals heatmap with numbers, and marks hidden cells", async () => {
    const page = await signedInPage(ADMIN, "Dashboards");
    await page.getByRole("heading", { level: 1, name: "Dashboards" }).waitFor();
    await page.locator("#attendance .chart canvas").waitFor();
    await page.locator("#arrivals table.heatmap").waitFor();

    // The attendance table sums to the visits seeded (each day's total is published: 7 to 13 a day).
    const perDay = await page.locator("#attendance table tbody tr td:nth-child(2)").allTextContents();
    expect(perDay.map(Number).reduce((a, b) => a + b, 0)).toBe(seededVisits);
    await expect(page.locator("#attendance").textContent()).resolves.toContain(DASHBOARD_EVENT_TITLE);

    // The heatmap's grand total is every arrival; small cells say "suppressed", never 0.
    const grand = await page.locator("#arrivals tfoot td").last().textContent();
    expect(Number(grand)).toBe(seededVisits);
    const hidden = page.locator("#arrivals td .suppressed");
    expect(await hidden.count()).toBeGreaterThan(0);
    expect(await hidden.first().textContent()).toBe("suppressed");
    // A referral outcome of 1 is hidden in the funnel too.
    await page.locator("#referrals table.funnel").waitFor();
    expect(await page.locator("#referrals .suppressed").count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);

    // The internal view shows every count, clearly labelled.
    await page.getByLabel("Unsuppressed figures (internal view)").check();
    await page.getByText("Internal view: small counts are not suppressed.", { exact: false }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll("#arrivals td .suppressed").length === 0);
    expect(await page.locator("#arrivals td .suppressed").count()).toBe(0);
    await page.close();
  });

  it("downloads the attendance figures as CSV with the HXL hashtag row, suppressed", async () => {
    const page = await signedInPage(ADMIN, "Dashboards");
    const link = page.locator("#attendance a[data-format=csv-hxl]");
    await link.waitFor();
    // An administrator of every centre: the link names the centre once the page has picked it.
    await expect.poll(() => link.getAttribute("href")).toContain("centreId=");
    expect(await link.getAttribute("href")).not.toContain("disclosure");
    expect(await link.getAttribute("download")).not.toBeNull();
    // The link's own address, fetched with the page's session: what the browser saves as the file.
    const answer = await page.request.get(
      new URL((await link.getAttribute("href")) ?? "", worker.origin).href,
    );
    expect(answer.status()).toBe(200);
    expect(answer.headers()["content-type"]).toContain("text/csv");
    expect(answer.headers()["content-disposition"]).toContain("attachment");
    const text = await answer.text();
    const [header, hashtags, first] = text.split(/\r?\n/);
    expect(header).toContain("Period");
    expect(hashtags?.startsWith("#")).toBe(true);
    expect(hashtags).toContain("#reached");
    expect(first).toBeTruthy();
    expect(text).toContain("suppressed");
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

  it("gives an observer the dashboards, suppressed, without the internal view", async () => {
    const page = await signedInPage(OBSERVER, "Dashboards");
    await page.locator("#arrivals table.heatmap").waitFor();
    expect(await page.getByLabel("Unsuppressed figures (internal view)").count()).toBe(0);
    expect(await page.locator("#arrivals td .suppressed").count()).toBeGreaterThan(0);
    await page.close();
  });

  it("shows the partner network: services provided and referrals received", async () => {
    const page = await signedInPage(ADMIN, "Partner network");
    const row = page.getByRole("row", { name: /Partenaire E2E/ });
    await row.waitFor();
    // Its services at the centre, and the seven referrals the seed sent it (a count of 7 ≥ 5 is shown).
    const cells = await row.getByRole("cell").allTextContents();
    expect(cells[0]).toContain("Douches");
    expect(cells[0]).toContain("Permanence juridique");
    expect(cells[1]).toBe("7");
    // Partner × status from the referrals report: the one rejection is a small cell, marked, not 0.
    await page.getByRole("columnheader", { name: "rejected" }).waitFor();
    expect(cells.slice(2)).toContain("suppressed");
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
    await page.getByLabel("centre team").check();
    await page.getByLabel("people assisted").check();
    await page.getByLabel("Commitment 3").check();
    await page.getByLabel("Period: start").fill("2026-11-01");
    await page.getByLabel("Period: end").fill("2026-11-15");
    await page.getByRole("button", { name: "Save as draft" }).click();

    const item = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: title }) });
    await item.getByText("draft", { exact: true }).waitFor();
    await item.getByRole("button", { name: "Mark reviewed" }).click();
    await item.getByText("reviewed", { exact: true }).waitFor();
    await item.getByRole("button", { name: "Validate" }).click();
    await item.getByText("validated", { exact: true }).waitFor();

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
    const stored = lessons.body.items.find((lesson) => lesson.title === title);
    expect(stored?.status).toBe("validated");

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

    await row.getByRole("button", { name: "Disable Nouvelle Bénévole" }).click();
    await row.getByText("disabled on", { exact: false }).waitFor();
    await page.close();
  });
});
