// Staff pages in the staff's language: the API's refusals, the service editor's translations (seen in the
// public directory right after), and the admin's "run the roll-up now" button.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, buildSite, launchBrowser, seriousViolations } from "./browser.js";
import {
  ADMIN,
  type ApiCaller,
  CENTRE_SLUG,
  COORDINATOR,
  type LocalWorker,
  signIn,
  startLocalWorker,
} from "./local-worker.js";

let worker: LocalWorker;
let context: BrowserContext;
let browser: Browser;
let admin: ApiCaller;

beforeAll(async () => {
  buildSite();
  worker = await startLocalWorker();
  admin = await signIn(worker.origin, ADMIN.email, ADMIN.password);
  browser = await launchBrowser({
    profilePrefix: "halte-staff-language-",
    viewport: { width: 1024, height: 1200 },
  });
  context = browser.context;
  context.setDefaultTimeout(20_000);
});

afterAll(async () => {
  await browser?.close();
  worker?.stop();
});

/** Signs in through the page with the header's language set to French first. */
async function signInInFrench(page: Page, who: { email: string; password: string }): Promise<void> {
  await context.clearCookies();
  await page.goto(`${worker.origin}/sign-in`);
  await page.locator("header select").selectOption("fr");
  await page.getByRole("heading", { name: "Connexion du personnel" }).waitFor();
  await page.getByLabel("Adresse e-mail").fill(who.email);
  await page.getByLabel("Mot de passe").fill(who.password);
  await page.getByRole("button", { name: "Se connecter" }).click();
}

// Words of the API's English messages that must never reach a French page.
const ENGLISH = /\b(Wrong|password|Too small|expected|characters|Invalid|required)\b/;

describe("staff pages in the staff's language", () => {
  it("tells French staff a wrong password in French", async () => {
    const page = await context.newPage();
    await signInInFrench(page, { email: COORDINATOR.email, password: "pas le bon mot de passe" });
    const alert = page.getByRole("alert");
    await alert.getByText("Adresse e-mail ou mot de passe incorrect").waitFor();
    expect(await alert.textContent()).not.toMatch(ENGLISH);
    await page.close();
  });

  it("puts French field errors next to the service editor's fields, then saves a service's translations", async () => {
    const page = await context.newPage();
    await signInInFrench(page, COORDINATOR);
    await page.getByRole("button", { name: "Se déconnecter" }).waitFor();
    await page
      .getByRole("navigation", { name: "Menu" })
      .getByRole("link", { name: "Services et horaires" })
      .click();
    await page.getByRole("button", { name: "Ajouter un service" }).click();
    await page.getByRole("heading", { name: "Nouveau service" }).waitFor();
    // Nothing filled: the API refuses; each message is French and sits by its field.
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await page.getByRole("alert").first().waitFor();
    const nameError = page.locator("#service-name-error");
    await nameError.waitFor();
    expect(await nameError.textContent()).toMatch(
      /^(Ce champ est obligatoire\.|Trop court ou trop petit\.)$/,
    );
    const errors = await page.locator(".error").allTextContents();
    expect(errors.length).toBeGreaterThan(0);
    for (const text of errors) expect(text).not.toMatch(ENGLISH);

    // A translation without its name is refused by the field, in French.
    await page.getByLabel("Nom", { exact: true }).fill("Bagagerie");
    await page.getByLabel("Partenaire qui assure le service").selectOption({ label: "Partenaire E2E" });
    await page.getByLabel("Lieu en arabe").fill("الطابق الأول");
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    const arabicNameError = page.locator("#service-translation-ar-name-error");
    await arabicNameError.waitFor();
    expect(await arabicNameError.textContent()).toBe("Trop court ou trop petit.");

    await page.getByLabel("Nom en arabe").fill("حفظ الأمتعة");
    await page.getByLabel("Description en arabe").fill("احفظ حقيبتك طوال اليوم.");
    await page.getByLabel("Nom en pachto").fill("د بکسونو ساتنه");
    expect(await page.getByLabel("Nom en arabe").getAttribute("dir")).toBe("rtl");
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
    await page.locator("p.notice", { hasText: "« Bagagerie » est enregistré." }).waitFor();

    // The reader sees them at once.
    await page.goto(`${worker.origin}/directory/${CENTRE_SLUG}?lang=ar`);
    const card = page
      .locator("li.service")
      .filter({ has: page.getByRole("heading", { name: "حفظ الأمتعة" }) });
    await card.waitFor();
    await card.getByText("احفظ حقيبتك طوال اليوم.").waitFor();
    await card.getByText("الطابق الأول").waitFor();
    await page.goto(`${worker.origin}/directory/${CENTRE_SLUG}?lang=ti`);
    // No Tigrinya text: the French name, marked as French.
    await page.locator('li.service h2 bdi[lang="fr"]', { hasText: "Bagagerie" }).waitFor();
    await page.close();
  });

  it("lets an admin run the roll-up now; the run is listed and audited", async () => {
    const page = await context.newPage();
    await context.clearCookies();
    await page.goto(`${worker.origin}/sign-in`);
    await page.locator("header select").selectOption("en");
    await page.getByLabel("Email address").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page
      .getByRole("navigation", { name: "Menu" })
      .getByRole("link", { name: "Scheduled jobs" })
      .click();
    await page.getByRole("heading", { name: "Scheduled jobs" }).waitFor();
    const asked = new Date(Date.now() - 1_000).toISOString();
    await page.getByRole("button", { name: "Run the roll-up now" }).click();
    await page.getByText(/^Roll-up done: \d+ day\(s\) re-rolled from \d+ row\(s\) in \d+ ms\.$/).waitFor();
    await page.getByRole("table", { name: "Latest roll-ups" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // One run per centre, each listed with its status.
    const after = await admin.call<{
      rollup: Array<{ startedAt: string; centreId: string; status: string }>;
    }>("GET", "/api/jobs/runs");
    const fresh = after.body.rollup.filter((run) => run.startedAt >= asked);
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.every((run) => run.status === "succeeded" && run.centreId !== null)).toBe(true);
    await page
      .getByRole("table", { name: "Latest roll-ups" })
      .getByRole("cell", { name: "Succeeded" })
      .first()
      .waitFor();
    // Each run names its centre.
    const centre = await admin.call<{ name: string }>("GET", `/api/centres/${fresh[0]?.centreId}`);
    await page
      .getByRole("table", { name: "Latest roll-ups" })
      .getByRole("cell", { name: centre.body.name, exact: true })
      .first()
      .waitFor();
    const audit = await admin.call<{ items: Array<{ action: string; entity: string }> }>(
      "GET",
      "/api/audit?entity=job&limit=5",
    );
    expect(audit.status).toBe(200);
    expect(audit.body.items.some((entry) => entry.action === "run")).toBe(true);
    await page.close();
  });
});
