// Takes the screenshots shown in the README and docs/admin.md: the real Worker under `wrangler dev` with the
// small end-to-end seed, Debian's Chromium. Run by hand after a visible change:
//   pnpm --filter @halte/admin exec tsx scripts/screenshots.ts
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { seedDashboardFigures, seedLessons } from "../test/dashboard-seed.js";
import { ADMIN, CENTRE_SLUG, COORDINATOR, RECEPTION, startLocalWorker } from "../test/local-worker.js";

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
  // Services, partners and referrals: a coordinator; the referral is accepted by a signed partner webhook.
  await context.clearCookies();
  const desk = await context.newPage();
  desk.on("dialog", (dialog) => void dialog.accept());
  await desk.setViewportSize({ width: 1024, height: 1024 });
  await desk.goto(`${worker.origin}/sign-in`);
  await desk.locator("#email").fill(COORDINATOR.email);
  await desk.locator("#password").fill(COORDINATOR.password);
  await desk.locator("button[type=submit]").click();
  await desk.locator("header button.link").waitFor();
  await desk.goto(`${worker.origin}/services`);
  await desk.locator("li.record .badge").first().waitFor();
  await desk.screenshot({ path: join(out, "admin-services.png"), fullPage: true });
  await desk.locator("li.record").first().locator(".actions button").first().click();
  await desk.locator("#service-name").waitFor();
  await desk.screenshot({ path: join(out, "admin-service-edit.png"), fullPage: true });
  await desk.goto(`${worker.origin}/partners`);
  await desk.locator("li.record .actions button.primary").first().click();
  await desk.locator("#secrets-title ~ .inline-form button").click();
  const secret = (await desk.locator("[data-secret]").textContent()) ?? "";
  await desk.screenshot({ path: join(out, "admin-partner.png"), fullPage: true });
  await desk.goto(`${worker.origin}/referrals`);
  await desk.locator(".toolbar button.primary").click();
  for (const box of await desk.locator("fieldset.group input[type=checkbox]").all()) await box.check();
  await desk.screenshot({ path: join(out, "admin-referral-consent.png"), fullPage: true });
  await desk.locator("button[type=submit]").click();
  await desk.locator("#referral-partnerId").selectOption({ index: 1 });
  await desk.locator("#referral-need").selectOption("accommodation");
  await desk.locator("#referral-note").fill("Seul, besoin d'une place ce soir");
  await desk.locator("button[type=submit]").click();
  await desk.locator("#referral-status").waitFor();
  const referralId = new URL(desk.url()).searchParams.get("id") ?? "";
  const body = JSON.stringify({
    type: "referral.status_changed",
    data: {
      referralId,
      status: "accepted",
      partnerReference: "SIAO-2231",
      occurredAt: new Date().toISOString(),
    },
  });
  const messageId = `msg_${referralId}`;
  const at = new Date();
  await fetch(`${worker.origin}/api/webhooks/partners/${worker.partnerId}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": messageId,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign(messageId, at, body),
    },
    body,
  });
  await desk.reload();
  await desk.locator("ol.timeline li").nth(2).waitFor();
  await desk.screenshot({ path: join(out, "admin-referral.png"), fullPage: true });
  await desk.close();
  // Dashboards, network view, lessons, audit log and staff accounts: an admin, with a week of figures.
  await seedDashboardFigures(worker.origin, worker.centreId);
  await seedLessons(worker.origin, worker.centreId);
  await context.clearCookies();
  const staff = await context.newPage();
  await staff.setViewportSize({ width: 1024, height: 1024 });
  await staff.goto(`${worker.origin}/sign-in`);
  await staff.locator("#email").fill(ADMIN.email);
  await staff.locator("#password").fill(ADMIN.password);
  await staff.locator("button[type=submit]").click();
  await staff.locator("header button.link").waitFor();
  const shots: Array<[string, string, string]> = [
    ["/dashboards", "admin-dashboards.png", "#arrivals table.heatmap"],
    ["/network", "admin-network.png", ".network-matrix"],
    ["/lessons", "admin-lessons.png", ".lesson"],
    ["/audit", "admin-audit.png", "table.audit-log"],
    ["/users", "admin-users.png", ".user-form"],
  ];
  for (const [path, file, ready] of shots) {
    await staff.goto(`${worker.origin}${path}`);
    await staff.locator(ready).first().waitFor();
    if (path === "/dashboards") await staff.locator("#attendance .chart canvas").waitFor();
    await staff.screenshot({ path: join(out, file), fullPage: true });
  }
  await staff.setViewportSize({ width: 360, height: 900 });
  await staff.goto(`${worker.origin}/dashboards`);
  await staff.locator("#attendance .chart canvas").waitFor();
  await staff.locator("#arrivals table.heatmap").waitFor();
  await staff.screenshot({ path: join(out, "admin-dashboards-phone.png"), fullPage: true });
} finally {
  await context.close();
  worker.stop();
  rmSync(profile, { recursive: true, force: true });
}
