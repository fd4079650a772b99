// Partner webhook ingest (POST /api/webhooks/partners/{id}: raw-body signature check, secret decryption,
// idempotency record, service-use insert and audit row in one batch) vs a bare Hono route doing one D1
// insert, both under `wrangler dev` on loopback, measured with autocannon in the same run.
// Run: `npm run bench` (all benchmarks) or `cd apps/api && npx tsx bench/webhooks.ts`.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { recordFigures } from "../../../tooling/bench/results-file.js";
import { sealWebhookSecret } from "../src/routes/webhooks/secret-store.js";

const apiDir = fileURLToPath(new URL("..", import.meta.url));
const wranglerBin = join(apiDir, "node_modules", ".bin", "wrangler");
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  CI: "true",
};
const CONNECTIONS = 20;
const SECONDS = Number(process.env.HALTE_BENCH_SECONDS ?? "8");
const ROUNDS = 2;
const centreId = "bench-centre";
const partnerId = "bench-partner";
const serviceId = "bench-service";
const storageKey = randomBytes(32).toString("base64");
const webhookKey = randomBytes(32);
const webhookSecret = `whsec_${webhookKey.toString("base64")}`;

function wrangler(args: string[]) {
  const result = spawnSync(wranglerBin, args, { cwd: apiDir, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(" ")}:\n${result.stdout}${result.stderr}`);
}

function d1(state: string, config: string[], ...args: string[]) {
  const [verb, ...rest] = args;
  const sub = verb === "migrations" ? ["migrations", rest.shift() as string] : [verb as string];
  wrangler(["d1", ...sub, "DB", "--local", "--persist-to", state, ...config, ...rest]);
}

const centreSql = (at: string) =>
  `INSERT INTO centres (id, name, slug, opening_hours, time_zone, disclosure_threshold, retention_months, languages, created_at, updated_at) VALUES ('${centreId}', 'Bench', 'bench', '{"timeZone":"Europe/Paris","weekly":[],"exceptions":[]}', 'Europe/Paris', 5, 24, '[]', '${at}', '${at}');`;

async function partnerSql(at: string) {
  const ciphertext = await sealWebhookSecret(storageKey, "bench-secret", partnerId, webhookSecret);
  return [
    `INSERT INTO partners (id, centre_id, name, roles, created_at, updated_at) VALUES ('${partnerId}', '${centreId}', 'Samu social', '["service_provider"]', '${at}', '${at}');`,
    `INSERT INTO services (id, centre_id, organization_id, name, category, status, languages, schedule, translations, created_at, updated_at) VALUES ('${serviceId}', '${centreId}', '${partnerId}', 'Consultations', 'health', 'active', '[]', '{"timeZone":"Europe/Paris","weekly":[],"exceptions":[]}', '{}', '${at}', '${at}');`,
    `INSERT INTO webhook_secrets (id, centre_id, partner_id, ciphertext, created_at) VALUES ('bench-secret', '${centreId}', '${partnerId}', '${ciphertext}', '${at}');`,
  ].join(" ");
}

async function waitFor(url: string, child: ChildProcess) {
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null)
      throw new Error(`wrangler dev exited (${child.exitCode}) before ${url} answered`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer in 60 s`);
}

let sequence = 0;
/** A fresh, signed Standard Webhooks message: every request is a new event, as a real partner sends. */
function signedMessage() {
  sequence += 1;
  const id = `msg_bench_${process.pid}_${sequence}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const now = new Date().toISOString();
  const body = JSON.stringify({
    type: "service_use.reported",
    data: { serviceId, usedAt: now, quantity: 3, occurredAt: now },
  });
  const signature = createHmac("sha256", webhookKey).update(`${id}.${timestamp}.${body}`).digest("base64");
  return {
    body,
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": `v1,${signature}`,
    },
  };
}

function load(url: string, signed: boolean) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url,
        method: "POST",
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ centreId, arrivedAt: "2026-11-28T08:03:00+01:00" }),
        ...(signed
          ? {
              requests: [
                {
                  setupRequest: (request: autocannon.Request) => {
                    const message = signedMessage();
                    return { ...request, headers: message.headers, body: message.body };
                  },
                },
              ],
            }
          : {}),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

const apiState = mkdtempSync(join(tmpdir(), "halte-bench-webhooks-"));
const bareState = mkdtempSync(join(tmpdir(), "halte-bench-bare-"));
const children: ChildProcess[] = [];
try {
  const at = new Date().toISOString();
  console.log("Preparing two local D1 databases (migrations, a centre, a partner with a webhook secret)…");
  const bareConfig = ["--config", "bench/wrangler.bare.jsonc"];
  d1(apiState, [], "migrations", "apply");
  d1(apiState, [], "execute", "--command", `${centreSql(at)} ${await partnerSql(at)}`);
  d1(bareState, bareConfig, "migrations", "apply");
  d1(bareState, bareConfig, "execute", "--command", centreSql(at));

  const devArgs = [
    "dev",
    "--ip",
    "127.0.0.1",
    "--log-level",
    "error",
    "--show-interactive-dev-session=false",
  ];
  const api = spawn(
    wranglerBin,
    [
      ...devArgs,
      "--port",
      "8793",
      "--inspector-port",
      "9233",
      "--persist-to",
      apiState,
      "--var",
      `VISITOR_CODE_SECRET:${storageKey}`,
      "--var",
      `WEBHOOK_SECRETS_KEY:${storageKey}`,
      "--var",
      "ENVIRONMENT:development",
    ],
    { cwd: apiDir, env, stdio: ["ignore", "ignore", "inherit"] },
  );
  const bare = spawn(
    wranglerBin,
    [...devArgs, "--port", "8794", "--inspector-port", "9234", "--persist-to", bareState, ...bareConfig],
    { cwd: apiDir, env, stdio: ["ignore", "ignore", "inherit"] },
  );
  children.push(api, bare);
  await waitFor("http://127.0.0.1:8793/api/health", api);
  await waitFor("http://127.0.0.1:8794/health", bare);

  const ingestUrl = `http://127.0.0.1:8793/api/webhooks/partners/${partnerId}`;
  const check = signedMessage();
  const first = await fetch(ingestUrl, { method: "POST", headers: check.headers, body: check.body });
  if (first.status !== 200) throw new Error(`webhook ingest answered ${first.status}: ${await first.text()}`);

  const runs: { api: autocannon.Result[]; bare: autocannon.Result[] } = { api: [], bare: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, url, signed] of [
      ["bare", "http://127.0.0.1:8794/visits", false],
      ["api", ingestUrl, true],
    ] as const) {
      const result = await load(url, signed);
      const non2xx = result.non2xx + result.errors + result.timeouts;
      console.log(
        `  round ${round} ${name.padEnd(4)} ${result.requests.average.toFixed(0).padStart(6)} req/s  p99 ${result.latency.p99} ms  non-2xx/errors ${non2xx}`,
      );
      if (non2xx > 0) throw new Error(`${name}: ${non2xx} failed requests`);
      runs[name].push(result);
    }
  }
  const mean = (results: autocannon.Result[], pick: (r: autocannon.Result) => number) =>
    results.reduce((sum, r) => sum + pick(r), 0) / results.length;
  const apiRps = mean(runs.api, (r) => r.requests.average);
  const bareRps = mean(runs.bare, (r) => r.requests.average);
  const workload = `autocannon, ${CONNECTIONS} connections, ${ROUNDS} × ${SECONDS} s each, wrangler dev (workerd + local D1) on loopback, every request a new signed service_use.reported event`;
  const ratio = Number((apiRps / bareRps).toFixed(3));
  console.log(
    `\nwebhook ingest ÷ bare insert: ${ratio} (target >= 0.7) — ${apiRps.toFixed(0)} vs ${bareRps.toFixed(0)} req/s`,
  );
  recordFigures([
    {
      name: "api.webhook-ingest/bare-insert",
      value: ratio,
      target: ">=0.7",
      reference: "a bare Hono route doing one D1 insert (no signature, idempotency record or audit row)",
      workload,
    },
    {
      name: "api.webhook-ingest.rps",
      value: Math.round(apiRps),
      target: null,
      reference: "POST /api/webhooks/partners/{id}, mean req/s",
      workload,
    },
    {
      name: "api.webhook-ingest.p99.ms",
      value: mean(runs.api, (r) => r.latency.p99),
      target: null,
      reference: "POST /api/webhooks/partners/{id}, p99 latency",
      workload,
    },
  ]);
} finally {
  for (const child of children) child.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 1000));
  rmSync(apiState, { recursive: true, force: true });
  rmSync(bareState, { recursive: true, force: true });
}
