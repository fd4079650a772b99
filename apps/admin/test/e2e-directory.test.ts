// The public directory as a reader sees it in each of its six languages, offline, and the list of centres.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, buildSite, launchBrowser, seriousViolations } from "./browser.js";
import { ADMIN, CENTRE_SLUG, type LocalWorker, signIn, startLocalWorker } from "./local-worker.js";

let worker: LocalWorker;
let context: BrowserContext;
let browser: Browser;
/** The day, in Paris, the "Information asile" service opens: ten days from now. */
let openingDay: string;

const ASYLUM_FR = "Procédure d'asile, rendez-vous en préfecture, OFII.";

beforeAll(async () => {
  buildSite();
  worker = await startLocalWorker();
  const admin = await signIn(worker.origin, ADMIN.email, ADMIN.password);
  openingDay = new Date(Date.now() + 10 * 86_400_000).toLocaleDateString("en-CA", {
    timeZone: "Europe/Paris",
  });
  // Closed until one special day: the directory shows "opens <weekday> <day> <month>, 10:00".
  const created = await admin.call("POST", "/api/services", {
    centreId: worker.centreId,
    organizationId: worker.partnerId,
    name: "Information asile",
    description: ASYLUM_FR,
    category: "legal",
    languages: ["fr", "en", "ar", "prs", "ps", "ti"],
    location: "Bureau 2",
    schedule: {
      timeZone: "Europe/Paris",
      weekly: [],
      exceptions: [{ date: openingDay, kind: "open", slots: [{ opensAt: "10:00", closesAt: "12:00" }] }],
    },
    translations: {
      en: { name: "Asylum information", description: "Asylum procedure, appointments, OFII." },
      ps: { name: "د پناه غوښتنې معلومات", location: "دوهم دفتر" },
      ti: { name: "ሓበሬታ ዑቕባ" },
    },
  });
  expect(created.status).toBe(201);
  browser = await launchBrowser({
    profilePrefix: "halte-directory-chromium-",
    viewport: { width: 390, height: 844 },
  });
  context = browser.context;
  context.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  worker?.stop();
});

/** What Node's full ICU data calls the opening day's month and weekday in a language (the reference). */
function expectedNames(tag: string): { month: string; weekday: string } {
  const at = new Date(`${openingDay}T12:00:00Z`);
  const name = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(`${tag}-u-ca-gregory`, { timeZone: "Europe/Paris", ...options }).format(at);
  return { month: name({ month: "long" }), weekday: name({ weekday: "long" }) };
}

async function openDirectory(page: Page, lang: string): Promise<void> {
  await page.goto(`${worker.origin}/directory/${CENTRE_SLUG}?lang=${lang}`);
  await page.locator("li.service").first().waitFor();
}

function card(page: Page, name: string) {
  return page.locator("li.service").filter({ has: page.getByRole("heading", { name, exact: true }) });
}

const LATIN = /[A-Za-zÀ-ÿ]/;

describe("public directory in every reader's language", () => {
  const cases = [
    { lang: "fr", dir: "ltr", name: "Information asile", tags: ["fr"], latin: true },
    { lang: "en", dir: "ltr", name: "Asylum information", tags: ["en-GB"], latin: true },
    { lang: "ar", dir: "rtl", name: "Information asile", tags: ["ar"], latin: false },
    { lang: "fa", dir: "rtl", name: "Information asile", tags: ["fa-AF", "fa"], latin: false },
    { lang: "ps", dir: "rtl", name: "د پناه غوښتنې معلومات", tags: ["ps"], latin: false },
    { lang: "ti", dir: "ltr", name: "ሓበሬታ ዑቕባ", tags: ["ti"], latin: false },
  ] as const;

  for (const { lang, dir, name, tags, latin } of cases) {
    it(`${lang}: the page's direction, its own words for the opening day, language names and list`, async () => {
      const page = await context.newPage();
      await openDirectory(page, lang);
      expect(
        await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
      ).toEqual([lang, dir]);
      const service = card(page, name);
      await service.waitFor();
      const badge = (await service.locator(".badge").textContent()) ?? "";
      const names = tags.map(expectedNames);
      expect(
        names.some((n) => badge.includes(n.month) && badge.includes(n.weekday)),
        `${lang}: "${badge}" names the opening day as ${JSON.stringify(names)}`,
      ).toBe(true);
      expect(badge).toMatch(/10[:٫:]00|۱۰:۰۰|١٠:٠٠/);
      const languagesLine = (await service.locator("p", { hasText: /:/ }).last().textContent()) ?? "";
      if (!latin) {
        // Nothing of another language: no French weekday or month, no English language names, no "et".
        expect(badge, `${lang} badge`).not.toMatch(LATIN);
        expect(languagesLine, `${lang} languages`).not.toMatch(LATIN);
      }
      if (lang === "fa") {
        // Gregorian, not the Solar Hijri months of Iran's calendar.
        const hijri = new Intl.DateTimeFormat("fa", { timeZone: "Europe/Paris", month: "long" }).format(
          new Date(`${openingDay}T12:00:00Z`),
        );
        expect(badge).not.toContain(hijri);
      }
      if (lang === "ps") {
        expect(languagesLine).toContain("فرانسوي");
        expect(languagesLine).toContain(" او ");
        await service.getByText("دوهم دفتر").waitFor();
      }
      if (lang === "ti") expect(languagesLine).toContain("ፈረንሳይኛ");
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    });
  }

  it("isolates French inside an Arabic page: its own lang and direction, the full stop at its end", async () => {
    const page = await context.newPage();
    await openDirectory(page, "ar");
    const service = card(page, "Information asile");
    const fallback = service.locator('bdi[lang="fr"]', { hasText: "Procédure" });
    await fallback.waitFor();
    expect(await fallback.textContent()).toBe(ASYLUM_FR);
    expect(await fallback.getAttribute("dir")).toBe("ltr");
    expect(await fallback.evaluate((element) => getComputedStyle(element).direction)).toBe("ltr");
    // The name has no Arabic text either: French, marked so; the place too.
    expect(await service.locator('h2 bdi[lang="fr"]').textContent()).toBe("Information asile");
    expect(await service.locator('bdi[lang="fr"]', { hasText: "Bureau 2" }).count()).toBe(1);
    // A translated text is not marked as French.
    const showers = card(page, "الاستحمام");
    expect(await showers.locator("h2 bdi").count()).toBe(0);
    expect(await showers.getByText("استحمام بماء ساخن مع مناشف").count()).toBe(1);
    await page.close();
  });

  it("keeps the last copy offline, says when it was updated, and retries when asked", async () => {
    const page = await context.newPage();
    await openDirectory(page, "en");
    await page.evaluate(() => navigator.serviceWorker.ready);
    if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    // A read through the service worker: it keeps this copy.
    await page.reload();
    await card(page, "Asylum information").waitFor();
    await page.getByText(/^Updated /).waitFor();

    await context.setOffline(true);
    await page.reload();
    await page.getByText("Offline: this is the last copy saved on this phone.").waitFor();
    await card(page, "Asylum information").waitFor();
    const updated = (await page.getByText(/^Updated /).textContent()) ?? "";
    // The copy's time on the centre's clock (Europe/Paris), with its day.
    expect(updated).toMatch(/^Updated \w+day \d{1,2} \w+(,| at) \d{2}:\d{2}$/);
    const retry = page.getByRole("button", { name: "Try again" });
    await retry.click();
    // Still offline: still the saved copy, still the button.
    await page.getByText("Offline: this is the last copy saved on this phone.").waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await context.setOffline(false);
    await retry.click();
    await page
      .getByText("Offline: this is the last copy saved on this phone.")
      .waitFor({ state: "detached" });
    await card(page, "Asylum information").waitFor();
    await page.close();
  });

  it("says the directory could not be loaded, with a retry, when there is no copy and no network", async () => {
    const page = await context.newPage();
    await openDirectory(page, "fr");
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await context.setOffline(true);
    // A centre never read on this phone: nothing saved.
    await page.goto(`${worker.origin}/directory/no-such-centre?lang=fr`);
    const alert = page.getByRole("alert");
    await alert.getByText("L'annuaire n'a pas pu être chargé. Réessayez.").waitFor();
    await alert.getByRole("button", { name: "Réessayer" }).waitFor();
    await context.setOffline(false);
    await page.close();
  });

  it("lists every centre on /directory, linking to its directory in the reader's language", async () => {
    const page = await context.newPage();
    await page.goto(`${worker.origin}/directory?lang=ar`);
    await page.getByRole("heading", { level: 1, name: "مراكز الاستقبال النهارية" }).waitFor();
    const link = page.getByRole("link", { name: "الخدمات في Halte E2E" });
    await link.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await link.click();
    await page.waitForURL(`${worker.origin}/directory/${CENTRE_SLUG}?lang=ar`);
    await page.getByRole("heading", { level: 1, name: "الخدمات في Halte E2E" }).waitFor();
    await page.close();
  });

  it("tells search engines what to index and what the page is", async () => {
    const robots = await fetch(`${worker.origin}/robots.txt`);
    expect(robots.status).toBe(200);
    const text = await robots.text();
    expect(text).toContain("Allow: /directory");
    expect(text).toContain("Disallow: /");
    const page = await context.newPage();
    await openDirectory(page, "en");
    await page.getByRole("heading", { level: 1, name: "Services at Halte E2E" }).waitFor();
    await expect
      .poll(() => page.locator('meta[name="description"]').getAttribute("content"))
      .toBe("Services at Halte E2E");
    await page.close();
  });
});
