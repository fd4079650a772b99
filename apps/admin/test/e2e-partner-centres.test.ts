// The centres a partner works with, on the partner's page, in real Chromium against the real Worker: an admin
// of every centre links a second centre and unlinks it after a confirmation; a refusal of the API shows its
// title and detail; a coordinator bound to one centre sees the list without controls, as the API allows.
// No date or time is shown on this screen, so the browser's clock is left alone; it passes under
// TZ=Pacific/Kiritimati as well.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, buildSite, launchBrowser, seriousViolations } from "./browser.js";
import {
  ADMIN,
  type ApiCaller,
  COORDINATOR,
  type LocalWorker,
  signIn,
  startLocalWorker,
} from "./local-worker.js";

let worker: LocalWorker;
let context: BrowserContext;
let browser: Browser;
let admin: ApiCaller;
let saintDenisId = "";
let nordId = "";
/** A coordinator bound to Halte Saint-Denis, a centre the partner is linked to (not its home). */
const SAINT_DENIS_COORDINATOR = {
  email: "coordination-sd@e2e.halte.test",
  password: "coordinator-sd-password-e2e",
};

const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: "08:00", closesAt: "19:00" }));

async function createCentre(name: string, slug: string): Promise<string> {
  const answer = await admin.call<{ id: string }>("POST", "/api/centres", {
    name,
    slug,
    openingHours: { timeZone: "Europe/Paris", weekly: allDay, exceptions: [] },
    languages: ["fr", "en"],
  });
  expect(answer.status).toBe(201);
  return answer.body.id;
}

/** The partner's centres as the API tells the admin (`GET /api/partners/{id}`). */
async function centreIdsOfPartner(): Promise<string[]> {
  const answer = await admin.call<{ centreIds: string[] }>("GET", `/api/partners/${worker.partnerId}`);
  expect(answer.status).toBe(200);
  return answer.body.centreIds;
}

beforeAll(async () => {
  buildSite();
  worker = await startLocalWorker();
  admin = await signIn(worker.origin, ADMIN.email, ADMIN.password);
  saintDenisId = await createCentre("Halte Saint-Denis", "halte-saint-denis");
  nordId = await createCentre("Halte Nord", "halte-nord");
  const user = await admin.call("POST", "/api/users", {
    ...SAINT_DENIS_COORDINATOR,
    name: "E2E coordinator Saint-Denis",
    role: "coordinator",
    centreId: saintDenisId,
  });
  expect(user.status).toBe(201);
  browser = await launchBrowser({
    profilePrefix: "halte-partner-centres-",
    viewport: { width: 768, height: 1024 },
  });
  context = browser.context;
  context.setDefaultTimeout(30_000);
});

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

/** Opens the partners page, then Partenaire E2E's page; answers its "Centres it works with" section. */
async function openPartner(page: Page) {
  await page.goto(`${worker.origin}/partners`);
  await page.getByRole("button", { name: "Manage Partenaire E2E" }).click();
  await page.getByRole("heading", { level: 1, name: "Partenaire E2E" }).waitFor();
  const section = page.getByRole("region", { name: "Centres it works with" });
  await section.locator("li.record").first().waitFor();
  return section;
}

/** The centres listed in the section, as read on screen. */
async function listed(section: ReturnType<Page["getByRole"]>): Promise<string[]> {
  return (await section.locator("li.record > p:first-child").allTextContents()).map((text) => text.trim());
}

/** The id of the element that has the focus. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.id ?? "");
}

/** Whether the page, at 320 px wide, fits without scrolling sideways. */
async function fitsWidth(page: Page): Promise<boolean> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 800 });
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= 320);
  if (size) await page.setViewportSize(size);
  return fits;
}

describe("a partner's centres on its page", { timeout: 180_000 }, () => {
  it("lets an admin of every centre link a second centre, listed by name and in the partner's GET", async () => {
    const page = await signInAs(ADMIN);
    const section = await openPartner(page);
    expect(await listed(section)).toEqual(["Halte E2E · home centre"]);
    await section.getByText("Its home centre cannot be unlinked", { exact: false }).waitFor();
    // The home centre has no unlink button: the API always refuses it (409).
    expect(await section.getByRole("button", { name: /^Unlink/ }).count()).toBe(0);
    const home = await admin.call<{ detail: string }>(
      "DELETE",
      `/api/partners/${worker.partnerId}/centres/${worker.centreId}`,
    );
    expect([home.status, home.body.detail]).toEqual([
      409,
      "This is the partner's home centre; archive the partner to end its access",
    ]);
    const choice = section.getByLabel("Centre to link");
    expect(await choice.locator("option").allTextContents()).toEqual(["Halte Nord", "Halte Saint-Denis"]);
    expect(await seriousViolations(page)).toEqual([]);

    await choice.selectOption({ label: "Halte Saint-Denis" });
    await section.getByRole("button", { name: "Link this centre" }).click();
    await section.getByText("Partenaire E2E now works with Halte Saint-Denis.").first().waitFor();
    expect(await listed(section)).toEqual(["Halte E2E · home centre", "Halte Saint-Denis"]);
    await expect.poll(() => focused(page)).toBe("partner-centres-title");
    // Only the centre not linked yet is offered now.
    expect(await choice.locator("option").allTextContents()).toEqual(["Halte Nord"]);
    expect(await centreIdsOfPartner()).toContain(saintDenisId);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await fitsWidth(page)).toBe(true);
    await page.close();
  });

  it("unlinks a centre only after a confirmation that says what it cuts", async () => {
    const page = await signInAs(ADMIN);
    const section = await openPartner(page);
    await section.getByRole("button", { name: "Unlink Halte Saint-Denis" }).click();
    const confirmation = page.getByRole("alertdialog", { name: "Unlink Halte Saint-Denis?" });
    await confirmation
      .getByText(
        "Partenaire E2E's users, API tokens and webhooks lose access to Halte Saint-Denis on their next request",
        { exact: false },
      )
      .waitFor();
    // The focus is on the choice that changes nothing.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Keep the link");
    expect(await seriousViolations(page)).toEqual([]);
    expect(await fitsWidth(page)).toBe(true);

    await confirmation.getByRole("button", { name: "Keep the link" }).click();
    await confirmation.waitFor({ state: "detached" });
    await expect.poll(() => focused(page)).toBe(`unlink-${saintDenisId}`);
    expect(await centreIdsOfPartner()).toContain(saintDenisId);

    await section.getByRole("button", { name: "Unlink Halte Saint-Denis" }).click();
    await confirmation.getByRole("button", { name: "Yes, unlink" }).click();
    await section.getByText("Partenaire E2E no longer works with Halte Saint-Denis.").first().waitFor();
    expect(await listed(section)).toEqual(["Halte E2E · home centre"]);
    await expect.poll(() => focused(page)).toBe("partner-centres-title");
    expect(await centreIdsOfPartner()).not.toContain(saintDenisId);
    await page.close();
  });

  it("shows the API's title and detail when it refuses, and the partner as it now stands", async () => {
    const page = await signInAs(ADMIN);
    const section = await openPartner(page);
    await section.getByLabel("Centre to link").selectOption({ label: "Halte Saint-Denis" });
    await section.getByRole("button", { name: "Link this centre" }).click();
    await section.getByText("Partenaire E2E now works with Halte Saint-Denis.").first().waitFor();

    // Meanwhile, elsewhere: Halte Nord is archived. Linking it: 409, said with its detail; the page reads
    // the centres again and no longer offers it.
    expect((await admin.call("POST", `/api/centres/${nordId}/archive`)).status).toBe(200);
    await section.getByLabel("Centre to link").selectOption({ label: "Halte Nord" });
    await section.getByRole("button", { name: "Link this centre" }).click();
    const alert = section.getByRole("alert");
    await alert
      .getByText("Conflicts with the current state. This centre is archived; no partner can be linked to it")
      .waitFor();
    await section.getByText("Every centre you manage is already linked.").waitFor();
    expect(await section.getByLabel("Centre to link").count()).toBe(0);

    // Meanwhile, elsewhere: the link to Halte Saint-Denis is ended. Unlinking it here: 404, said with its
    // detail; the list is read again and it is offered for linking once more.
    const unlinked = await admin.call("DELETE", `/api/partners/${worker.partnerId}/centres/${saintDenisId}`);
    expect(unlinked.status).toBe(200);
    await section.getByRole("button", { name: "Unlink Halte Saint-Denis" }).click();
    await page.getByRole("button", { name: "Yes, unlink" }).click();
    await alert.getByText("Not found. This partner is not linked to that centre").waitFor();
    await expect.poll(() => listed(section)).toEqual(["Halte E2E · home centre"]);
    await expect
      .poll(() => section.getByLabel("Centre to link").locator("option").allTextContents())
      .toEqual(["Halte Saint-Denis"]);
    expect(await centreIdsOfPartner()).not.toContain(nordId);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("shows a coordinator bound to the home centre the list without link or unlink controls", async () => {
    const link = await admin.call("POST", `/api/partners/${worker.partnerId}/centres`, {
      centreId: saintDenisId,
    });
    expect(link.status).toBe(200);
    // What the API lets this coordinator do: read the partner, never link or unlink.
    const coordinator = await signIn(worker.origin, COORDINATOR.email, COORDINATOR.password);
    const tryLink = await coordinator.call("POST", `/api/partners/${worker.partnerId}/centres`, {
      centreId: nordId,
    });
    expect(tryLink.status).toBe(403);
    const tryUnlink = await coordinator.call(
      "DELETE",
      `/api/partners/${worker.partnerId}/centres/${saintDenisId}`,
    );
    expect(tryUnlink.status).toBe(403);

    const page = await signInAs(COORDINATOR);
    const section = await openPartner(page);
    // The centres this coordinator reaches: the other centre is not told (the API filters `centreIds`).
    expect(await listed(section)).toEqual(["Halte E2E · home centre"]);
    await section
      .getByText("Only an admin or coordinator of every centre can link it", { exact: false })
      .waitFor();
    expect(await section.getByRole("button").count()).toBe(0);
    expect(await section.getByLabel("Centre to link").count()).toBe(0);
    // The home centre's coordinator still manages the partner's tokens.
    await page.getByRole("button", { name: "Issue a token" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("shows a linked centre's coordinator the partner read-only: its centre, no controls", async () => {
    const page = await signInAs(SAINT_DENIS_COORDINATOR);
    await page.goto(`${worker.origin}/partners`);
    await page.getByRole("heading", { level: 2, name: "Partenaire E2E" }).waitFor();
    // Editing and archiving belong to the home centre (the API answers 404 here): no such buttons.
    expect(await page.getByRole("button", { name: "Edit Partenaire E2E" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Archive Partenaire E2E" }).count()).toBe(0);
    const section = await openPartner(page);
    expect(await listed(section)).toEqual(["Halte Saint-Denis"]);
    expect(await section.getByRole("button").count()).toBe(0);
    await page.getByText("managed by its home centre's staff", { exact: false }).waitFor();
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("speaks French to French staff, the API's refusal included", async () => {
    const page = await context.newPage();
    await context.clearCookies();
    await page.goto(`${worker.origin}/sign-in`);
    await page.locator("header select").selectOption("fr");
    await page.getByLabel("Adresse e-mail").fill(ADMIN.email);
    await page.getByLabel("Mot de passe").fill(ADMIN.password);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByRole("button", { name: "Se déconnecter" }).waitFor();
    await page.goto(`${worker.origin}/partners`);
    await page.getByRole("button", { name: "Gérer Partenaire E2E" }).click();
    const section = page.getByRole("region", { name: "Centres où il intervient" });
    await section.locator("li.record").first().waitFor();
    expect(await listed(section)).toEqual(["Halte E2E · centre d'origine", "Halte Saint-Denis"]);
    // The link ends elsewhere; the refusal comes in French.
    expect(
      (await admin.call("DELETE", `/api/partners/${worker.partnerId}/centres/${saintDenisId}`)).status,
    ).toBe(200);
    await section.getByRole("button", { name: "Détacher Halte Saint-Denis" }).click();
    await page
      .getByRole("alertdialog", { name: "Détacher Halte Saint-Denis ?" })
      .getByText("perdent l'accès à Halte Saint-Denis dès leur prochaine requête", { exact: false })
      .waitFor();
    await page.getByRole("button", { name: "Oui, détacher" }).click();
    await section
      .getByRole("alert")
      .getByText("Introuvable. Ce partenaire n'est pas rattaché à ce centre")
      .waitFor();
    await page.close();
  });
});
