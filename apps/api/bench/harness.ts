// What the API benchmarks share: two `wrangler dev` processes (the product and a bare reference Worker) on
// loopback, each with its own fresh local D1, loaded one after the other with autocannon in rounds.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type autocannon from "autocannon";

export const apiDir = fileURLToPath(new URL("..", import.meta.url));
const wranglerBin = join(apiDir, "node_modules", ".bin", "wrangler");
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  CI: "true",
};

export const CONNECTIONS = 20;
export const ROUNDS = 2;
export const BENCH_CENTRE_ID = "bench-centre";
/** The bare reference Worker's config (`bench/bare-worker.ts`). */
export const bareConfig = ["--config", "bench/wrangler.bare.jsonc"];

/** Seconds per round: `HALTE_BENCH_SECONDS`, or the benchmark's default. */
export const secondsPerRound = (fallback: number) =>
  Number(process.env.HALTE_BENCH_SECONDS ?? String(fallback));

/** Runs a wrangler command to its end; returns what it printed on stdout, throws with its output on failure. */
export function wrangler(args: string[]): string {
  const result = spawnSync(wranglerBin, args, {
    cwd: apiDir,
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(" ")}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** `wrangler d1 <verb…> DB --local --persist-to <state> <config> <rest>`: one local database per Worker. */
export function d1(state: string, config: string[], ...args: string[]): string {
  const [verb, ...rest] = args;
  const sub = verb === "migrations" ? ["migrations", rest.shift() as string] : [verb as string];
  return wrangler(["d1", ...sub, "DB", "--local", "--persist-to", state, ...config, ...rest]);
}

/** The SQL of the one centre every benchmark database holds. */
export const centreSql = (at: string) =>
  `INSERT INTO centres (id, name, slug, opening_hours, time_zone, disclosure_threshold, retention_months, languages, created_at, updated_at) VALUES ('${BENCH_CENTRE_ID}', 'Bench', 'bench', '{"timeZone":"Europe/Paris","weekly":[],"exceptions":[]}', 'Europe/Paris', 5, 24, '[]', '${at}', '${at}');`;

/**
 * Starts `wrangler dev` on a port (and its own inspector port, the default may be taken). By default only
 * errors are printed, on this process's stderr; `logs` sends the Worker's output at `level` to a file
 * descriptor instead (the load suite keeps the server's log lines to quote them when a request fails).
 */
export function startDev(
  port: number,
  args: string[],
  logs?: { level: "error" | "warn" | "info" | "log"; fd: number },
): ChildProcess {
  return spawn(
    wranglerBin,
    [
      "dev",
      "--ip",
      "127.0.0.1",
      "--log-level",
      logs?.level ?? "error",
      "--show-interactive-dev-session=false",
      "--port",
      String(port),
      "--inspector-port",
      String(port + 1440),
      ...args,
    ],
    { cwd: apiDir, env, stdio: logs ? ["ignore", logs.fd, logs.fd] : ["ignore", "ignore", "inherit"] },
  );
}

export async function waitFor(url: string, child: ChildProcess) {
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

/**
 * Loads the bare route then the product route, `ROUNDS` times, failing on any non-2xx answer; returns the
 * mean requests per second and p99 of each, measured side by side in the same run.
 */
export async function compareRounds(load: {
  bare: () => Promise<autocannon.Result>;
  api: () => Promise<autocannon.Result>;
}) {
  const runs: { api: autocannon.Result[]; bare: autocannon.Result[] } = { api: [], bare: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const name of ["bare", "api"] as const) {
      const result = await load[name]();
      const failed = result.non2xx + result.errors + result.timeouts;
      console.log(
        `  round ${round} ${name.padEnd(4)} ${result.requests.average.toFixed(0).padStart(6)} req/s  p99 ${result.latency.p99} ms  non-2xx/errors ${failed}`,
      );
      if (failed > 0) throw new Error(`${name}: ${failed} failed requests`);
      runs[name].push(result);
    }
  }
  const mean = (results: autocannon.Result[], pick: (r: autocannon.Result) => number) =>
    results.reduce((sum, r) => sum + pick(r), 0) / results.length;
  return {
    apiRps: mean(runs.api, (r) => r.requests.average),
    bareRps: mean(runs.bare, (r) => r.requests.average),
    apiP99: mean(runs.api, (r) => r.latency.p99),
  };
}

/** Where the two running Workers of a benchmark answer. */
export interface WorkerPair {
  apiUrl: string;
  bareUrl: string;
}

/**
 * Prepares two fresh local D1 databases (migrations, the bench centre, plus `apiSeedSql` for the product),
 * starts the product Worker on `apiPort` with `secret` as its secrets and the bare Worker on `apiPort + 1`,
 * waits for both, runs `measure`, and always stops both and removes their databases.
 */
export async function withWorkerPair(
  options: { apiPort: number; secret: string; apiSeedSql: (at: string) => Promise<string> | string },
  measure: (pair: WorkerPair) => Promise<void>,
) {
  const apiState = mkdtempSync(join(tmpdir(), "halte-bench-api-"));
  const bareState = mkdtempSync(join(tmpdir(), "halte-bench-bare-"));
  const children: ChildProcess[] = [];
  try {
    const at = new Date().toISOString();
    console.log("Preparing two local D1 databases…");
    d1(apiState, [], "migrations", "apply");
    d1(apiState, [], "execute", "--command", `${centreSql(at)} ${await options.apiSeedSql(at)}`);
    d1(bareState, bareConfig, "migrations", "apply");
    d1(bareState, bareConfig, "execute", "--command", centreSql(at));
    const secrets = ["VISITOR_CODE_SECRET", "WEBHOOK_SECRETS_KEY"].flatMap((name) => [
      "--var",
      `${name}:${options.secret}`,
    ]);
    const api = startDev(options.apiPort, [
      "--persist-to",
      apiState,
      ...secrets,
      "--var",
      "ENVIRONMENT:development",
    ]);
    const bare = startDev(options.apiPort + 1, ["--persist-to", bareState, ...bareConfig]);
    children.push(api, bare);
    const pair = {
      apiUrl: `http://127.0.0.1:${options.apiPort}`,
      bareUrl: `http://127.0.0.1:${options.apiPort + 1}`,
    };
    await waitFor(`${pair.apiUrl}/api/health`, api);
    await waitFor(`${pair.bareUrl}/health`, bare);
    await measure(pair);
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    rmSync(apiState, { recursive: true, force: true });
    rmSync(bareState, { recursive: true, force: true });
  }
}
