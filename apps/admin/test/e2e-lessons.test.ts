// The participatory lessons workspace in Debian's Chromium against the real Worker: a reception volunteer
// and a partner's staff member each contribute a lesson; an anonymous visitor leaves feedback in Tigrinya
// from the public directory and a coordinator moderates it into a lesson's evidence; the author cannot
// validate their own lesson and a validated lesson goes back to draft only with a reason; a figure picked
// from the visits report prints in the guide with its value; an event's count shows on the attendance
// chart; the dashboards count feedback and lessons. Axe finds no serious violation on any of these pages.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, buildSite, launchBrowser, seriousViolations } from "./browser.js";
import { seedDashboardFigures } from "./dashboard-seed.js";
import {
  ADMIN,
  type ApiCaller,
  CENTRE_SLUG,
  COORDINATOR,
  type LocalWorker,
  PARTNER_USER,
  RECEPTION,
  signIn,
  startLocalWorker,
} from "./local-worker.js";

let worker: LocalWorker;
let context: BrowserContext;
let browser: Browser;
let coordinator: ApiCaller;

beforeAll(async () => {
  buildSite();
  worker = await startLocalWorker();
  await seedDashboardFigures(worker.origin, worker.centreId);
  coordinator = await signIn(worker.origin, COORDINATOR.email, COORDINATOR.password);
  expect((await fetch(`${worker.origin}/sign-in`)).status).toBe(200);
  browser = await launchBrowser({
    profilePrefix: "halte-admin-lessons-",
    viewport: { width: 1024, height: 1200 },
  });
  context = browser.context;
  context.setDefaultTimeout(30_000);
  context.on("page", (page) => page.on("dialog", (dialog) => void dialog.accept()));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  worker?.stop();
});

async function signedInPage(
  who: { email: string; password: string },
  menuLabel: string,
  /** Where the page's clock starts, when not now. */
  clockAt?: Date,
): Promise<Page> {
  await context.clearCookies();
  const page = await context.newPage();
  if (clockAt) await page.clock.install({ time: clockAt });
  await page.goto(`${worker.origin}/sign-in`, { waitUntil: "domcontentloaded" });
  await page.getByLabel("Email address").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: menuLabel }).click();
  return page;
}

/** Fills the lesson form with a complete statement; evidence is added by each test. */
async function fillLesson(page: Page, title: string, theme = "premises_logistics") {
  await page.locator("#lesson-title").fill(title);
  await page.locator("#lesson-type").selectOption("recommendation");
  await page.locator("#lesson-theme").selectOption(theme);
  await page.getByLabel("In the context of…").fill("a camp evacuation.");
  await page.getByLabel("when…").fill("120 people arrived before 9:00");
  await page.getByLabel("the result was…").fill("showers were saturated by 10:00");
  await page.getByLabel("because…").fill("slots were not staggered");
  await page.getByLabel("therefore…").fill("open extra shower slots on evacuation days.");
  await page.getByLabel("centre team").check();
  await page.getByLabel("Period: start").fill("2026-11-01");
  await page.getByLabel("Period: end").fill("2026-11-15");
}

function lessonItem(page: Page, title: string) {
  return page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: title, exact: true }) });
}

async function lessonByTitle(title: string) {
  const page = await coordinator.call<{
    items: Array<{ id: string; title: string; status: string; evidence: unknown[] }>;
  }>("GET", `/api/lessons?centreId=${worker.centreId}&limit=200`);
  return page.body.items.find((lesson) => lesson.title === title);
}

describe("participatory lessons against the real Worker", () => {
  it.each([
    ["a reception volunteer", RECEPTION, "Greet people by language at the door"],
    ["a partner's staff member", PARTNER_USER, "A shared partners' desk on Tuesdays"],
  ] as const)("lets %s contribute a lesson, citing a context event", async (_who, who, title) => {
    const page = await signedInPage(who, "Lessons learned");
    await page.getByRole("heading", { name: "Contribute a lesson" }).waitFor();
    await fillLesson(page, title, "staff_volunteers");
    await page.locator("#lesson-evidence-kind").selectOption("event");
    await page.locator("#lesson-evidence-reference option").first().waitFor({ state: "attached" });
    await page.getByLabel("What the evidence shows").fill("Arrivals doubled that week");
    await page.getByRole("button", { name: "Add this evidence" }).click();
    await page.getByRole("button", { name: "Remove evidence 1" }).waitFor();
    await page.getByRole("button", { name: "Save as draft" }).click();
    const item = lessonItem(page, title);
    await item.getByText("contributed by you").waitFor();
    await expect(item.textContent()).resolves.toContain("Arrivals doubled that week");
    // Contributors edit their own lesson after saving; they do not validate.
    await item.getByRole("button", { name: "Edit" }).click();
    await page.locator("#lesson-title").fill(`${title} (edited)`);
    await page.getByRole("button", { name: "Save changes" }).click();
    await lessonItem(page, `${title} (edited)`).waitFor();
    await expect(page.getByRole("button", { name: "Validate" }).count()).resolves.toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    expect((await lessonByTitle(`${title} (edited)`))?.status).toBe("draft");
    await page.close();
  });

  it("takes anonymous feedback in Tigrinya from the directory, which a coordinator moderates into evidence", async () => {
    const visitor = await context.newPage();
    await context.clearCookies();
    await visitor.clock.install();
    await visitor.goto(`${worker.origin}/directory/${CENTRE_SLUG}?lang=ti`);
    await visitor.getByRole("link", { name: "ርእይቶኹም ሃቡ ወይ ጥርዓን ኣቕርቡ" }).click();
    const text = "ሻወር ብዙሕ ግዜ ንጽበ። ንግሆ ተወሳኺ ሰዓታት ይኽፈት።";
    await visitor.getByLabel("መልእኽትኹም").fill(text);
    // No name is asked; the form says not to write one.
    await expect(visitor.locator("main").textContent()).resolves.toContain("ስምኩም");
    expect(await visitor.locator("input[type=email], input[type=tel]").count()).toBe(0);
    expect(await seriousViolations(visitor)).toEqual([]);
    expect(await visitor.evaluate(() => document.documentElement.lang)).toBe("ti");
    await visitor.clock.fastForward(8000);
    await visitor.getByRole("button", { name: "ስደዱ" }).click();
    await visitor.getByRole("status").filter({ hasText: "የቐንየልና" }).waitFor();
    await visitor.close();

    const page = await signedInPage(COORDINATOR, "Feedback from people assisted");
    const card = page.getByRole("listitem").filter({ hasText: text });
    await card.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await card.getByRole("button", { name: "Approve" }).click();
    await page.getByText("Feedback approved: it may now back a lesson.").waitFor();

    // The coordinator cites it in the reception volunteer's lesson.
    await page
      .getByRole("navigation", { name: "Menu" })
      .getByRole("link", { name: "Lessons learned" })
      .click();
    const title = "Greet people by language at the door (edited)";
    await lessonItem(page, title).getByRole("button", { name: "Edit" }).click();
    await page.locator("#lesson-evidence-kind").selectOption("feedback");
    await page
      .locator("#lesson-evidence-reference option")
      .filter({ hasText: "ሻወር" })
      .waitFor({ state: "attached" });
    await page.getByLabel("What the evidence shows").fill("Asked for at the morning opening");
    await page.getByRole("button", { name: "Add this evidence" }).click();
    await page.getByRole("button", { name: "Save changes" }).click();
    await lessonItem(page, title).getByText("Asked for at the morning opening", { exact: false }).waitFor();
    const stored = await lessonByTitle(title);
    expect(stored?.evidence).toEqual([
      expect.objectContaining({ kind: "event" }),
      expect.objectContaining({ kind: "feedback", description: "Asked for at the morning opening" }),
    ]);
    await page.close();
  });

  it("keeps four eyes, asks why a validated lesson goes back, and prints a picked figure with its value", async () => {
    const title = "Open extra shower slots on evacuation days";
    // The device's clock at the last New Year's Eve, 23:30 UTC: already 1 January in Paris, so the report
    // year offered is the centre's new year, not the device's old one (nor UTC's).
    const thisYear = new Date().getUTCFullYear();
    const newYearsEve = new Date(Date.UTC(thisYear - 1, 11, 31, 23, 30));
    const page = await signedInPage(COORDINATOR, "Lessons learned", newYearsEve);
    await page.getByRole("heading", { name: "Contribute a lesson" }).waitFor();
    await fillLesson(page, title);
    await page.getByLabel("3. Preparedness and resilience").check();
    await page.locator("#lesson-evidence-kind").selectOption("figure");
    await expect.poll(() => page.getByLabel("Report year").inputValue()).toBe(String(thisYear));
    // Then the year of the newest seeded figures: dashboard-seed.ts puts visits on the seven UTC days before
    // today, in daytime (the same day in Paris), so around New Year they may all be last year's.
    await page.clock.setSystemTime(new Date());
    const seededYear = new Date(Date.now() - 86_400_000).toISOString().slice(0, 4);
    await page.getByLabel("Report year").fill(seededYear);
    await page.getByLabel("Periods").selectOption("month");
    const period = page.getByLabel("Period", { exact: true });
    await period.locator("option").first().waitFor({ state: "attached" });
    const periods = await period.locator("option").allTextContents();
    const chosen = periods.at(-1) ?? "";
    await period.selectOption(chosen);
    await page.getByLabel("Figure", { exact: true }).selectOption("visits");
    const shown = await page.locator(".figure-value").textContent();
    await page.getByLabel("What the evidence shows").fill("Visits that month.");
    await page.getByRole("button", { name: "Add this evidence" }).click();
    await page.getByRole("button", { name: "Save as draft" }).click();

    // The figure is the protected one the report publishes, stored with the lesson.
    const year = chosen.slice(0, 4);
    const report = await coordinator.call<{
      items: Array<{ period: string; visits: { grandTotal: { value: number } } }>;
    }>(
      "GET",
      `/api/reports/visits?centreId=${worker.centreId}&from=${year}-01-01&to=${year}-12-31&period=month`,
    );
    const published = report.body.items.find((item) => item.period === chosen)?.visits.grandTotal.value ?? -1;
    const formatted = new Intl.NumberFormat("en-GB").format(published);
    expect(shown).toBe(`Published (disclosure-controlled) value: ${formatted}`);

    const item = lessonItem(page, title);
    await expect(item.textContent()).resolves.toContain(`Visits, ${chosen}: ${formatted}`);
    await item.getByRole("button", { name: "Mark reviewed" }).click();
    await item.getByText("reviewed", { exact: true }).waitFor();
    // The author may not validate: the button says why.
    await expect(item.getByRole("button", { name: "Validate" }).isDisabled()).resolves.toBe(true);
    await item.getByText("You contributed it: someone else validates it (four eyes).").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();

    const other = await signedInPage(ADMIN, "Lessons learned");
    const theirs = lessonItem(other, title);
    await theirs.getByRole("button", { name: "Validate" }).click();
    await theirs.getByText("validated", { exact: true }).waitFor();
    const [guide] = await Promise.all([
      context.waitForEvent("page"),
      other.getByRole("link", { name: "Open the guide for the next centre (printable)" }).click(),
    ]);
    await guide.waitForLoadState();
    const body = (await guide.locator("body").textContent()) ?? "";
    expect(body).toContain(`Visits, period ${chosen}: ${formatted}, published figure read on`);
    expect(body).toContain("3. Preparedness and resilience");
    // The contributor's own full stops do not double the template's.
    expect(body).toContain("In the context of a camp evacuation, when");
    expect(body).not.toMatch(/\.\.(?!\.)|\.,|\.\s+\(/);
    await guide.close();

    // Back to draft: a confirmation with a reason, both kept in the history.
    await theirs.getByRole("button", { name: "Send back to draft" }).click();
    const confirm = theirs.getByRole("button", { name: "Confirm: send back to draft" });
    await expect(confirm.isDisabled()).resolves.toBe(true);
    await theirs
      .getByLabel("Why send it back to draft? It will leave the guide.")
      .fill("The month's figures were corrected");
    await confirm.click();
    await theirs.getByText("draft", { exact: true }).waitFor();
    await theirs.getByRole("button", { name: "History" }).click();
    await theirs.getByText("reason: The month's figures were corrected", { exact: false }).waitFor();
    await expect(theirs.locator(".lesson-history").textContent()).resolves.toContain(
      "validated → draft by Admin E2E",
    );
    await other.getByRole("button", { name: "Print" }).waitFor();
    await other.close();
  });

  it("records an event with the people it concerned, shown on the attendance chart and the dashboards", async () => {
    const page = await signedInPage(COORDINATOR, "Context events");
    await page.getByRole("heading", { name: "Record an event" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    const today = await page.evaluate(() =>
      new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(
        new Date(Date.now() - 3 * 86_400_000),
      ),
    );
    await page.getByLabel("Kind").selectOption("camp_evacuation");
    await page.getByLabel("Title").fill("Évacuation du campement");
    await page.getByLabel("First day").fill(today);
    await page.getByLabel("People concerned (optional)").fill("1609");
    await page.getByLabel("of them vulnerable (optional)").fill("80");
    await page.getByRole("button", { name: "Save" }).click();
    const card = page.getByRole("listitem").filter({ hasText: "Évacuation du campement" });
    await card.getByText("1,609 people concerned, 80 of them vulnerable").waitFor();
    await card.getByRole("button", { name: "Edit Évacuation du campement" }).click();
    await page.getByLabel("of them vulnerable (optional)").fill("75");
    await page.getByRole("button", { name: "Save" }).click();
    await card.getByText("1,609 people concerned, 75 of them vulnerable").waitFor();

    await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Dashboards" }).click();
    await page.locator("#attendance .chart canvas").waitFor();
    await page
      .locator("#attendance")
      .getByText("Évacuation du campement (1,609 people, 75 vulnerable)")
      .waitFor();
    const learning = page.locator("#learning");
    await learning.getByText("1 received: 0 to moderate, 1 approved, 0 rejected.").waitFor();
    await learning.locator("#lessons-by-chs-caption").waitFor();
    const preparedness = learning.getByRole("row", { name: /3\. Preparedness and resilience/ });
    await expect(preparedness.textContent()).resolves.toMatch(/Preparedness and resilience1001/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
