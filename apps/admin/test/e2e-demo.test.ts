// `npm run demo` as a newcomer meets it: the real demo script (migrations, the year's seed, wrangler dev,
// the figures' rebuild and the roll-up it keeps running), on its own port and its own local D1, then the
// dashboards in Chromium. Slow (the seed writes ~150,000 rows): about a minute and a half here.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, buildSite, launchBrowser } from "./browser.js";
import { freePort, signIn } from "./local-worker.js";

const demoScript = fileURLToPath(new URL("../../api/scripts/demo.mjs", import.meta.url));
const apiDir = fileURLToPath(new URL("../../api", import.meta.url));
/** The second demo centre's own database, as the demo's generated config binds it (scripts/demo-config.mjs). */
const MONTREUIL_BINDING = "CENTRE_RELAIS_MONTREUIL_DEMO";
const DEMO_ADMIN = { email: "admin@halte.demo", password: "demo-admin-halte" };
const DEMO_RECEPTION = { email: "accueil@halte.demo", password: "demo-accueil-halte" };

let demo: ChildProcess;
let origin: string;
let output = "";
let persistTo: string;
let browser: Browser;
let context: BrowserContext;

function waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const check = () => {
      if (pattern.test(output)) {
        clearTimeout(deadline);
        resolve();
      } else if (demo.exitCode !== null) {
        clearTimeout(deadline);
        reject(new Error(`the demo exited (${demo.exitCode}):\n${output}`));
      } else setTimeout(check, 250);
    };
    check();
  });
}

beforeAll(async () => {
  buildSite();
  persistTo = mkdtempSync(join(tmpdir(), "halte-demo-e2e-"));
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  demo = spawn(process.execPath, [demoScript], {
    env: {
      ...process.env,
      PORT: String(port),
      HALTE_DEMO_PERSIST_TO: persistTo,
      // Every 6 s here, so the test sees the demo keep rolling up; 3 minutes by default.
      HALTE_DEMO_ROLLUP_MINUTES: "0.1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  demo.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  demo.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  await waitForOutput(/Figures ready on/, 280_000);
  browser = await launchBrowser({
    profilePrefix: "halte-demo-e2e-",
    viewport: { width: 1024, height: 1200 },
  });
  context = browser.context;
  context.setDefaultTimeout(30_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    const exited = new Promise((resolve) => demo.once("exit", resolve));
    demo.kill("SIGTERM");
    await exited;
  }
  if (persistTo) rmSync(persistTo, { recursive: true, force: true });
});

/**
 * Rows of a query against one of the demo's local databases, read with wrangler as an operator would.
 * Asynchronous on purpose: a blocked event loop would miss the Worker closing idle keep-alive sockets, and
 * the next test's request would go out on a closed one.
 */
async function demoQuery(binding: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const { stdout } = await promisify(execFile)(
    join(apiDir, "node_modules", ".bin", "wrangler"),
    ["d1", "execute", binding, "--local", "--json", "--config", "wrangler.demo.jsonc"].concat([
      "--persist-to",
      persistTo,
      "--command",
      sql,
    ]),
    {
      cwd: apiDir,
      encoding: "utf8",
      env: {
        ...process.env,
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        CI: "true",
      },
    },
  );
  return (JSON.parse(stdout) as Array<{ results: Array<Record<string, unknown>> }>)[0]?.results ?? [];
}

describe("npm run demo", () => {
  it("listens on the PORT it is given", () => {
    expect(output).toContain(`Halte is starting on http://localhost:${new URL(origin).port}`);
  });

  it("opens with figures on the dashboards right after start", async () => {
    const page = await context.newPage();
    await page.goto(`${origin}/sign-in`);
    await page.getByLabel("Email address").fill(DEMO_ADMIN.email);
    await page.getByLabel("Password").fill(DEMO_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Dashboards" }).click();
    // The whole seeded year: the picker's dates set to it.
    const total = page.locator("#arrivals tfoot td").last();
    await total.waitFor();
    await expect.poll(async () => Number(await total.textContent()), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.close();
  });

  it("has two centres whose year merges in one report across centres", async () => {
    const admin = await signIn(origin, DEMO_ADMIN.email, DEMO_ADMIN.password);
    const centres = await admin.call<{ items: Array<{ id: string; name: string }> }>("GET", "/api/centres");
    expect(centres.body.items.map((centre) => centre.name)).toEqual(
      expect.arrayContaining(["La Halte de Jour", "Le Relais des Murs-à-Pêches (démo)"]),
    );
    const year = "period=year&from=2026-01-01&to=2026-12-31&disclosure=none";
    const visits = async (scope: string) =>
      (await admin.call<{ items: Array<{ visits: number }> }>("GET", `/api/reports/visits?${scope}&${year}`))
        .body.items[0]?.visits ?? 0;
    const halte = await visits("centreId=demo-centre-halte");
    const montreuil = await visits("centreId=demo-centre-montreuil");
    expect(montreuil).toBeGreaterThan(0);
    expect(montreuil).toBeLessThan(halte);
    expect(await visits("centreIds=demo-centre-halte,demo-centre-montreuil")).toBe(halte + montreuil);
    // The second centre's coordinator signs in, and sees only their centre.
    const coordinator = await signIn(
      origin,
      "coordination.montreuil@halte.demo",
      "demo-coordination-montreuil",
    );
    const own = await coordinator.call<{ items: Array<{ id: string }> }>("GET", "/api/centres");
    expect(own.body.items.map((centre) => centre.id)).toEqual(["demo-centre-montreuil"]);
  });

  it("keeps the second centre in its own local database, named by its directory row", async () => {
    // One wrangler call per database (each starts a runtime): counts of both centres' rows in each.
    const counts = async (binding: string) =>
      (
        await demoQuery(
          binding,
          "SELECT (SELECT count(*) FROM visits WHERE centre_id = 'demo-centre-montreuil') AS montreuil, " +
            "(SELECT count(*) FROM visit_rollups WHERE centre_id = 'demo-centre-montreuil') AS montreuilDays, " +
            "(SELECT count(*) FROM visits WHERE centre_id = 'demo-centre-halte') AS halte, " +
            "(SELECT json_group_array(id || '=' || d1_binding) FROM (SELECT * FROM centres ORDER BY id)) AS centres",
        )
      )[0] ?? {};
    const own = await counts(MONTREUIL_BINDING);
    const directory = await counts("DB");
    // Its year of visits and, built through the Worker, its day partials are in its own database…
    expect(Number(own.montreuil)).toBeGreaterThan(5_000);
    expect(Number(own.montreuilDays)).toBeGreaterThan(300);
    expect(Number(own.halte)).toBe(0);
    // …none in the directory, which holds the first centre's and the row naming the second's database.
    expect(Number(directory.montreuil)).toBe(0);
    expect(Number(directory.montreuilDays)).toBe(0);
    expect(Number(directory.halte)).toBeGreaterThan(50_000);
    expect(JSON.parse(String(directory.centres))).toEqual([
      "demo-centre-halte=DB",
      `demo-centre-montreuil=${MONTREUIL_BINDING}`,
    ]);
    // The tracked config, the one a real deployment deploys, never names the fictional centre's database.
    expect(readFileSync(join(apiDir, "wrangler.jsonc"), "utf8")).not.toContain(MONTREUIL_BINDING);
  });

  it("keeps rolling up while it runs", async () => {
    const admin = await signIn(origin, DEMO_ADMIN.email, DEMO_ADMIN.password);
    const runs = async () =>
      (await admin.call<{ rollup: Array<{ startedAt: string }> }>("GET", "/api/jobs/runs")).body.rollup
        .length;
    const before = await runs();
    expect(before).toBeGreaterThan(0);
    await expect.poll(runs, { timeout: 30_000, interval: 1_000 }).toBeGreaterThan(before);
  });

  it("has today's shower queue: tickets called and waiting, numbered with reception's letter", async () => {
    const reception = await signIn(origin, DEMO_RECEPTION.email, DEMO_RECEPTION.password);
    const answer = await reception.call<{
      queues: Array<{
        serviceId: string;
        waiting: Array<{ label: string }>;
        called: Array<{ label: string }>;
      }>;
    }>("GET", "/api/tickets?centreId=demo-centre-halte");
    expect(answer.status).toBe(200);
    const showers = answer.body.queues.find((queue) => queue.serviceId === "demo-service-showers");
    expect(showers?.waiting.map((ticket) => ticket.label)).toEqual(["A-4", "A-5", "A-6"]);
    expect(showers?.called.map((ticket) => ticket.label)).toEqual(["A-3", "A-2", "A-1"]);
    const claim = await reception.call<{ prefix: string }>("POST", "/api/tickets/prefix", {
      centreId: "demo-centre-halte",
    });
    expect(claim.body.prefix).toBe("A");
  });
});
