// The staff pages of the admin site in real Chromium against the real Worker: each role's menu, services
// and schedules, partners (webhook secret shown once, API token), a referral with consent, moved to
// `accepted` by a partner webhook signed with that secret, and the door's visitor card code.
import { randomUUID } from "node:crypto";
import { type Permission, type Role, roleCan } from "@halte/core";
import type { BrowserContext, Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, buildSite, launchBrowser, seriousViolations } from "./browser.js";
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
/** The partner's webhook secret, as the partners page showed it once. */
let partnerSecret = "";
/** The referral created through the referrals page. */
let referralId = "";

beforeAll(async () => {
  buildSite();
  worker = await startLocalWorker();
  coordinator = await signIn(worker.origin, COORDINATOR.email, COORDINATOR.password);
  browser = await launchBrowser({
    profilePrefix: "halte-admin-staff-chromium-",
    viewport: { width: 768, height: 1024 },
  });
  context = browser.context;
  // Generous: the machine running the suite may be busy, and each sign-in runs PBKDF2 in the Worker.
  context.setDefaultTimeout(30_000);
  // The archive and revoke buttons ask for confirmation: accept it, as staff who meant it would.
  context.on("page", (page) => page.on("dialog", (dialog) => void dialog.accept()));
});

afterAll(async () => {
  await browser?.close();
  worker?.stop();
});

/** Whether the page, at 320 px wide, fits without scrolling sideways (wide tables scroll in their own box). */
async function fitsWidth(page: Page): Promise<boolean> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 800 });
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= 320);
  if (size) await page.setViewportSize(size);
  return fits;
}

async function signInAs(who: { email: string; password: string }): Promise<Page> {
  // Another test's session cookie would take this tab straight past the sign-in page.
  await context.clearCookies();
  const page = await context.newPage();
  await page.goto(`${worker.origin}/sign-in`);
  await page.getByLabel("Email address").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  return page;
}

/** Every page of the staff menu, in menu order, with the permission the site asks for it (src/main.tsx). */
const menu: Array<[label: string, permission: Permission]> = [
  ["Door", "visits:record"],
  ["Dashboards", "reports:read"],
  ["Partner network", "partners:manage"],
  ["Audit log", "audit:read"],
  ["Staff accounts", "users:manage"],
  ["Services and schedules", "services:manage"],
  ["Partners", "partners:manage"],
  ["Referrals", "referrals:read"],
  ["Scheduled jobs", "centre:manage"],
  ["Lessons learned", "lessons:read"],
  ["Context events", "events:manage"],
  ["Feedback from people assisted", "feedback:moderate"],
];

describe("staff pages against the real Worker", { timeout: 180_000 }, () => {
  it.each([
    ["admin", ADMIN],
    ["coordinator", COORDINATOR],
    ["reception", RECEPTION],
    ["partner", PARTNER_USER],
    ["observer", OBSERVER],
  ] as const)("shows %s exactly the pages the role may use", async (role: Role, who) => {
    const page = await signInAs(who);
    const links = page.getByRole("navigation", { name: "Menu" }).getByRole("link");
    await links.first().waitFor();
    const expected = menu.filter(([, permission]) => roleCan(role, permission)).map(([label]) => label);
    expect(await links.allTextContents()).toEqual(expected);
    // The pages of this brief, by role: what the permission table gives them.
    const mine = expected.filter((label) =>
      ["Services and schedules", "Partners", "Referrals"].includes(label),
    );
    expect(mine).toEqual(
      {
        admin: ["Services and schedules", "Partners", "Referrals"],
        coordinator: ["Services and schedules", "Partners", "Referrals"],
        reception: [],
        partner: ["Referrals"],
        observer: [],
      }[role],
    );
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Staff sign-in" }).waitFor();
    await page.close();
  });

  it("lists services with their opening status, edits a capacity, and puts a schedule error next to its field", async () => {
    const page = await signInAs(COORDINATOR);
    await page
      .getByRole("navigation", { name: "Menu" })
      .getByRole("link", { name: "Services and schedules" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Services and schedules" }).waitFor();
    const showers = page.locator("li.record", { has: page.getByRole("heading", { name: "Douches" }) });
    await expect(showers.locator(".badge").textContent()).resolves.toContain("Open now");
    await expect(showers.locator(".capacity").textContent()).resolves.toBe("Capacity: 120 per day");
    const legal = page.locator("li.record", {
      has: page.getByRole("heading", { name: "Permanence juridique" }),
    });
    await expect(legal.locator(".badge").textContent()).resolves.toBe("Closed · no opening planned");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("button", { name: "Edit Douches" }).click();
    await page.getByRole("heading", { name: "Edit the service" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel("Capacity per day").fill("80");
    // The showers get a ticket queue at the door (issue 14).
    const queue = page.getByLabel("Ticket queue at reception (few places: showers…)");
    expect(await queue.isChecked()).toBe(false);
    await queue.check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("“Douches” is saved.").first().waitFor();
    await expect.poll(() => showers.locator(".capacity").textContent()).toBe("Capacity: 80 per day");
    const stored = await coordinator.call<{
      items: Array<{ name: string; schedule: { dailyCapacity?: number }; ticketQueue: boolean }>;
    }>("GET", `/api/services?centreId=${worker.centreId}`);
    const saved = stored.body.items.find((service) => service.name === "Douches");
    expect([saved?.schedule.dailyCapacity, saved?.ticketQueue]).toEqual([80, true]);

    // A slot closing before it opens: the API's message sits next to "Closes at" of that slot.
    await page.getByRole("button", { name: "Edit Permanence juridique" }).click();
    await page.getByRole("button", { name: "Add a slot" }).click();
    await page.locator("#weekly-0-opensAt").fill("14:00");
    await page.locator("#weekly-0-closesAt").fill("10:00");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.locator("#weekly-0-closesAt-error").textContent()).resolves.toBe(
      "closesAt must be after opensAt",
    );
    expect(await page.locator("#weekly-0-closesAt").getAttribute("aria-invalid")).toBe("true");
    // Corrected, with a closure as an exception: saved, and the service now opens.
    await page.locator("#weekly-0-closesAt").fill("17:00");
    await page.getByRole("button", { name: "Add an exception" }).click();
    await page.locator("#exception-0-date").fill("2026-12-25");
    await page.locator("#exception-0-reason").fill("Noël");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("“Permanence juridique” is saved.").first().waitFor();
    expect(await fitsWidth(page)).toBe(true);
    // Monday 14:00–17:00 in Paris: open now (until 17:00) or, any other time, when it next opens.
    await expect
      .poll(() => legal.locator(".badge").textContent())
      .toMatch(/^(Open now, until .*17:00|Closed · opens .*14:00)$/);

    // Created, then archived: it leaves the list and shows again, marked, with the archived ones.
    await page.getByRole("button", { name: "Add a service" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Vestiaire");
    await page.getByLabel("Category").selectOption("clothing");
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator("#service-organizationId-error").waitFor();
    await page.getByLabel("Partner providing the service").selectOption({ label: "Partenaire E2E" });
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("“Vestiaire” is saved.").first().waitFor();
    await page.getByRole("button", { name: "Archive Vestiaire" }).click();
    await page.getByText("“Vestiaire” is archived.").first().waitFor();
    await expect.poll(() => page.getByRole("heading", { name: "Vestiaire" }).count()).toBe(0);
    await page.getByLabel("Show archived services").check();
    await expect
      .poll(() => page.locator("li.record", { hasText: "Vestiaire" }).locator("h2").textContent())
      .toBe("Vestiaire (archived)");
    await page.close();
  });

  it("manages a partner: a webhook secret and an API token, each shown once with a copy button", async () => {
    const page = await signInAs(COORDINATOR);
    await page.goto(`${worker.origin}/partners`);
    await page.getByRole("heading", { level: 1, name: "Partners" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // A new organisation: a website that is not a URL is refused beside its field.
    await page.getByRole("button", { name: "Add a partner" }).click();
    await page.getByLabel("Organisation name").fill("Samu social");
    await page.getByLabel("referral destination").check();
    await page.getByLabel("Website").fill("samusocial");
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator("#partner-website-error").waitFor();
    await page.getByLabel("Website").fill("https://www.samusocial.paris");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("“Samu social” is saved.").first().waitFor();
    await page.getByRole("heading", { name: "Samu social" }).waitFor();

    await page.getByRole("button", { name: "Manage Partenaire E2E" }).click();
    await page.getByRole("heading", { level: 1, name: "Partenaire E2E" }).waitFor();
    await page.getByText("No secrets.").waitFor();
    expect(await fitsWidth(page)).toBe(true);

    await page.getByRole("button", { name: "Create a secret" }).click();
    const secretBox = page.getByRole("region", { name: "New webhook secret" });
    await secretBox.getByText("you will not see it again", { exact: false }).waitFor();
    partnerSecret = (await secretBox.locator("[data-secret]").textContent()) ?? "";
    expect(partnerSecret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    await secretBox.getByRole("button", { name: "Copy" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await secretBox.getByRole("button", { name: "I have copied it, hide" }).click();
    await expect(page.getByText(partnerSecret).count()).resolves.toBe(0);
    // With a live secret, the button rotates it.
    await page.getByRole("button", { name: "Rotate the secret" }).waitFor();

    // An endpoint that is not https is refused next to its field.
    await page.getByLabel("Receiver https URL").fill("http://partner.example/halte");
    await page.getByRole("button", { name: "Register the endpoint" }).click();
    await page.locator("[id^=endpoint-url-][id$=-error]").waitFor();
    // An https one is registered (`.invalid` never resolves: the deliveries to it fail and are retried).
    await page.getByLabel("Receiver https URL").fill("https://partner.invalid/halte");
    await page.getByRole("button", { name: "Register the endpoint" }).click();
    await page.getByText("https://partner.invalid/halte", { exact: true }).waitFor();

    await page.getByLabel("Token name").fill("SIAO intake");
    await page.getByRole("button", { name: "Issue a token" }).click();
    const tokenBox = page.getByRole("region", { name: "New API token" });
    const token = (await tokenBox.locator("[data-secret]").textContent()) ?? "";
    expect(token.startsWith("halte_pt_")).toBe(true);
    const viaToken = await fetch(`${worker.origin}/api/referrals`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaToken.status).toBe(200);
    await tokenBox.getByRole("button", { name: "I have copied it, hide" }).click();
    await page.getByRole("button", { name: "Revoke SIAO intake" }).click();
    await page.getByText("revoked", { exact: false }).first().waitFor();
    const afterRevoke = await fetch(`${worker.origin}/api/referrals`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(afterRevoke.status).toBe(401);
    await page.close();
  });

  it("creates a referral after the consent step, and shows the partner's signed webhook in its timeline", async () => {
    expect(partnerSecret).not.toBe("");
    const page = await signInAs(COORDINATOR);
    await page.goto(`${worker.origin}/referrals`);
    await page.getByRole("heading", { level: 1, name: "Referrals" }).waitFor();
    await page.getByText("No referral matches.").waitFor();
    await page.getByRole("button", { name: "New referral" }).click();

    await page.getByRole("heading", { name: "Step 1 of 2: the person's consent" }).waitFor();
    await page.getByText("Pass that contact detail to the partner they are referred to.").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "The person agrees: continue" }).click();
    await page.getByText("Tick at least what the person agrees to.").waitFor();
    await page.getByLabel("Keep the minimum contact detail", { exact: false }).check();
    await page.getByLabel("Pass that contact detail", { exact: false }).check();
    await page.getByRole("button", { name: "The person agrees: continue" }).click();

    await page.getByRole("heading", { name: "Step 2 of 2: the referral" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel("Partner", { exact: true }).selectOption({ label: "Partenaire E2E" });
    await page.getByLabel("Need").selectOption("health");
    await page.getByLabel("Phone").fill("not a phone");
    await page.getByRole("button", { name: "Save the referral" }).click();
    await page.locator("#contact-phone-error").waitFor();
    await page.getByLabel("Phone").fill("+33 6 12 34 56 78");
    await page.getByRole("button", { name: "Save the referral" }).click();

    await page.getByRole("heading", { level: 1, name: "Referral: health" }).waitFor();
    referralId = new URL(page.url()).searchParams.get("id") ?? "";
    expect(referralId).not.toBe("");
    await expect(page.locator("#referral-status").textContent()).resolves.toBe("requested");
    await expect(page.locator("ol.timeline").textContent()).resolves.toContain(
      "draft → requested · by the centre",
    );
    await page.getByText("+33 6 12 34 56 78").waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // The partner answers with a Standard Webhooks message signed with the secret the partners page showed.
    const body = JSON.stringify({
      type: "referral.status_changed",
      timestamp: new Date().toISOString(),
      data: {
        referralId,
        status: "accepted",
        partnerReference: "E2E-2231",
        occurredAt: new Date().toISOString(),
      },
    });
    const id = `msg_${randomUUID()}`;
    const at = new Date();
    const answer = await fetch(`${worker.origin}/api/webhooks/partners/${worker.partnerId}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": new Webhook(partnerSecret).sign(id, at, body),
      },
      body,
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { outcome: string }).outcome).toBe("applied");

    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Referral: health" }).waitFor();
    await expect(page.locator("#referral-status").textContent()).resolves.toBe("accepted");
    await expect(page.locator("ol.timeline").textContent()).resolves.toContain(
      "requested → accepted · by the partner",
    );
    await page.getByText("E2E-2231").waitFor();
    expect(await fitsWidth(page)).toBe(true);
    // The centre's moves from `accepted`: it may put on hold, cancel or mark entered in error, never start.
    await expect(
      page
        .getByRole("group", { name: "Status" })
        .getByRole("radio")
        .evaluateAll((radios) => radios.map((radio) => (radio as HTMLInputElement).value)),
    ).resolves.toEqual(["on-hold", "cancelled", "entered-in-error"]);

    // Filters: by status and need.
    await page.getByRole("link", { name: "Back to the list" }).click();
    await page.getByLabel("Status").selectOption("accepted");
    await page.getByRole("link", { name: "Open the health referral to Partenaire E2E" }).waitFor();
    await page.getByLabel("Need").selectOption("food");
    await page.getByText("No referral matches.").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("lets the partner see and answer its referral, without the centre's moves", async () => {
    expect(referralId).not.toBe("");
    const page = await signInAs(PARTNER_USER);
    await page.waitForURL(`${worker.origin}/referrals`);
    await expect(page.getByRole("button", { name: "New referral" }).count()).resolves.toBe(0);
    await page.getByRole("link", { name: "Open the health referral to Partenaire E2E" }).click();
    await page.getByRole("heading", { level: 1, name: "Referral: health" }).waitFor();
    // The person agreed to share the contact with this partner.
    await page.getByText("+33 6 12 34 56 78").waitFor();
    const moves = page.getByRole("group", { name: "Status" }).getByRole("radio");
    await expect(
      moves.evaluateAll((radios) => radios.map((radio) => (radio as HTMLInputElement).value)),
    ).resolves.toEqual(["in-progress", "on-hold", "failed"]);
    await page.getByLabel("failed").check();
    await page.getByRole("button", { name: "Move to “failed”" }).click();
    // No reason given: the API's message sits next to the reason field.
    await page.locator("#status-reason-error").waitFor();
    await page.getByLabel("Reason (required for this status)").selectOption("no_show");
    await page.getByRole("button", { name: "Move to “failed”" }).click();
    await expect.poll(() => page.locator("#referral-status").textContent()).toBe("failed");
    await expect(page.locator("ol.timeline").textContent()).resolves.toContain(
      "accepted → failed · by the partner",
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("shows the referral's delivery to the partner's endpoint in the log, and re-sends it", async () => {
    expect(referralId).not.toBe("");
    const page = await signInAs(COORDINATOR);
    await page.goto(`${worker.origin}/partners`);
    await page.getByRole("button", { name: "Manage Partenaire E2E" }).click();
    await page.getByRole("button", { name: "Delivery log" }).click();
    const delivery = page.locator(".delivery").first();
    await expect(delivery.textContent()).resolves.toContain("referral.status_changed");
    expect(await seriousViolations(page)).toEqual([]);
    await delivery.getByRole("button", { name: "Re-send" }).click();
    await page.getByText("Delivery sent again.").waitFor();
    await page.close();
  });

  it("sends a visitor card code with one tap only, then clears it", async () => {
    const page = await signInAs(RECEPTION);
    await page.waitForURL(`${worker.origin}/door`);
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "0");
    expect(await seriousViolations(page)).toEqual([]);
    const code = page.getByLabel("Visitor card code (optional)");
    await code.fill("CARD-0042");
    await code.press("Enter");
    await expect(code.inputValue()).resolves.toBe("");
    await page.getByRole("button", { name: "Record an arrival" }).click();
    await page.waitForFunction(() => document.querySelector("#pending-count")?.textContent === "0");
    expect(await page.locator("body").textContent()).not.toContain("CARD-0042");
    const visits = await coordinator.call<{ items: Array<{ hasVisitorCode: boolean }> }>(
      "GET",
      `/api/visits?centreId=${worker.centreId}&limit=200`,
    );
    expect(visits.body.items.map((visit) => visit.hasVisitorCode).sort()).toEqual([false, true]);
    await page.close();
  });
});
