// Runs the workspace's pinned wrangler from apps/api with the variables that keep it offline and quiet.
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const apiDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(apiDir, "node_modules", ".bin", "wrangler");

export const wranglerEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  CI: "true",
};

/**
 * `HALTE_DEMO_PERSIST_TO`: keep the local D1 in this directory instead of `.wrangler/state`, so a test can
 * run the whole demo without touching a developer's demo data.
 */
function withPersistTo(args) {
  const dir = process.env.HALTE_DEMO_PERSIST_TO;
  return dir && (args.includes("--local") || args[0] === "dev") ? [...args, "--persist-to", dir] : args;
}

/**
 * Runs wrangler to completion; throws with its output if it fails. `maxBuffer`: the most it may print (a
 * `d1 execute --json` read of many rows prints megabytes).
 */
export function wrangler(rawArgs, { quiet = true, maxBuffer = 1024 * 1024 } = {}) {
  const args = rawArgs.includes("--persist-to") ? rawArgs : withPersistTo(rawArgs);
  const result = spawnSync(bin, args, {
    cwd: apiDir,
    env: wranglerEnv,
    encoding: "utf8",
    maxBuffer,
    stdio: quiet ? "pipe" : "inherit",
  });
  if (result.status !== 0) {
    throw new Error(`wrangler ${args.join(" ")} failed:\n${result.stdout ?? ""}${result.stderr ?? ""}`);
  }
  return result.stdout ?? "";
}

/** Starts a long-running wrangler (dev) attached to this terminal. */
export function spawnWrangler(args) {
  const { CI: _ci, ...env } = wranglerEnv;
  return spawn(bin, withPersistTo(args), { cwd: apiDir, env, stdio: "inherit" });
}
