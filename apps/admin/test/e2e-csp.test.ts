// Issue 12, findings 2 and 3, in Chromium against the real Worker (`wrangler dev`, static assets with their
// `_headers`): every page of the admin site works under its Content-Security-Policy without one violation,
// the policy refuses an injected inline script, and the API reference runs from the site's own files.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, buildSite, launchBrowser } from "./browser.js";
import { seedDashboardFigures } from "./dashboard-seed.js";
import { ADMIN, CENTRE_SLUG, type LocalWorker, startLocalWorker } from "./local-worker.js";

let worker: LocalWorker;
let context: BrowserContext;
let browser: Browser;

beforeAll(async () => {
  buildSite();
  worker = await startLocalWorker();
  // Figures, so the dashboards draw their uPlot chart.
  await seedDashboardFigures(worker.origin, worker.centreId);
  browser = await launchBrowser({
    profilePrefix: "halte-admin-csp-chromium-",
    viewport: { width: 1024, height: 900 },
  });
  context = browser.context;
  context.setDefaultTimeout(30_000);
  // Runs before any script of the page (through the DevTools protocol, which the CSP does not govern) and
  // records every violation the page reports, and every request that leaves the site's origin.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) => {
      seen.push(
        `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`,
      );
    });
  });
});

afterAll(async () => {
  await browser?.close();
  worker?.stop();
});

async function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
}

/** Requests the page made to anywhere but the Worker itself (a CDN, say). */
function recordForeignRequests(page: Page): string[] {
  const foreign: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin !== worker.origin && url.protocol !== "data:") foreign.push(request.url());
  });
  return foreign;
}

async function signedInPage(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${worker.origin}/sign-in`);
  await page.getByLabel("Email address").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  return page;
}

describe("the admin site under its Content-Security-Policy", () => {
  it("refuses an inline script injected into a page", async () => {
    const page = await context.newPage();
    await page.goto(`${worker.origin}/sign-in`);
    await page.getByLabel("Email address").waitFor();
    const ran = await page.evaluate(async () => {
      const script = document.createElement("script");
      script.textContent = "window.injectedRan = true;";
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return (window as unknown as { injectedRan?: boolean }).injectedRan === true;
    });
    expect(ran).toBe(false);
    expect((await violations(page)).some((v) => v.startsWith("script-src"))).toBe(true);
    await page.close();
  });

  it("shows every staff page, the dashboards' uPlot chart included, without one violation", async () => {
    const page = await signedInPage();
    const foreign = recordForeignRequests(page);
    for (const path of [
      "/door",
      "/dashboards",
      "/network",
      "/lessons",
      "/audit",
      "/users",
      "/services",
      "/partners",
      "/referrals",
      "/jobs",
    ]) {
      await page.goto(`${worker.origin}${path}`);
      await page.getByRole("button", { name: "Sign out" }).waitFor();
      await page.locator("main h1, main h2").first().waitFor();
      if (path === "/dashboards") await page.locator("#attendance .chart canvas").waitFor();
      expect(await violations(page), path).toEqual([]);
    }
    // The service worker registered under the same policy.
    const registered = await page.evaluate(
      async () => (await navigator.serviceWorker.getRegistration()) !== undefined,
    );
    expect(registered).toBe(true);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it("shows the public directory without one violation", async () => {
    const page = await context.newPage();
    await page.goto(`${worker.origin}/directory/${CENTRE_SLUG}`);
    await page.getByRole("heading", { name: "Showers" }).waitFor();
    expect(await violations(page)).toEqual([]);
    await page.goto(`${worker.origin}/directory`);
    await page.getByRole("link", { name: /Halte E2E/ }).waitFor();
    expect(await violations(page)).toEqual([]);
    await page.close();
  });

  it("runs the API reference from the site's own files, with no request elsewhere and no violation", async () => {
    const page = await context.newPage();
    const foreign = recordForeignRequests(page);
    await page.goto(`${worker.origin}/api/docs`);
    await page.locator(".swagger-ui .info .title").getByText("Halte API").waitFor();
    await page.locator(".opblock-tag").first().waitFor();
    expect(await violations(page)).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });
});
