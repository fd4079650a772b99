#!/usr/bin/env node
// The README's commands start here so that a fresh machine needs only Node and npm: pnpm is fetched by npx
// at the version pinned in package.json's `packageManager` field (no global install, no corepack), and the
// variables that keep wrangler, workerd and turbo offline are set for every child process.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const { packageManager } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
};

/** Runs pnpm with the given arguments in the repository root; exits with its status on failure. */
function pnpm(...args) {
  const result = spawnSync("npx", ["-y", packageManager, ...args], { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
}

/** Runs a Node script; exits with its status on failure. */
function node(...args) {
  const result = spawnSync(process.execPath, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
}

const tasks = {
  /** Install, build, then start the demo (see README). */
  demo: () => {
    pnpm("install", "--frozen-lockfile");
    pnpm("exec", "turbo", "run", "demo", "--output-logs=new-only");
  },
  /**
   * Everything CI checks: lint and format, the size rule (tooling/scripts/check-size.mjs), types, unit and
   * integration tests, builds, the packed library.
   */
  test: () => {
    pnpm("install", "--frozen-lockfile");
    pnpm("exec", "biome", "check", ".");
    node(join(root, "tooling", "scripts", "check-size.mjs"));
    pnpm("exec", "turbo", "run", "build", "typecheck", "test", "--output-logs=new-only", "--concurrency=1");
  },
  /**
   * Every benchmark; figures land in bench/results.json, then a table of them with their targets is printed
   * and written to bench/results.md (docs/benchmarks.md explains them). The scale simulation (several
   * centres, ~10 minutes) runs only when asked: `HALTE_BENCH_SCALE_CENTRES=5 npm run bench`; so does the 1 → 50
   * centres bench (`HALTE_BENCH_CENTRES=1 npm run bench`).
   */
  bench: () => {
    pnpm("install", "--frozen-lockfile");
    pnpm("exec", "turbo", "run", "bench", "--concurrency=1");
    if (process.env.HALTE_BENCH_SCALE_CENTRES) {
      pnpm("--filter", "@halte/api", "exec", "tsx", "bench/scale.ts");
    }
    // 1 → 50 centres, one database each (~10 minutes): `HALTE_BENCH_CENTRES=1 npm run bench`.
    if (process.env.HALTE_BENCH_CENTRES) {
      pnpm("--filter", "@halte/api", "exec", "tsx", "bench/centres.ts");
    }
    node(join(root, "tooling", "scripts", "bench-table.mjs"));
  },
};

const name = process.argv[2];
const task = tasks[name];
if (!task) {
  console.error(`usage: node tooling/scripts/run.mjs <${Object.keys(tasks).join("|")}>`);
  process.exit(2);
}
task();
