// What the API benchmarks share: two `wrangler dev` processes (the product and a bare reference Worker) on
// loopback, each with its own fresh local D1, loaded in turns with autocannon in rounds (the order rotated
// each round; the figure is the median of the per-round ratios, with their spread).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type autocannon from "autocannon";
import { alternateRounds, median, ratioSpread } from "../../../tooling/bench/rounds.js";

export const apiDir = fileURLToPath(new URL("..", import.meta.url));
const wranglerBin = join(apiDir, "node_modules", ".bin", "wrangler");
const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  CI: "true",
};

export const CONNECTIONS = 20;
/** Rounds of every API comparison: `HALTE_BENCH_ROUNDS`, at least 4 by default. */
export const ROUNDS = Number(process.env.HALTE_BENCH_ROUNDS ?? "4");
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

/**
 * How a benchmark runs its Workers. `startWorker` (the default): `bench/dev-worker.mjs`, wrangler's local dev
 * runtime through its API with no inspector proxy, so a `console.log` is not also relayed to a debugger
 * session (see that file). `wrangler-dev`: the `wrangler dev` command, inspector proxy included (what the
 * figures before 2026-12-07 20:00 UTC measured; `HALTE_BENCH_RUNTIME=wrangler-dev`). Both Workers of a pair
 * always run the same way.
 */
export type BenchRuntime = "startWorker" | "wrangler-dev";
export const benchRuntime: BenchRuntime =
  process.env.HALTE_BENCH_RUNTIME === "wrangler-dev" ? "wrangler-dev" : "startWorker";

/** What the workload text says of the runtime both Workers ran in. */
export const runtimeText =
  benchRuntime === "wrangler-dev"
    ? "both Workers under the `wrangler dev` command (its inspector proxy relays every console line)"
    : "both Workers in wrangler's local dev runtime through `unstable_startWorker` without the inspector proxy (bench/dev-worker.mjs)";

/**
 * A figure as this runtime records it: under the default runtime as named, with its target; under
 * `wrangler-dev` (kept for comparison) the name gets `.wrangler-dev` and no target, so it never replaces
 * the headline figure.
 */
export function runtimeFigure<T extends { name: string; target: string | null }>(figure: T): T {
  return benchRuntime === "wrangler-dev"
    ? { ...figure, name: `${figure.name}.wrangler-dev`, target: null }
    : figure;
}

/** Starts one Worker of a pair the way `runtime` says; `args` as for `wrangler dev` (config, persist, vars). */
export function startBenchWorker(port: number, args: string[], runtime: BenchRuntime): ChildProcess {
  if (runtime === "wrangler-dev") return startDev(port, args);
  return spawn(process.execPath, [join(apiDir, "bench", "dev-worker.mjs"), "--port", String(port), ...args], {
    cwd: apiDir,
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
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

/** The machine's load averages (1, 5, 15 min) as `uptime` prints them: benches on a shared machine say it. */
export function machineLoad(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(", ");
}

/**
 * Loads each side once unmeasured (warm-up), then the bare route and the product route in `ROUNDS` rounds,
 * the order rotated each round (bare first, then product first, …), failing on any non-2xx answer; returns
 * the median requests per second and p99 of each and the product ÷ bare ratio of each round: its median and
 * spread are the published figure.
 */
export async function compareRounds(load: {
  bare: () => Promise<autocannon.Result>;
  api: () => Promise<autocannon.Result>;
}) {
  const loadBefore = machineLoad();
  const p99s: { api: number[]; bare: number[] } = { api: [], bare: [] };
  const measured = (name: "api" | "bare") => async () => {
    const result = await load[name]();
    const failed = result.non2xx + result.errors + result.timeouts;
    console.log(
      `  ${name.padEnd(4)} ${result.requests.average.toFixed(0).padStart(6)} req/s  p99 ${result.latency.p99} ms  non-2xx/errors ${failed}`,
    );
    if (failed > 0) throw new Error(`${name}: ${failed} failed requests`);
    p99s[name].push(result.latency.p99);
    return result.requests.average;
  };
  // One unmeasured load of each side first: the isolate's first requests compile the bundle's code and
  // hold the centre (and the partner's keys), so without it the side that opens round 1 was measured cold.
  console.log("  warm-up (not measured)…");
  await load.bare();
  await load.api();
  const rps = await alternateRounds(
    { bare: measured("bare"), api: measured("api") },
    ROUNDS,
    (round, order) => console.log(`  round ${round} done (${order.join(" then ")})`),
  );
  return {
    apiRps: median(rps.api),
    bareRps: median(rps.bare),
    apiP99: median(p99s.api),
    ratio: ratioSpread(rps.api, rps.bare),
    /** The load averages before and after the rounds, for the workload text. */
    load: `machine load (uptime: 1, 5, 15 min) ${loadBefore} before, ${machineLoad()} after`,
  };
}

/** Where the two running Workers of a benchmark answer. */
export interface WorkerPair {
  apiUrl: string;
  bareUrl: string;
  /** The `wrangler dev` processes (their workerd runs below them): what `bench/profile.ts` reads CPU time of. */
  apiPid?: number;
  barePid?: number;
}

/**
 * Prepares two fresh local D1 databases (migrations, the bench centre, plus `apiSeedSql` for the product),
 * starts the product Worker on `apiPort` with `secret` as its secrets and the bare Worker on `apiPort + 1`,
 * waits for both, runs `measure`, and always stops both and removes their databases.
 */
export async function withWorkerPair(
  options: {
    apiPort: number;
    secret: string;
    apiSeedSql: (at: string) => Promise<string> | string;
    /** `benchRuntime` unless given (`bench/profile.ts` needs `wrangler dev`'s inspector port). */
    runtime?: BenchRuntime;
  },
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
    const runtime = options.runtime ?? benchRuntime;
    console.log(`Starting both Workers (${runtime})…`);
    const api = startBenchWorker(
      options.apiPort,
      ["--persist-to", apiState, ...secrets, "--var", "ENVIRONMENT:development"],
      runtime,
    );
    const bare = startBenchWorker(options.apiPort + 1, ["--persist-to", bareState, ...bareConfig], runtime);
    children.push(api, bare);
    const pair = {
      apiUrl: `http://127.0.0.1:${options.apiPort}`,
      bareUrl: `http://127.0.0.1:${options.apiPort + 1}`,
      apiPid: api.pid,
      barePid: bare.pid,
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
