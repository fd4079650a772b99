// The Worker's own CPU per door tap, without workerd, wrangler, the network or D1: the product's app
// (src/worker.ts) and the bare reference (bench/bare-worker.ts) called in this Node process one request after
// another, each over an in-memory SQLite behind D1's API (`sqlite-d1.ts`, which answers at once), with a staff
// session signed in as the door's reception. `process.cpuUsage()` gives ms per request; a V8 profile
// (node:inspector) says where they go, by module and function. The product's log line is built as always but
// not written out (its cost in `wrangler dev` is measured by `bench/profile.ts`; see docs/benchmarks.md).
// Run: `cd apps/api && npx tsx bench/worker-cpu.ts` (`HALTE_CPU_REQUESTS`, default 3000 per side).
// Must stay the first import, as in src/worker.ts: core's schemas need zod extended before they are built.
import "../src/zod-openapi.js";
import { randomBytes, randomUUID } from "node:crypto";
import { Session } from "node:inspector/promises";
import { fileURLToPath } from "node:url";
import { createDb } from "@halte/db";
import { createSession } from "../src/auth/sessions.js";
import bare from "./bare-worker.js";
import { type CpuProfile, formatSummary, summarise } from "./cpu-profile.js";
import { BENCH_CENTRE_ID as centreId, centreSql, machineLoad } from "./harness.js";
import { sqliteD1, sqliteTime } from "./sqlite-d1.js";
import { receptionSql } from "./workloads.js";

const REQUESTS = Number(process.env.HALTE_CPU_REQUESTS ?? "3000");
const migrations = fileURLToPath(new URL("../../../packages/db/migrations", import.meta.url));
const secret = randomBytes(32).toString("base64");
const ctx = {
  waitUntil: (promise: Promise<unknown>) => void promise.catch(() => undefined),
  passThroughOnException: () => undefined,
  props: {},
};

type Fetch = (request: Request, env: unknown, ctx: unknown) => Response | Promise<Response>;

async function side(name: string, fetch: Fetch, env: unknown, tap: () => Request) {
  const once = async () => {
    const response = await fetch(tap(), env, ctx);
    if (response.status !== 201) throw new Error(`${name}: ${response.status} ${await response.text()}`);
  };
  for (let i = 0; i < REQUESTS; i++) await once(); // warm-up: JIT, the held centre
  const before = process.cpuUsage();
  const sqliteBefore = sqliteTime.ms;
  for (let i = 0; i < REQUESTS; i++) await once();
  const used = process.cpuUsage(before);
  const sqliteMs = (sqliteTime.ms - sqliteBefore) / REQUESTS;
  const cpuMs = (used.user + used.system) / 1000 / REQUESTS - sqliteMs;
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  for (let i = 0; i < REQUESTS; i++) await once();
  const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: CpuProfile };
  session.disconnect();
  const summary = summarise(profile, REQUESTS, null, WATCH);
  console.log(
    `\n${name}: ${cpuMs.toFixed(3)} ms CPU per request outside SQLite (${sqliteMs.toFixed(3)} ms in SQLite), no profiler`,
  );
  console.log(formatSummary(`${name}, profiled`, summary));
  return cpuMs;
}

const WATCH = [
  "securityHeaders",
  "authenticate",
  "recordFoldedTap",
  "visitRows",
  "credentialCheck",
  "foldedVisitWrite",
  "wroteFirst",
  "writtenVisit",
  "createConsoleLogger",
  "readConfig",
  "safeParse",
];

const at = new Date().toISOString();
const productD1 = sqliteD1(migrations);
await productD1.exec(`${centreSql(at)} ${receptionSql(at)}`);
const session = await createSession(
  createDb(productD1 as unknown as D1Database),
  "bench-reception",
  new Date(),
);
await session.statement.run();
const productEnv = {
  DB: productD1,
  ENVIRONMENT: "development",
  VISITOR_CODE_SECRET: secret,
  WEBHOOK_SECRETS_KEY: secret,
};
const bareD1 = sqliteD1(migrations);
await bareD1.exec(centreSql(at));

// The product's request log is built (JSON) as always, then dropped rather than written to this terminal.
let logLines = 0;
console.log = (
  (log) =>
  (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith('{"level"')) logLines += 1;
    else log(...args);
  }
)(console.log.bind(console));

const { app } = await import("../src/worker.js");
const body = () =>
  JSON.stringify({
    centreId,
    arrivedAt: "2026-11-28T08:03:00+01:00",
    idempotencyKey: `bench:${randomUUID()}`,
  });
const headers = {
  "content-type": "application/json",
  cookie: `halte_session=${session.cookie}`,
  "x-csrf-token": session.csrfToken,
};
console.log(`machine load (uptime) ${machineLoad()}; ${REQUESTS} requests a side`);
const product = await side(
  "door tap (product)",
  app.fetch as Fetch,
  productEnv,
  () => new Request("http://127.0.0.1/api/visits", { method: "POST", headers, body: body() }),
);
const reference = await side(
  "bare insert",
  bare.fetch as Fetch,
  { DB: bareD1 },
  () =>
    new Request("http://127.0.0.1/visits", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: body(),
    }),
);
console.log(
  `\nproduct − bare: ${(product - reference).toFixed(3)} ms CPU per request; ${(logLines / (3 * REQUESTS)).toFixed(2)} log lines per tap; machine load ${machineLoad()}`,
);
