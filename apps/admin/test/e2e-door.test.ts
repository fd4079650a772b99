// The door on a phone (360 × 740, a slow 3G-like network through the DevTools protocol) against the real
// Worker: "+1" a service for someone already inside, undo of the last taps (sent or still queued), the
// service rows next to the tap button with closed services closed, a counter that never goes backwards,
// and an offline reload that still shows the whole day.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, buildSite, launchBrowser, seriousViolations } from "./browser.js";
import {
  ADMIN,
  type ApiCaller,
  COORDINATOR,
  type LocalWorker,
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
    profilePrefix: "halte-door-chromium-",
    viewport: { width: 360, height: 740 },
  });
  context = browser.context;
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(`${worker.origin}/sign-in`);
  await page.getByLabel("Email address").fill(RECEPTION.email);
  await page.getByLabel("Password").fill(RECEPTION.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${worker.origin}/door`);
  await page.locator("#today-count").waitFor();
  await page.close();
});

afterAll(async () => {
  await browser?.close();
  worker?.stop();
});

/** A door page, on a throttled phone network (150 ms, ~1.6 Mbit/s) when asked. */
async function openDoor(options: { throttled: boolean }): Promise<Page> {
  // A test that failed offline must not take the next ones down with it.
  await context.setOffline(false);
  const page = await context.newPage();
  // Playwright's own offline switch drives the same DevTools setting: the tests that go offline use it alone.
  if (options.throttled) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 150,
      downloadThroughput: 200_000,
      uploadThroughput: 90_000,
    });
  }
  // Signed in once (beforeAll): the session cookie serves every new tab. The day cached on the device is
  // drawn first; wait for the server's own answer.
  const answered = page.waitForResponse((response) => response.url().includes("/api/visits/today"));
  await page.goto(`${worker.origin}/door`);
  await answered;
  await page.locator("#today-count").waitFor();
  await page.getByRole("button", { name: /^Douches · / }).waitFor();
  await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "0");
  return page;
}

async function today() {
  const answer = await reception.call<{ visits: number; services: Array<{ name: string; uses: number }> }>(
    "GET",
    `/api/visits/today?centreId=${worker.centreId}`,
  );
  expect(answer.status).toBe(200);
  return {
    visits: answer.body.visits,
    showers: answer.body.services.find((service) => service.name === "Douches")?.uses ?? -1,
  };
}

const shown = (page: Page) => page.locator("#today-count").textContent().then(Number);

describe("the door on a phone", () => {
  it("puts the service rows right above the tap button, in the first screen, closed services closed", async () => {
    const page = await openDoor({ throttled: true });
    const rows = page.locator(".door-services");
    const tap = page.getByRole("button", { name: "Record an arrival" });
    const details = page.getByRole("group", { name: "Optional details (for the next arrival)" });
    const [rowsBox, tapBox, detailsBox] = await Promise.all([
      rows.boundingBox(),
      tap.boundingBox(),
      details.boundingBox(),
    ]);
    if (!rowsBox || !tapBox || !detailsBox) throw new Error("the door is not drawn");
    expect(tapBox.y - (rowsBox.y + rowsBox.height)).toBeLessThan(40);
    expect(tapBox.y + tapBox.height).toBeLessThanOrEqual(740);
    expect(detailsBox.y).toBeGreaterThan(tapBox.y);
    // The legal desk has no opening at all: it reads closed, and neither its chip nor its "+1" can be tapped.
    const closed = page.getByRole("button", { name: "Permanence juridique · closed" });
    await closed.waitFor();
    expect(await closed.isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: /^\+1 Permanence juridique/ }).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: /^\+1 Douches/ }).isEnabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("counts +1 shower for someone already inside: no new arrival, once in the API, offline too", async () => {
    const page = await openDoor({ throttled: false });
    const before = await today();
    const plusOne = page.getByRole("button", { name: /^\+1 Douches/ });
    const chip = page.getByRole("button", { name: /^Douches · / });
    await plusOne.click();
    await expect.poll(() => chip.textContent()).toContain(`${before.showers + 1} today`);
    await expect.poll(async () => (await today()).showers).toBe(before.showers + 1);

    await context.setOffline(true);
    await page.getByText("Offline:", { exact: false }).waitFor();
    await plusOne.click();
    await plusOne.click();
    await expect.poll(() => chip.textContent()).toContain(`${before.showers + 3} today`);
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "2");
    await context.setOffline(false);
    await page.waitForFunction(
      () => document.querySelector("#pending-count")?.textContent === "0",
      undefined,
      {
        timeout: 40_000,
      },
    );
    await expect.poll(async () => (await today()).showers).toBe(before.showers + 3);
    expect((await today()).visits).toBe(before.visits);
    expect(await shown(page)).toBe(before.visits);
    await page.reload();
    await expect.poll(() => chip.textContent()).toContain(`${before.showers + 3} today`);
    expect((await today()).showers).toBe(before.showers + 3);
    await page.close();
  });

  it("undoes a sent arrival and a queued +1: out of the screen and of the API, nothing sent later", async () => {
    const page = await openDoor({ throttled: false });
    const before = await today();
    await page.getByRole("button", { name: /^Douches · / }).click();
    await page.getByRole("button", { name: "Record an arrival" }).click();
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "0");
    await expect.poll(today).toEqual({ visits: before.visits + 1, showers: before.showers + 1 });

    await page.getByRole("button", { name: /^Undo: arrival at \d\d:\d\d$/ }).click();
    await expect.poll(today).toEqual(before);
    await expect.poll(() => shown(page)).toBe(before.visits);

    await context.setOffline(true);
    await page.getByText("Offline:", { exact: false }).waitFor();
    await page.getByRole("button", { name: /^\+1 Douches/ }).click();
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "1");
    await page.getByRole("button", { name: /^Undo: Douches at / }).click();
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "0");
    await context.setOffline(false);
    await page.getByText("Online", { exact: true }).waitFor();
    await page.reload();
    await page.locator("#today-count").waitFor();
    await expect.poll(() => shown(page)).toBe(before.visits);
    expect(await today()).toEqual(before);
    await page.close();
  });

  it("never shows a lower count while taps land during slow refreshes", async () => {
    const page = await openDoor({ throttled: true });
    // Every refresh answers with the counts as they were when it left, 400 ms late: a tap sent meanwhile is
    // in neither that answer nor the queue read after it — the moment the old door dropped by one.
    await page.route("**/api/visits/today*", async (route) => {
      const answer = await route.fetch();
      const body = await answer.text();
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.fulfill({ response: answer, body });
    });
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { seen: number[] }).seen = seen;
      const target = document.querySelector("#today-count") as HTMLElement;
      new MutationObserver(() => seen.push(Number(target.textContent))).observe(target, {
        characterData: true,
        childList: true,
        subtree: true,
      });
    });
    const start = await shown(page);
    const tap = page.getByRole("button", { name: "Record an arrival" });
    for (let i = 0; i < 8; i += 1) {
      await tap.click();
      await page.waitForTimeout(150);
    }
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "0");
    await expect.poll(async () => (await today()).visits).toBe(start + 8);
    await page.waitForTimeout(1000);
    const seen = await page.evaluate(() => (window as unknown as { seen: number[] }).seen);
    expect(seen.at(-1)).toBe(start + 8);
    for (let i = 1; i < seen.length; i += 1)
      expect(seen[i], seen.join(",")).toBeGreaterThanOrEqual(seen[i - 1] ?? 0);
    expect(await shown(page)).toBe(start + 8);
    await page.close();
  });

  it("reloaded offline, shows the whole day and the service rows, not only the queued taps", async () => {
    const page = await openDoor({ throttled: false });
    await page.evaluate(() => navigator.serviceWorker.ready);
    if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const before = await today();
    expect(before.visits).toBeGreaterThan(0);
    await context.setOffline(true);
    await page.getByText("Offline:", { exact: false }).waitFor();
    const tap = page.getByRole("button", { name: "Record an arrival" });
    for (let i = 0; i < 3; i += 1) await tap.click();
    await page.reload();
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "3");
    await expect.poll(() => shown(page)).toBe(before.visits + 3);
    await page
      .getByRole("button", { name: `Douches · ${before.showers} today · ${120 - before.showers} left` })
      .waitFor();
    await context.setOffline(false);
    await page.waitForFunction(
      () => document.querySelector("#pending-count")?.textContent === "0",
      undefined,
      {
        timeout: 40_000,
      },
    );
    await expect.poll(async () => (await today()).visits).toBe(before.visits + 3);
    await page.close();
  });

  it("offers the centre's own door languages, chosen by an admin with the language picker, in their own script", async () => {
    const signInAs = async (page: Page, who: { email: string; password: string }) => {
      await page.getByRole("heading", { name: "Staff sign-in" }).waitFor();
      await page.getByLabel("Email address").fill(who.email);
      await page.getByLabel("Password").fill(who.password);
      await page.getByRole("button", { name: "Sign in" }).click();
    };
    const page = await openDoor({ throttled: false });
    await page.getByRole("button", { name: "Sign out" }).click();
    await signInAs(page, ADMIN);
    await page.waitForURL(
      /\/(door|dashboards|services|referrals|partners|lessons|events|reports|audit|users)/,
    );
    await page.goto(`${worker.origin}/door`);
    const picker = page.getByRole("combobox", { name: "Search a language (name or ISO 639 code)" });
    await picker.waitFor();
    for (const code of ["so", "am"]) {
      await picker.fill(code);
      await page.getByRole("button", { name: "Add", exact: true }).click();
    }
    await page.getByRole("button", { name: "Save the languages" }).click();
    await page.getByText("Door languages saved.").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Sign out" }).click();
    await signInAs(page, RECEPTION);
    await page.waitForURL(`${worker.origin}/door`);
    const somali = page.getByRole("button", { name: "Soomaali" });
    await somali.waitFor();
    expect(await somali.getAttribute("lang")).toBe("so");
    await page.getByRole("button", { name: "አማርኛ" }).waitFor();
    await page.getByRole("button", { name: "ትግርኛ" }).waitFor();
    await somali.click();
    await page.getByRole("button", { name: "Record an arrival" }).click();
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "0");
    const admin = await signIn(worker.origin, ADMIN.email, ADMIN.password);
    const listed = await admin.call<{ items: Array<{ languages: string[] }> }>(
      "GET",
      `/api/visits?centreId=${worker.centreId}&limit=200`,
    );
    expect(listed.body.items.filter((visit) => visit.languages.includes("so"))).toHaveLength(1);
    await page.close();
  });

  // Last: it signs the browser's staff sessions out.
  it("as a door device, starts offline in a closed and reopened tab with the whole day, counts 50 offline taps once, and stops when revoked", async () => {
    const signInAs = async (page: Page, who: { email: string; password: string }) => {
      await page.getByLabel("Email address").fill(who.email);
      await page.getByLabel("Password").fill(who.password);
      await page.getByRole("button", { name: "Sign in" }).click();
    };
    // The coordinator signs in on the tablet and makes it a door, then signs out.
    let page = await openDoor({ throttled: false });
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Staff sign-in" }).waitFor();
    await signInAs(page, COORDINATOR);
    await page.waitForURL(`${worker.origin}/door`);
    await page.getByLabel("Device name").fill("Gate tablet");
    await page.getByRole("button", { name: "Set up this device as a door" }).click();
    await page.getByText("This device records at the door as “Gate tablet”").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.close();

    // A new tab: no staff session, the device's cookie alone.
    page = await openDoor({ throttled: false });
    await page.getByText("This device records at the door as “Gate tablet”").waitFor();
    await page.evaluate(() => navigator.serviceWorker.ready);
    if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    // It records as the device: three arrivals, sent at once.
    const first = await today();
    for (let i = 0; i < 3; i += 1) await page.getByRole("button", { name: "Record an arrival" }).click();
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "0");
    await expect.poll(async () => (await today()).visits).toBe(first.visits + 3);
    await expect.poll(() => shown(page)).toBe(first.visits + 3);
    const before = await today();
    await page.close();

    // The tab was closed; the tablet starts again with no network.
    await context.setOffline(true);
    page = await context.newPage();
    await page.goto(`${worker.origin}/door`);
    await page.getByText("Offline:", { exact: false }).waitFor();
    await expect.poll(() => shown(page)).toBe(before.visits);
    await page
      .getByRole("button", { name: `Douches · ${before.showers} today · ${120 - before.showers} left` })
      .waitFor();
    const tap = page.getByRole("button", { name: "Record an arrival" });
    for (let i = 0; i < 50; i += 1) await tap.click();
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "50");
    expect(await shown(page)).toBe(before.visits + 50);
    await page.close();

    // Reopened online: the 50 go once, and the day shows them.
    await context.setOffline(false);
    page = await context.newPage();
    await page.goto(`${worker.origin}/door`);
    await page.waitForFunction(
      () => document.querySelector("#pending-count")?.textContent === "0",
      undefined,
      {
        timeout: 40_000,
      },
    );
    await expect.poll(async () => (await today()).visits).toBe(before.visits + 50);
    await expect.poll(() => shown(page)).toBe(before.visits + 50);
    await page.reload();
    await expect.poll(() => shown(page)).toBe(before.visits + 50);
    expect((await today()).visits).toBe(before.visits + 50);
    await page.close();

    // An admin revokes it on the users page; the device's next request is refused and it shows sign-in.
    page = await context.newPage();
    await page.goto(`${worker.origin}/sign-in`);
    await page
      .getByRole("button", { name: "Sign out" })
      .click()
      .catch(() => undefined);
    await page.getByRole("heading", { name: "Staff sign-in" }).waitFor();
    await signInAs(page, ADMIN);
    await page
      .getByRole("navigation", { name: "Menu" })
      .getByRole("link", { name: "Staff accounts" })
      .click();
    await page.getByRole("button", { name: "Revoke Gate tablet" }).click();
    await page.getByText(/^revoked on /).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.close();
    page = await context.newPage();
    await page.goto(`${worker.origin}/door`);
    await page.getByRole("heading", { name: "Staff sign-in" }).waitFor();
    await page.close();
  });
});
