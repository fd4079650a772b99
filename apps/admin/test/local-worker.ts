// Starts the real Worker under `wrangler dev` with a fresh local D1 (its own --persist-to directory), the
// admin site built into its static assets, and a small seeded centre created through the API itself.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { pbkdf2Sync, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { adminInsertSql } from "../../api/scripts/admin-sql.mjs";

const apiDir = fileURLToPath(new URL("../../api", import.meta.url));
const wranglerBin = join(apiDir, "node_modules", ".bin", "wrangler");
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  CI: "true",
};

export const ADMIN = { email: "admin@e2e.halte.test", password: "admin-password-e2e" };
export const RECEPTION = { email: "accueil@e2e.halte.test", password: "reception-password-e2e" };
export const OBSERVER = { email: "observer@e2e.halte.test", password: "observer-password-e2e" };
export const COORDINATOR = { email: "coordination@e2e.halte.test", password: "coordinator-password-e2e" };
/** A partner organisation's staff member: "Partenaire E2E" (the partner seeded below). */
export const PARTNER_USER = { email: "partenaire@e2e.halte.test", password: "partner-password-e2e" };
export const CENTRE_SLUG = "halte-e2e";

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function wrangler(args: string[]): void {
  const result = spawnSync(wranglerBin, args, { cwd: apiDir, env, encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(`wrangler ${args[0]} ${args[1]} failed:\n${result.stdout}${result.stderr}`);
}

/** A caller of the API with a session cookie and its CSRF token, as the admin site itself would hold. */
export interface ApiCaller {
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export async function signIn(origin: string, email: string, password: string): Promise<ApiCaller> {
  const response = await fetch(`${origin}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200)
    throw new Error(`sign-in of ${email}: ${response.status} ${await response.text()}`);
  const session = (await response.json()) as { csrfToken: string };
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return {
    async call(method, path, body) {
      const answer = await fetch(`${origin}${path}`, {
        method,
        headers: {
          cookie,
          "x-csrf-token": session.csrfToken,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await answer.text();
      return { status: answer.status, body: text ? JSON.parse(text) : null };
    },
  };
}

export interface LocalWorker {
  origin: string;
  centreId: string;
  /** The seeded partner organisation, "Partenaire E2E". */
  partnerId: string;
  stop(): void;
}

/** Applies migrations to a fresh D1, starts `wrangler dev` and seeds one small centre through the API. */
export async function startLocalWorker(): Promise<LocalWorker> {
  const persistTo = mkdtempSync(join(tmpdir(), "halte-admin-e2e-"));
  wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo]);
  const salt = randomBytes(16);
  const at = new Date().toISOString();
  const sql = adminInsertSql({
    id: randomUUID(),
    email: ADMIN.email,
    name: "Admin E2E",
    passwordHash: pbkdf2Sync(ADMIN.password, salt, 100_000, 32, "sha256").toString("base64"),
    passwordSalt: salt.toString("base64"),
    passwordIterations: 100_000,
    at,
  });
  wrangler(["d1", "execute", "DB", "--local", "--persist-to", persistTo, "--command", sql]);

  const port = await freePort();
  const inspectorPort = await freePort();
  // As apps/api/scripts/wrangler.mjs does for `wrangler dev`: without CI, as a person would run it.
  const { CI: _ci, ...devEnv } = env;
  const secret = () => randomBytes(32).toString("base64");
  const child: ChildProcess = spawn(
    wranglerBin,
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--persist-to",
      persistTo,
      "--log-level",
      "warn",
      "--var",
      `VISITOR_CODE_SECRET:${secret()}`,
      "--var",
      `WEBHOOK_SECRETS_KEY:${secret()}`,
    ],
    { cwd: apiDir, env: devEnv, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const stop = () => {
    if (child.exitCode === null && child.pid !== undefined) child.kill("SIGTERM");
    rmSync(persistTo, { recursive: true, force: true });
  };
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(origin, child, () => output);
    const { centreId, partnerId } = await seedSmallCentre(origin);
    return { origin, centreId, partnerId, stop };
  } catch (error) {
    stop();
    throw error;
  }
}

async function waitForHealth(origin: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${output()}`);
    try {
      if ((await fetch(`${origin}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`wrangler dev did not answer within 60 s:\n${output()}`);
}

const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: "00:00", closesAt: "24:00" }));

async function expectCreated(answer: { status: number; body: unknown }, what: string): Promise<string> {
  if (answer.status !== 201) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return (answer.body as { id: string }).id;
}

/**
 * One centre open all day, one partner, two services (one with an Arabic text) and four staff accounts
 * (reception, observer, coordinator, and a partner user of that partner).
 */
async function seedSmallCentre(origin: string): Promise<{ centreId: string; partnerId: string }> {
  const admin = await signIn(origin, ADMIN.email, ADMIN.password);
  const centreId = await expectCreated(
    await admin.call("POST", "/api/centres", {
      name: "Halte E2E",
      slug: CENTRE_SLUG,
      address: "1 rue de l'Essai, Paris",
      openingHours: { timeZone: "Europe/Paris", weekly: allDay, exceptions: [] },
      dailyCapacity: 500,
      languages: ["fr", "en", "ar", "prs", "ps", "ti"],
    }),
    "centre",
  );
  const partnerId = await expectCreated(
    await admin.call("POST", "/api/partners", {
      centreId,
      name: "Partenaire E2E",
      roles: ["service_provider", "referral_destination"],
    }),
    "partner",
  );
  await expectCreated(
    await admin.call("POST", "/api/services", {
      centreId,
      organizationId: partnerId,
      name: "Douches",
      description: "Douches chaudes, serviettes fournies",
      category: "hygiene",
      languages: ["fr", "ar", "prs"],
      location: "Rez-de-chaussée",
      schedule: { timeZone: "Europe/Paris", weekly: allDay, exceptions: [], dailyCapacity: 120 },
      translations: {
        ar: { name: "الاستحمام", description: "استحمام بماء ساخن مع مناشف" },
        en: { name: "Showers" },
      },
    }),
    "service",
  );
  await expectCreated(
    await admin.call("POST", "/api/services", {
      centreId,
      organizationId: partnerId,
      name: "Permanence juridique",
      category: "legal",
      languages: ["fr", "ps"],
      schedule: { timeZone: "Europe/Paris", weekly: [], exceptions: [] },
    }),
    "service",
  );
  for (const [who, role] of [
    [RECEPTION, "reception"],
    [OBSERVER, "observer"],
    [COORDINATOR, "coordinator"],
    [PARTNER_USER, "partner"],
  ] as const) {
    const partner = role === "partner" ? { partnerId } : {};
    await expectCreated(
      await admin.call("POST", "/api/users", { ...who, name: `E2E ${role}`, role, centreId, ...partner }),
      `${role} user`,
    );
  }
  return { centreId, partnerId };
}
