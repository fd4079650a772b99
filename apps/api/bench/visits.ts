// POST /api/visits (the door tap, with everything the product does) vs a bare Hono route doing the same
// D1 insert, both under `wrangler dev` on loopback, measured with autocannon in the same run.
// Run: `npm run bench` (all benchmarks) or `cd apps/api && npx tsx bench/visits.ts`.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { recordFigures } from "../../../tooling/bench/results-file.js";

const apiDir = fileURLToPath(new URL("..", import.meta.url));
const wranglerBin = join(apiDir, "node_modules", ".bin", "wrangler");
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  CI: "true",
};
const CONNECTIONS = 20;
const SECONDS = Number(process.env.HALTE_BENCH_SECONDS ?? "10");
const ROUNDS = 2;
const centreId = "bench-centre";
const secret = randomBytes(32).toString("base64");

function wrangler(args: string[]) {
  const result = spawnSync(wranglerBin, args, { cwd: apiDir, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(" ")}:\n${result.stdout}${result.stderr}`);
}

/** `wrangler d1 <verb…> DB --local --persist-to <state> <config> <rest>`: one local database per Worker. */
function d1(state: string, config: string[], ...args: string[]) {
  const [verb, ...rest] = args;
  const sub = verb === "migrations" ? ["migrations", rest.shift() as string] : [verb as string];
  wrangler(["d1", ...sub, "DB", "--local", "--persist-to", state, ...config, ...rest]);
}

const centreSql = (at: string) =>
  `INSERT INTO centres (id, name, slug, opening_hours, time_zone, disclosure_threshold, retention_months, languages, created_at, updated_at) VALUES ('${centreId}', 'Bench', 'bench', '{"timeZone":"Europe/Paris","weekly":[],"exceptions":[]}', 'Europe/Paris', 5, 24, '[]', '${at}', '${at}');`;

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

function load(url: string, headers: Record<string, string>) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url,
        method: "POST",
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ centreId, arrivedAt: "2026-11-28T08:03:00+01:00" }),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

const apiState = mkdtempSync(join(tmpdir(), "halte-bench-api-"));
const bareState = mkdtempSync(join(tmpdir(), "halte-bench-bare-"));
const children: ChildProcess[] = [];
try {
  const at = new Date().toISOString();
  console.log("Preparing two local D1 databases (migrations + one centre)…");
  const bareConfig = ["--config", "bench/wrangler.bare.jsonc"];
  d1(apiState, [], "migrations", "apply");
  d1(apiState, [], "execute", "--command", centreSql(at));
  d1(bareState, bareConfig, "migrations", "apply");
  d1(bareState, bareConfig, "execute", "--command", centreSql(at));

  // A reception account for the API, created through the first-admin path's SQL shape but as reception.
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
      "8791",
      "--inspector-port",
      "9231",
      "--persist-to",
      apiState,
      "--var",
      `VISITOR_CODE_SECRET:${secret}`,
      "--var",
      `WEBHOOK_SECRETS_KEY:${secret}`,
      "--var",
      "ENVIRONMENT:development",
    ],
    { cwd: apiDir, env, stdio: ["ignore", "ignore", "inherit"] },
  );
  const bare = spawn(
    wranglerBin,
    [...devArgs, "--port", "8792", "--inspector-port", "9232", "--persist-to", bareState, ...bareConfig],
    { cwd: apiDir, env, stdio: ["ignore", "ignore", "inherit"] },
  );
  children.push(api, bare);
  await waitFor("http://127.0.0.1:8791/api/health", api);
  await waitFor("http://127.0.0.1:8792/health", bare);

  const { pbkdf2Sync } = await import("node:crypto");
  const salt = randomBytes(16);
  const hash = pbkdf2Sync("bench reception password", salt, 100_000, 32, "sha256").toString("base64");
  d1(
    apiState,
    [],
    "execute",
    "--command",
    `INSERT INTO users (id, email, name, role, centre_id, password_hash, password_salt, password_iterations, created_at, updated_at) VALUES ('bench-reception', 'reception@bench.test', 'Bench', 'reception', '${centreId}', '${hash}', '${salt.toString("base64")}', 100000, '${at}', '${at}');`,
  );
  const login = await fetch("http://127.0.0.1:8791/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "reception@bench.test", password: "bench reception password" }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const apiHeaders = { cookie, "x-csrf-token": csrfToken };

  const check = await fetch("http://127.0.0.1:8791/api/visits", {
    method: "POST",
    headers: { "content-type": "application/json", ...apiHeaders },
    body: JSON.stringify({ centreId, arrivedAt: "2026-11-28T08:03:00+01:00" }),
  });
  if (check.status !== 201)
    throw new Error(`POST /api/visits answered ${check.status}: ${await check.text()}`);

  const runs: { api: autocannon.Result[]; bare: autocannon.Result[] } = { api: [], bare: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [name, url, headers] of [
      ["bare", "http://127.0.0.1:8792/visits", {}],
      ["api", "http://127.0.0.1:8791/api/visits", apiHeaders],
    ] as const) {
      const result = await load(url, headers);
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
  const workload = `autocannon, ${CONNECTIONS} connections, ${ROUNDS} × ${SECONDS} s each, wrangler dev (workerd + local D1) on loopback`;
  const ratio = Number((apiRps / bareRps).toFixed(3));
  console.log(
    `\nPOST /api/visits ÷ bare insert: ${ratio} (target >= 0.8) — ${apiRps.toFixed(0)} vs ${bareRps.toFixed(0)} req/s`,
  );
  recordFigures([
    {
      name: "api.visit-post/bare-insert",
      value: ratio,
      target: ">=0.8",
      reference:
        "a bare Hono route doing the same D1 insert (no auth, validation, centre lookup or audit row)",
      workload,
    },
    {
      name: "api.visit-post.rps",
      value: Math.round(apiRps),
      target: null,
      reference: "POST /api/visits, mean req/s",
      workload,
    },
    {
      name: "api.visit-post.p99.ms",
      value: mean(runs.api, (r) => r.latency.p99),
      target: null,
      reference: "POST /api/visits, p99 latency",
      workload,
    },
    {
      name: "api.bare-insert.rps",
      value: Math.round(bareRps),
      target: null,
      reference: "bare insert route, mean req/s",
      workload,
    },
  ]);
} finally {
  for (const child of children) child.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 1000));
  rmSync(apiState, { recursive: true, force: true });
  rmSync(bareState, { recursive: true, force: true });
}
