// Takes the screenshots shown in the README and docs/admin.md: the real Worker under `wrangler dev` with the
// small end-to-end seed, Debian's Chromium. Run by hand after a visible change:
//   pnpm --filter @halte/admin exec tsx scripts/screenshots.ts
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CENTRE_SLUG, RECEPTION, startLocalWorker } from "../test/local-worker.js";

const out = fileURLToPath(new URL("../../../docs/screenshots", import.meta.url));
mkdirSync(out, { recursive: true });
const worker = await startLocalWorker();
const profile = mkdtempSync(join(tmpdir(), "halte-screenshots-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  viewport: { width: 768, height: 1024 },
  locale: "fr-FR",
});
try {
  const page = await context.newPage();
  await page.goto(`${worker.origin}/sign-in`);
  await page.getByRole("heading", { level: 1 }).waitFor();
  await page.screenshot({ path: join(out, "admin-sign-in.png") });
  await page.locator("#email").fill(RECEPTION.email);
  await page.locator("#password").fill(RECEPTION.password);
  await page.locator("button[type=submit]").click();
  await page.locator("#today-count").waitFor();
  for (let i = 0; i < 3; i += 1) await page.locator("button.tap").click();
  await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "0");
  await page.setViewportSize({ width: 360, height: 900 });
  await page.screenshot({ path: join(out, "admin-door-phone.png"), fullPage: true });
  await page.goto(`${worker.origin}/directory/${CENTRE_SLUG}?lang=ar`);
  await page.locator(".service").first().waitFor();
  await page.screenshot({ path: join(out, "directory-ar.png"), fullPage: true });
} finally {
  await context.close();
  worker.stop();
  rmSync(profile, { recursive: true, force: true });
}
