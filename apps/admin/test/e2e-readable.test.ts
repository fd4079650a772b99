// Referrals at scale, readable dashboards, the network's internal view and the staff accounts page, in
// Debian's Chromium against the real Worker: 250 referrals paged through with filters kept in the address,
// every staff page at 360 px without sideways scroll and without a serious axe violation in each role, the
// dashboards' compact default, the network's internal-view switch, and the users page's confirmations.
import type { ReferralNeed, Role } from "@halte/core";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, buildSite, launchBrowser, seriousViolations } from "./browser.js";
import { seedDashboardFigures } from "./dashboard-seed.js";
import {
  ADMIN,
  type ApiCaller,
  COORDINATOR,
  type LocalWorker,
  OBSERVER,
  PARTNER_USER,
  RECEPTION,
  signIn,
  startLocalWorker,
} from "./local-worker.js";

let worker: LocalWorker;
let context: BrowserContext;
let browser: Browser;
let coordinator: ApiCaller;
/** One referral to open at 360 px. */
let someReferral = "";

const NEEDS: ReferralNeed[] = ["health", "accommodation", "legal", "food", "social_rights"];

async function createReferral(need: ReferralNeed, send: boolean): Promise<string> {
  const answer = await coordinator.call<{ id: string }>("POST", "/api/referrals", {
    centreId: worker.centreId,
    partnerId: worker.partnerId,
    need,
    send,
    ...(send
      ? { consent: { givenAt: new Date().toISOString(), method: "verbal", scopes: ["store_contact"] } }
      : {}),
  });
  if (answer.status !== 201) throw new Error(`referral: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.id;
}

beforeAll(async () => {
  buildSite();
  worker = await startLocalWorker();
  await seedDashboardFigures(worker.origin, worker.centreId);
  coordinator = await signIn(worker.origin, COORDINATOR.email, COORDINATOR.password);
  // 250 referrals: every third for health (84), the others spread over four needs.
  for (let i = 0; i < 250; i += 1) {
    const need = i % 3 === 0 ? "health" : (NEEDS[1 + (i % 4)] as ReferralNeed);
    const id = await createReferral(need, i % 2 === 0);
    if (i === 0) someReferral = id;
  }
  // Two cancelled referrals: a partner × status cell of 2, hidden from protected figures.
  for (let i = 0; i < 2; i += 1) {
    const id = await createReferral("legal", true);
    const moved = await coordinator.call("POST", `/api/referrals/${id}/status`, { status: "cancelled" });
    if (moved.status !== 200) throw new Error(`cancel: ${moved.status} ${JSON.stringify(moved.body)}`);
  }
  expect((await fetch(`${worker.origin}/sign-in`)).status).toBe(200);
  browser = await launchBrowser({
    profilePrefix: "halte-admin-readable-",
    viewport: { width: 1280, height: 900 },
  });
  context = browser.context;
  context.setDefaultTimeout(30_000);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  worker?.stop();
});

async function signInAs(who: { email: string; password: string }): Promise<Page> {
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(`${worker.origin}/sign-in`);
  await page.getByLabel("Email address").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  return page;
}

const rows = (page: Page) => page.locator("table.referrals tbody tr");

/** How many referrals the API lists for a query (the dashboards' seed adds a few of its own). */
async function countReferrals(query: string): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { items: unknown[]; nextCursor: string | null } } =
      await coordinator.call(
        "GET",
        `/api/referrals?centreId=${worker.centreId}&limit=200&${query}${cursor ? `&cursor=${cursor}` : ""}`,
      );
    expect(page.status).toBe(200);
    count += page.body.items.length;
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return count;
}

describe("referrals at scale, readable pages, every role", { timeout: 300_000 }, () => {
  it("pages through 250 referrals newest first, with filters that survive a reload", async () => {
    const page = await signInAs(COORDINATOR);
    await page.goto(`${worker.origin}/referrals`);
    const total = await countReferrals("");
    expect(total).toBeGreaterThanOrEqual(252);
    await page.getByText("50 referral(s) shown, newest first.", { exact: false }).waitFor();
    expect(await rows(page).count()).toBe(50);
    for (let shown = 100; shown < total + 50; shown += 50) {
      await page.getByRole("button", { name: "Show more" }).click();
      await page.getByText(`${Math.min(shown, total)} referral(s) shown`, { exact: false }).waitFor();
    }
    expect(await rows(page).count()).toBe(total);
    await expect(page.getByRole("button", { name: "Show more" }).count()).resolves.toBe(0);

    // A search: health referrals only, in the address, kept by a reload.
    const health = await countReferrals("need=health");
    expect(health).toBeGreaterThanOrEqual(84);
    await page.getByLabel("Need").selectOption("health");
    await page.waitForURL(/need=health/);
    await page.getByText("50 referral(s) shown", { exact: false }).waitFor();
    await page.getByRole("button", { name: "Show more" }).click();
    await page.getByText(`${Math.min(100, health)} referral(s) shown`, { exact: false }).waitFor();
    expect(new Set(await rows(page).locator("td:nth-child(2)").allTextContents())).toEqual(
      new Set(["health"]),
    );
    await page.reload();
    await page.getByText("50 referral(s) shown", { exact: false }).waitFor();
    await expect(page.getByLabel("Need").inputValue()).resolves.toBe("health");
    // Filters combine: status and a creation day range on the centre's calendar.
    await page.getByLabel("Status").selectOption("requested");
    await page.waitForURL(/status=requested/);
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date());
    await page.getByLabel("Created from").fill(today);
    await page.waitForURL(new RegExp(`from=${today}`));
    const requestedToday = await countReferrals(`need=health&status=requested&from=${today}`);
    expect(requestedToday).toBeGreaterThanOrEqual(42);
    await page.getByText(`${Math.min(50, requestedToday)} referral(s) shown`, { exact: false }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // A referral opened from the filtered list goes back to that list.
    await rows(page).first().getByRole("link").click();
    await page.getByRole("heading", { level: 1, name: "Referral: health" }).waitFor();
    await page.getByRole("link", { name: "Back to the list" }).click();
    await page.getByText(`${Math.min(50, requestedToday)} referral(s) shown`, { exact: false }).waitFor();
    expect(new URL(page.url()).searchParams.get("status")).toBe("requested");
    await page.getByRole("button", { name: "Clear the filters" }).click();
    await page.getByText("50 referral(s) shown", { exact: false }).waitFor();

    // Newest first: a new referral heads the list, whatever ids the older rows carry.
    await createReferral("addiction", false);
    await page.reload();
    await rows(page).first().waitFor();
    await expect(rows(page).first().locator("td:nth-child(2)").textContent()).resolves.toBe("addiction");
    await page.close();
  });

  it.each([
    ["admin", ADMIN],
    ["coordinator", COORDINATOR],
    ["reception", RECEPTION],
    ["partner", PARTNER_USER],
    ["observer", OBSERVER],
  ] as const)(
    "fits every %s page in 360 px without sideways scroll, with no serious axe violation",
    async (role: Role, who) => {
      const page = await signInAs(who);
      await page.setViewportSize({ width: 360, height: 800 });
      const links = page.getByRole("navigation", { name: "Menu" }).getByRole("link");
      await links.first().waitFor();
      const paths = await links.evaluateAll((all) => all.map((a) => (a as HTMLAnchorElement).pathname));
      if (paths.includes("/referrals")) paths.push(`/referrals?id=${someReferral}`);
      const overflowing: string[] = [];
      const violations: string[] = [];
      for (const path of paths) {
        await page.goto(`${worker.origin}${path}`);
        await page.getByRole("heading", { level: 1 }).first().waitFor();
        // Wait for the page's figures or records to arrive (no loading line left).
        await expect.poll(() => page.locator(".loading").count(), { timeout: 30_000 }).toBe(0);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 360) overflowing.push(`${path}: ${width}px`);
        violations.push(...(await seriousViolations(page)).map((v) => `${path}: ${v}`));
      }
      if (paths.includes("/referrals") && role !== "partner" && role !== "observer") {
        await page.goto(`${worker.origin}/referrals`);
        await page.getByRole("button", { name: "New referral" }).click();
        await page.getByRole("heading", { name: "Step 1 of 2: the person's consent" }).waitFor();
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 360) overflowing.push(`new referral: ${width}px`);
      }
      expect(overflowing).toEqual([]);
      expect(violations).toEqual([]);
      await page.close();
    },
  );

  it("shows the referrals table's status and open link at 360 px", async () => {
    const page = await signInAs(COORDINATOR);
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(`${worker.origin}/referrals?need=health`);
    const first = rows(page).first();
    await first.waitFor();
    const inView = await first.evaluate((row) => {
      const cells = [...row.querySelectorAll("td")];
      return cells.map((cell) => {
        const box = cell.getBoundingClientRect();
        return box.width > 0 && box.left >= 0 && box.right <= 360;
      });
    });
    expect(inView).toEqual([true, true, true, true, true]);
    await first.getByRole("link", { name: /Open the health referral/ }).click();
    await page.getByRole("heading", { level: 1, name: "Referral: health" }).waitFor();
    await page.close();
  });

  it("reads the dashboards by week, with the period at a glance, a legend and hidden figures explained", async () => {
    const page = await signInAs(COORDINATOR);
    await page.goto(`${worker.origin}/dashboards`);
    await page.locator("#attendance .chart canvas").waitFor();
    await expect(page.locator("select[name=period]").inputValue()).resolves.toBe("week");
    await page.getByText("Grouped by week", { exact: false }).waitFor();
    const summary = page.locator("#summary");
    await summary.getByRole("table", { name: "Visits by age band" }).waitFor();
    await summary.getByRole("table", { name: "Visits by gender" }).waitFor();
    await summary.getByRole("table", { name: /Visits by language spoken/ }).waitFor();
    await page
      .locator("#service-use")
      .getByRole("table", { name: "Uses per service over the period" })
      .waitFor();
    const legend = page.locator("#attendance .chart-legend");
    await expect(legend.textContent()).resolves.toContain("Visits per week");
    await expect(legend.textContent()).resolves.toContain("Context event");
    await page.getByText("A figure reading “suppressed” is not published", { exact: false }).waitFor();
    await expect.poll(() => page.locator(".loading").count()).toBe(0);
    const desktop = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: 360, height: 800 });
    await page.locator("#attendance .chart canvas").waitFor();
    const phone = await page.evaluate(() => document.documentElement.scrollHeight);
    console.info(`dashboards default view height: ${desktop} px at 1280 px wide, ${phone} px at 360 px`);
    expect(desktop).toBeLessThan(6000);
    expect(phone).toBeLessThan(12000);
    // Coordinators may still switch to exact figures; the summary then adds up exact numbers.
    await page.getByLabel("Exact figures (internal view)").check();
    await page.getByText("Internal view: exact figures, not protected", { exact: false }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("gives coordinators the network's internal view; protected cells say what hidden means", async () => {
    const page = await signInAs(COORDINATOR);
    await page.goto(`${worker.origin}/network`);
    const row = page.getByRole("row", { name: /Partenaire E2E/ });
    await page.getByRole("columnheader", { name: "cancelled" }).waitFor();
    const column = await page
      .getByRole("columnheader")
      .evaluateAll((all) => all.findIndex((th) => th.textContent === "cancelled"));
    const cancelled = () =>
      row
        .getByRole("cell")
        .nth(column - 1)
        .textContent();
    // Two cancelled referrals: protected, the cell never reads 1…4.
    expect(["0", "5"]).toContain(await cancelled());
    await page.getByLabel("Exact figures (internal view)").check();
    await page.getByText("Internal view: exact figures, not protected", { exact: false }).waitFor();
    await expect.poll(cancelled).toBe("2");
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
    // An observer has no network page; the dashboards stay protected for them, with no switch.
    const observer = await signInAs(OBSERVER);
    await observer.goto(`${worker.origin}/dashboards`);
    await observer.locator("#summary").waitFor();
    await expect(observer.getByLabel("Exact figures (internal view)").count()).resolves.toBe(0);
    await observer.close();
  });

  it("asks before disabling an account, re-enables it, and says each change on the page", async () => {
    const page = await signInAs(ADMIN);
    await page.goto(`${worker.origin}/users`);
    await page.getByRole("heading", { level: 1, name: "Staff accounts" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Amina Test");
    await page.getByLabel("Email address").fill("amina@e2e.halte.test");
    await page.getByLabel("Initial password", { exact: false }).fill("a long enough password");
    await page.getByRole("button", { name: "Create the account" }).click();
    // The accounts' own status line, the page's first: the door devices' section has one of its own.
    const status = page.getByRole("status").first();
    await expect.poll(() => status.textContent()).toContain("Amina Test");
    await status.waitFor({ state: "visible" });

    const dialogs: string[] = [];
    let answer = false;
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void (answer ? dialog.accept() : dialog.dismiss());
    });
    const row = page.getByRole("row", { name: /Amina Test/ });
    await row.getByRole("button", { name: "Disable Amina Test" }).click();
    await expect.poll(() => dialogs.length).toBe(1);
    expect(dialogs[0]).toContain("Disable Amina Test's account?");
    // Dismissed: nothing changed.
    await row.getByRole("button", { name: "Disable Amina Test" }).waitFor();
    answer = true;
    await row.getByRole("button", { name: "Disable Amina Test" }).click();
    await row.getByRole("button", { name: "Re-enable Amina Test" }).waitFor();
    await expect.poll(() => status.textContent()).toContain("disabled");
    await row.getByRole("button", { name: "Re-enable Amina Test" }).click();
    await row.getByRole("button", { name: "Disable Amina Test" }).waitFor();
    await expect.poll(() => status.textContent()).toContain("re-enabled");
    const signIn = await fetch(`${worker.origin}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "amina@e2e.halte.test", password: "a long enough password" }),
    });
    expect(signIn.status).toBe(200);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
