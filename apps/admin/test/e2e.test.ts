import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAGE_JS_BUDGETS_KB, pageScriptSize } from "../scripts/page-size.js";
import { type Browser, buildSite, launchBrowser, seriousViolations } from "./browser.js";
import {
  type ApiCaller,
  CENTRE_SLUG,
  type LocalWorker,
  OBSERVER,
  RECEPTION,
  signIn,
  startLocalWorker,
} from "./local-worker.js";

let worker: LocalWorker;
let context: BrowserContext;
let browser: Browser;
let reception: ApiCaller;

beforeAll(async () => {
  buildSite();
  worker = await startLocalWorker();
  reception = await signIn(worker.origin, RECEPTION.email, RECEPTION.password);
  browser = await launchBrowser({
    profilePrefix: "halte-admin-chromium-",
    viewport: { width: 768, height: 1024 },
  });
  context = browser.context;
  context.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  worker?.stop();
});

async function visitsToday(): Promise<number> {
  const answer = await reception.call<{ visits: number }>(
    "GET",
    `/api/visits/today?centreId=${worker.centreId}`,
  );
  expect(answer.status).toBe(200);
  return answer.body.visits;
}

async function signInThroughPage(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${worker.origin}/sign-in`);
  await page.getByLabel("Email address").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

describe("admin site against the real Worker", () => {
  it("ships the door page and the public directory in at most 60 kB of JavaScript gzip each", () => {
    expect(pageScriptSize("door").gzipKb).toBeLessThanOrEqual(PAGE_JS_BUDGETS_KB.door.budgetKb);
    expect(pageScriptSize("directory").gzipKb).toBeLessThanOrEqual(PAGE_JS_BUDGETS_KB.directory.budgetKb);
  });

  it("shows the sign-in page in English or French, accessible, and explains a wrong password", async () => {
    const page = await context.newPage();
    try {
      await page.goto(`${worker.origin}/sign-in`);
      // The page checks for a session before it draws the form: wait for the heading rather than look once.
      const heading = page.getByRole("heading", { name: "Staff sign-in" });
      await heading.waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      const language = page.locator("header select");
      await language.selectOption("fr");
      await page.getByRole("heading", { name: "Connexion du personnel" }).waitFor();
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe("fr");
      await language.selectOption("en");
      await page.getByRole("heading", { name: "Staff sign-in" }).waitFor();
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe("en");
      await page.getByLabel("Email address").fill(RECEPTION.email);
      await page.getByLabel("Password").fill("not the password at all");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("alert").filter({ hasText: "Wrong email or password" }).waitFor();
    } finally {
      // The choice of language is saved for the whole browser: never leave French behind for the next
      // tests, which sign in through the English labels, even when an assertion above failed.
      await page.evaluate(() => localStorage.removeItem("halte.staff-locale")).catch(() => undefined);
      await page.close();
    }
  });

  it("gives an observer a menu without the door page, and signs out", async () => {
    const page = await context.newPage();
    await signInThroughPage(page, OBSERVER);
    const menu = page.getByRole("navigation", { name: "Menu" });
    await menu.getByRole("link", { name: "Dashboards" }).waitFor();
    expect(await menu.getByRole("link", { name: "Door" }).count()).toBe(0);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Staff sign-in" }).waitFor();
    await page.close();
  });

  it("records arrivals at the door online, on screen within 100 ms, each once in the API", async () => {
    const page = await context.newPage();
    await signInThroughPage(page, RECEPTION);
    await page.waitForURL(`${worker.origin}/door`);
    // Reception volunteers also contribute lessons: the door comes first, where they land.
    expect(await page.getByRole("navigation", { name: "Menu" }).getByRole("link").allTextContents()).toEqual([
      "Door",
      "Lessons learned",
    ]);
    await page.locator("#today-count").waitFor();
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "0");
    expect(await seriousViolations(page)).toEqual([]);
    const before = await visitsToday();

    // One tap, timed in the page: from the click to the new count in the DOM.
    const answer = await page.evaluate(async () => {
      const count = () => Number(document.querySelector("#today-count")?.textContent);
      const start = count();
      const began = performance.now();
      (document.querySelector("button.tap") as HTMLButtonElement).click();
      while (count() === start && performance.now() - began < 1000)
        await new Promise((r) => setTimeout(r, 1));
      return { ms: performance.now() - began, moved: count() - start };
    });
    expect(answer.moved).toBe(1);
    expect(answer.ms).toBeLessThan(100);

    await page.getByRole("button", { name: "18-59" }).click();
    await page.getByRole("button", { name: "First visit" }).click();
    await page.getByRole("button", { name: "Record an arrival" }).click();
    await page.getByRole("button", { name: "Record an arrival" }).click();
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "0");
    await expect.poll(visitsToday).toBe(before + 3);
    await page.close();
  });

  it("records a shower with an arrival: the service chip goes with the next tap, and its counter moves", async () => {
    const showersToday = async () => {
      const answer = await reception.call<{ services: Array<{ name: string; uses: number }> }>(
        "GET",
        `/api/visits/today?centreId=${worker.centreId}`,
      );
      return answer.body.services.find((service) => service.name === "Douches")?.uses ?? -1;
    };
    const page = await context.newPage();
    await page.goto(`${worker.origin}/door`);
    await page.locator("#today-count").waitFor();
    const chip = page.getByRole("button", { name: /^Douches · / });
    await chip.waitFor();
    const before = await showersToday();
    expect(before).toBeGreaterThanOrEqual(0);
    await chip.click();
    expect(await chip.getAttribute("aria-pressed")).toBe("true");
    await page.getByRole("button", { name: "Record an arrival" }).click();
    // The choice went with that arrival only.
    expect(await chip.getAttribute("aria-pressed")).toBe("false");
    await expect.poll(showersToday).toBe(before + 1);
    await expect.poll(() => chip.textContent()).toContain(`${before + 1} today`);
    await expect.poll(() => chip.textContent()).toContain(`${120 - before - 1} left`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("can be worked with the keyboard alone: sign in, reach a chip and the tap button, focus always visible", async () => {
    await context.clearCookies();
    const page = await context.newPage();
    /** Elements that took the focus without showing it (no outline and no shadow). */
    const unseen: string[] = [];
    /** Presses Tab until the focused element matches `selector` (at most 40 times), checking each stop. */
    const tabTo = async (selector: string) => {
      for (let step = 0; step < 40; step++) {
        await page.keyboard.press("Tab");
        const stop = await page.evaluate((wanted) => {
          const element = document.activeElement as HTMLElement | null;
          if (!element || element === document.body) return { matches: false, shown: true, name: "body" };
          const style = getComputedStyle(element);
          const shown = style.outlineStyle !== "none" || style.boxShadow !== "none";
          return { matches: element.matches(wanted), shown, name: element.outerHTML.slice(0, 80) };
        }, selector);
        if (!stop.shown) unseen.push(stop.name);
        if (stop.matches) return;
      }
      throw new Error(`Tab never reached ${selector}`);
    };

    await page.goto(`${worker.origin}/sign-in`);
    await page.getByLabel("Email address").waitFor();
    await tabTo("input[type=email]");
    await page.keyboard.type(RECEPTION.email);
    await tabTo("input[type=password]");
    await page.keyboard.type(RECEPTION.password);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${worker.origin}/door`);
    await page.locator("#today-count").waitFor();
    await page.getByRole("button", { name: /^Douches · / }).waitFor();

    await tabTo("button[aria-pressed]");
    await page.keyboard.press("Space");
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-pressed")))
      .toBe("true");
    const before = Number(await page.locator("#today-count").textContent());
    await tabTo("button.tap");
    await page.keyboard.press("Enter");
    await page.waitForFunction(
      (expected) => document.querySelector("#today-count")?.textContent === expected,
      String(before + 1),
    );
    expect(unseen).toEqual([]);
    await page.close();
  });

  it("queues 50 taps offline, keeps them across a reload, and sends each exactly once when back online", async () => {
    const page = await context.newPage();
    await page.goto(`${worker.origin}/door`);
    // The service worker must control the page before the network goes, or a reload could not be served.
    await page.evaluate(() => navigator.serviceWorker.ready);
    if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "0");
    const before = await visitsToday();

    await context.setOffline(true);
    await page.getByText("Offline:", { exact: false }).waitFor();
    const tap = page.getByRole("button", { name: "Record an arrival" });
    for (let i = 0; i < 50; i += 1) await tap.click();
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "50");

    await page.reload();
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "50");
    expect(await visitsToday()).toBe(before);

    await context.setOffline(false);
    await page.waitForFunction(
      () => document.querySelector("#pending-count")?.textContent === "0",
      undefined,
      {
        timeout: 40_000,
      },
    );
    await expect.poll(visitsToday).toBe(before + 50);
    // A later sync (another reload) sends nothing again.
    await page.reload();
    await page.waitForFunction(
      (expected) => document.querySelector("#today-count")?.textContent === expected,
      String(before + 50),
    );
    expect(await page.locator("#pending-count").textContent()).toBe("0");
    expect(await visitsToday()).toBe(before + 50);
    await page.close();
  });

  it("renders the public directory in Arabic, right to left, without sign-in", async () => {
    await context.clearCookies();
    const page = await context.newPage();
    await page.goto(`${worker.origin}/directory/${CENTRE_SLUG}?lang=ar`);
    await page.getByRole("heading", { level: 1, name: "الخدمات في Halte E2E" }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.dir, document.documentElement.lang])).toEqual([
      "rtl",
      "ar",
    ]);
    await page.getByRole("heading", { name: "الاستحمام" }).waitFor();
    expect(await page.getByText("مفتوح الآن").count()).toBeGreaterThan(0);
    expect(await page.getByText("مغلق", { exact: false }).count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("link", { name: "English" }).click();
    await page.getByRole("heading", { level: 1, name: "Services at Halte E2E" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("ltr");
    await page.close();
  });

  it("serves the public directory to a cheap phone on a slow connection: 360 px wide, no sideways scroll", async () => {
    await context.clearCookies();
    const page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 640 });
    // Roughly a "slow 3G" line (400 ms round trips, 400 kbit/s) and a phone's CPU four times slower.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    // A first visit: nothing from the earlier tests' HTTP cache or from the door's service worker.
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.setBypassServiceWorker", { bypass: true });
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 400,
      downloadThroughput: 50_000,
      uploadThroughput: 50_000,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    const requests: string[] = [];
    page.on("request", (request) => requests.push(new URL(request.url()).pathname));
    await page.goto(`${worker.origin}/directory/${CENTRE_SLUG}?lang=ar`, { timeout: 60_000 });
    await page.getByRole("heading", { name: "الاستحمام" }).waitFor({ timeout: 60_000 });
    expect(await page.getByText("مفتوح الآن").count()).toBeGreaterThan(0);
    // Readable without zooming out or scrolling sideways, right to left.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // One document, the shell and the page's chunk, their CSS and one API read — no staff-only chunks.
    expect(requests.filter((path) => path.startsWith("/api/"))).toEqual([
      `/api/public/centres/${CENTRE_SLUG}/services`,
    ]);
    expect(requests.filter((path) => /\/assets\/(door|dashboards|referrals|partners)-/.test(path))).toEqual(
      [],
    );
    await cdp.detach();
    await page.close();
  });
});
