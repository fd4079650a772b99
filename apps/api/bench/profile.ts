// Where the door's tap and a partner's signed webhook spend CPU in the Worker: the product and the bare
// reference Worker under `wrangler dev` (as in `visits.ts`/`webhooks.ts`), each loaded with autocannon while
// a V8 CPU profile of its isolate is taken through the inspector, then read per request (`cpu-profile.ts`).
// Run: `cd apps/api && npx tsx bench/profile.ts door` (or `webhook`). `HALTE_PROFILE_SECONDS` sets the
// profiled load (10 s), `HALTE_PROFILE_OUT` a directory to keep the `.cpuprofile` files in (open them in
// Chrome DevTools). Prints; records nothing in results.json.
// `npx tsx bench/profile.ts door cpu` (or `webhook cpu`) takes no V8 profile: only the CPU time per request
// of each Worker's processes, in the benchmarks' runtime (`HALTE_BENCH_RUNTIME`, see harness.ts) — with a
// profile the Workers run under `wrangler dev`, whose inspector port the profiler attaches to.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type autocannon from "autocannon";
import {
  cpuPerRequest,
  formatSummary,
  newestBundle,
  profileWhile,
  summarise,
  treeCpuMs,
} from "./cpu-profile.js";
import { apiDir, benchRuntime, machineLoad, withWorkerPair } from "./harness.js";
import {
  loadTaps,
  loadWebhooks,
  partnerId,
  partnerSql,
  receptionHeaders,
  receptionSql,
} from "./workloads.js";

const mode = process.argv[2] === "webhook" ? "webhook" : "door";
const cpuOnly = process.argv[3] === "cpu";
const SECONDS = Number(process.env.HALTE_PROFILE_SECONDS ?? "10");
const SECRET = randomBytes(32).toString("base64");
const API_PORT = 8797;
/** A string only the bare Worker's bundle holds. */
const BARE_MARKER = "VALUES (?, ?, ?, ?, '[]', ?, ?, ?)";
/** `startDev` puts each Worker's inspector 1440 ports above its own. */
const INSPECTOR_OFFSET = 1440;

/** What the report follows inclusively, per request (function names as the bundle keeps them). */
const WATCH = [
  "fetch",
  "dispatch",
  "securityHeaders",
  "authenticate",
  "bodyLimit2",
  "validator",
  "safeParse",
  "recordFoldedTap",
  "visitRows",
  "credentialCheck",
  "sha256Hex",
  "csrfKeyedHash",
  "foldedVisitWrite",
  "insertSelect",
  "diffRecords",
  "wroteFirst",
  "writtenVisit",
  "json",
  "createConsoleLogger",
  "write",
  "createDb",
  "Databases",
  "uuidv7",
  "zonedDateTime",
  "match",
  "ingestWebhook",
  "verifySignature",
  "foldedServiceUseReport",
];

async function profiled(
  name: string,
  port: number,
  pid: number | undefined,
  marker: string,
  load: () => Promise<autocannon.Result>,
) {
  // A first, unprofiled load lets the isolate warm up (JIT, held centre and keys) as it is in the bench.
  await load();
  // Then the CPU time the Worker's processes use per request with no profiler attached: the runtime
  // (`workerd`, the Worker and its local D1) and wrangler itself (`node`, which receives the Worker's logs).
  if (pid !== undefined) {
    const before = treeCpuMs(pid);
    const plain = await load();
    const used = cpuPerRequest(before, treeCpuMs(pid), plain.requests.total);
    console.log(
      `\n${mode} ${name}, no profiler: ${(plain.requests.total / SECONDS).toFixed(0)} req/s, CPU ms per request: ${used
        .map((line) => `${line.name} ${line.msPerRequest.toFixed(3)}`)
        .join(", ")}`,
    );
  }
  if (cpuOnly) return;
  const { profile, result } = await profileWhile(port + INSPECTOR_OFFSET, load);
  const out = process.env.HALTE_PROFILE_OUT;
  if (out) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `${mode}-${name}.cpuprofile`), JSON.stringify(profile));
  }
  const bundle = newestBundle(apiDir, marker) ?? newestBundle(join(apiDir, "bench"), marker);
  const requests = result.requests.total;
  if (result.non2xx + result.errors > 0) throw new Error(`${name}: ${result.non2xx + result.errors} failed`);
  console.log(`\n${formatSummary(`${mode} ${name}`, summarise(profile, requests, bundle, WATCH))}`);
  console.log(`  (${(requests / SECONDS).toFixed(0)} req/s while profiled, p99 ${result.latency.p99} ms)`);
}

await withWorkerPair(
  {
    apiPort: API_PORT,
    secret: SECRET,
    apiSeedSql: mode === "door" ? receptionSql : (at) => partnerSql(SECRET, at),
    runtime: cpuOnly ? benchRuntime : "wrangler-dev",
  },
  async ({ apiUrl, bareUrl, apiPid, barePid }) => {
    console.log(`machine load (uptime) ${machineLoad()}`);
    if (mode === "door") {
      const headers = await receptionHeaders(apiUrl);
      await profiled("api", API_PORT, apiPid, "recordFoldedTap", () =>
        loadTaps(`${apiUrl}/api/visits`, headers, SECONDS),
      );
      await profiled("bare", API_PORT + 1, barePid, BARE_MARKER, () =>
        loadTaps(`${bareUrl}/visits`, {}, SECONDS),
      );
    } else {
      const url = `${apiUrl}/api/webhooks/partners/${partnerId}`;
      await profiled("api", API_PORT, apiPid, "recordFoldedTap", () => loadWebhooks(url, true, SECONDS));
      await profiled("bare", API_PORT + 1, barePid, BARE_MARKER, () =>
        loadWebhooks(`${bareUrl}/visits`, false, SECONDS),
      );
    }
    console.log(`\nmachine load (uptime) ${machineLoad()}`);
  },
);
