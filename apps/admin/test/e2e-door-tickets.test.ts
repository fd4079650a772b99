// The door's ticket queue in Chromium against the real Worker: give three tickets, call one (one shower
// counted, exactly once), the others waiting with an estimated wait; then offline: give and call, reload
// offline (the waiting list is still there), reconnect, and the call is counted exactly once; a no-show is
// cancelled without a use. Run under any TZ: times and days follow the centre's zone.

import { localDateOf, startOfLocalDay } from "@halte/core";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { earlierToday } from "../../api/scripts/todays-clock.mjs";
import { type Browser, buildSite, launchBrowser, seriousViolations } from "./browser.js";
import {
  ADMIN,
  type ApiCaller,
  type LocalWorker,
  RECEPTION,
  signIn,
  startLocalWorker,
} from "./local-worker.js";

let worker: LocalWorker;
let context: BrowserContext;
let browser: Browser;
let reception: ApiCaller;
let showers = "";
let letter = "";

interface Ticket {
  label: string;
}
interface Queues {
  queues: Array<{ serviceId: string; waiting: Ticket[]; called: Ticket[] }>;
}

const PARIS = "Europe/Paris";
const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: "00:00", closesAt: "24:00" }));

/**
 * The estimates need today's calls at least a minute and a half apart (a pace under 0.75 min rounds the two
 * waits shown to the same number): in the first two minutes after the centre's midnight, wait them out.
 */
async function afterTodaysFirstMinutes(): Promise<void> {
  const sinceMidnight = Date.now() - startOfLocalDay(localDateOf(new Date(), PARIS), PARIS).getTime();
  if (sinceMidnight < 2 * 60_000) await new Promise((done) => setTimeout(done, 2 * 60_000 - sinceMidnight));
}

beforeAll(async () => {
  await afterTodaysFirstMinutes();
  buildSite();
  worker = await startLocalWorker();
  const admin = await signIn(worker.origin, ADMIN.email, ADMIN.password);
  const created = await admin.call<{ id: string }>("POST", "/api/services", {
    centreId: worker.centreId,
    organizationId: worker.partnerId,
    name: "Bains-douches",
    category: "hygiene",
    ticketQueue: true,
    schedule: { timeZone: "Europe/Paris", weekly: allDay, exceptions: [], dailyCapacity: 12 },
  });
  expect(created.status).toBe(201);
  showers = created.body.id;
  reception = await signIn(worker.origin, RECEPTION.email, RECEPTION.password);
  const claim = await reception.call<{ prefix: string }>("POST", "/api/tickets/prefix", {
    centreId: worker.centreId,
  });
  letter = claim.body.prefix;
  // Two tickets called 10 and 6 minutes ago: the queue has a recent pace to estimate from. Today's minutes
  // in Paris (squeezed just after midnight): yesterday's tickets and uses would not be today's 1, 2 and 2 uses.
  const back = earlierToday(new Date(), 10 * 60_000, PARIS);
  for (const [number, minutesAgo] of [
    [1, 10],
    [2, 6],
  ] as const) {
    const id = `e2e-ticket-${number}`;
    const at = back(minutesAgo * 60_000).toISOString();
    const body = { id, centreId: worker.centreId, serviceId: showers, takenAt: at, prefix: letter, number };
    expect((await reception.call("POST", "/api/tickets", body)).status).toBe(201);
    expect((await reception.call("POST", `/api/tickets/${id}/call`, { calledAt: at })).status).toBe(201);
  }

  browser = await launchBrowser({
    profilePrefix: "halte-tickets-chromium-",
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
}, 240_000);

afterAll(async () => {
  await browser?.close();
  worker?.stop();
});

async function openDoor(): Promise<Page> {
  await context.setOffline(false);
  const page = await context.newPage();
  const answered = page.waitForResponse((response) => response.url().includes("/api/tickets?"));
  await page.goto(`${worker.origin}/door`);
  await answered;
  await page.getByRole("heading", { name: "Queue · Bains-douches" }).waitFor();
  await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "0");
  return page;
}

/** Today's uses of the queued showers, as the API counts them. */
async function uses(): Promise<number> {
  const answer = await reception.call<{ services: Array<{ serviceId: string; uses: number }> }>(
    "GET",
    `/api/visits/today?centreId=${worker.centreId}`,
  );
  return answer.body.services.find((service) => service.serviceId === showers)?.uses ?? -1;
}

async function queue() {
  const answer = await reception.call<Queues>("GET", `/api/tickets?centreId=${worker.centreId}`);
  const found = answer.body.queues.find((q) => q.serviceId === showers);
  return {
    waiting: found?.waiting.map((t) => t.label) ?? [],
    called: found?.called.map((t) => t.label) ?? [],
  };
}

const chip = (page: Page) => page.getByRole("button", { name: /^Bains-douches · / });
const waitingItems = (page: Page) =>
  page.getByRole("list", { name: "Waiting tickets, in order" }).getByRole("listitem");

describe("the door's ticket queue", () => {
  it("gives three tickets, calls one (one use, counted once), shows the two others with a wait", async () => {
    const page = await openDoor();
    const before = await uses();
    expect(before).toBe(2);
    const give = page.getByRole("button", { name: "Give a ticket" });
    for (const number of [3, 4, 5]) {
      await give.click();
      await page.getByText(`Ticket ${letter}-${number}`, { exact: true }).waitFor();
    }
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "0");
    await expect
      .poll(async () => (await queue()).waiting)
      .toEqual([`${letter}-3`, `${letter}-4`, `${letter}-5`]);

    await page.getByRole("button", { name: `Call the next: ${letter}-3` }).click();
    await expect.poll(() => chip(page).textContent()).toContain(`${before + 1} today`);
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "0");
    await expect.poll(uses).toBe(before + 1);
    await page.getByRole("button", { name: `Call the next: ${letter}-4` }).waitFor();
    // Two waiting, in order, each with "about N min" from the recent pace, the second further away.
    await expect.poll(() => waitingItems(page).count()).toBe(2);
    const items = await waitingItems(page).allTextContents();
    expect(items.map((text) => text.split(" ")[0])).toEqual([`${letter}-4`, `${letter}-5`]);
    const minutes = items.map((text) => Number(/about (\d+) min/.exec(text)?.[1] ?? Number.NaN));
    expect(minutes[0]).toBeGreaterThan(0);
    expect(minutes[1]).toBeGreaterThan(minutes[0] as number);
    expect(await seriousViolations(page)).toEqual([]);

    // Counted once: not again after a while, nor after a reload.
    await page.waitForTimeout(1500);
    expect(await uses()).toBe(before + 1);
    await page.reload();
    await expect.poll(() => chip(page).textContent()).toContain(`${before + 1} today`);
    expect(await uses()).toBe(before + 1);
    await page.close();
  });

  it("offline: gives and calls, survives a reload offline, counts the call exactly once on reconnection", async () => {
    const page = await openDoor();
    await page.evaluate(() => navigator.serviceWorker.ready);
    if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.getByRole("heading", { name: "Queue · Bains-douches" }).waitFor();
    const before = await uses();

    await context.setOffline(true);
    await page.getByText("Offline:", { exact: false }).waitFor();
    const give = page.getByRole("button", { name: "Give a ticket" });
    await give.click();
    await page.getByText(`Ticket ${letter}-6`, { exact: true }).waitFor();
    await give.click();
    await page.getByText(`Ticket ${letter}-7`, { exact: true }).waitFor();
    await page.getByRole("button", { name: `Call the next: ${letter}-4` }).click();
    await expect.poll(() => chip(page).textContent()).toContain(`${before + 1} today`);
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "3");

    await page.reload();
    await page.getByRole("heading", { name: "Queue · Bains-douches" }).waitFor();
    await expect
      .poll(async () => (await waitingItems(page).allTextContents()).map((text) => text.split(" ")[0]))
      .toEqual([`${letter}-5`, `${letter}-6`, `${letter}-7`]);
    await expect.poll(() => chip(page).textContent()).toContain(`${before + 1} today`);
    expect(await uses()).toBe(before);

    await context.setOffline(false);
    await page.waitForFunction(
      () => document.querySelector("#pending-count")?.textContent === "0",
      undefined,
      {
        timeout: 40_000,
      },
    );
    await expect.poll(uses).toBe(before + 1);
    expect(await queue()).toMatchObject({ waiting: [`${letter}-5`, `${letter}-6`, `${letter}-7`] });
    expect((await queue()).called[0]).toBe(`${letter}-4`);
    await page.reload();
    await expect.poll(() => chip(page).textContent()).toContain(`${before + 1} today`);
    await page.waitForTimeout(1500);
    expect(await uses()).toBe(before + 1);

    // The next did not answer: cancelled, out of the list, and no use counted.
    await page.getByRole("button", { name: `No show: cancel ${letter}-5, nobody answered` }).click();
    await page.getByRole("button", { name: `Call the next: ${letter}-6` }).waitFor();
    await expect.poll(async () => (await queue()).waiting).toEqual([`${letter}-6`, `${letter}-7`]);
    expect(await uses()).toBe(before + 1);
    await page.close();
  });
});
