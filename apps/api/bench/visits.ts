// POST /api/visits (the door tap with its idempotency key, with everything the product does) vs a bare
// Hono route doing the same D1 insert, both under `wrangler dev` on loopback, measured with autocannon in the same run.
// Run: `npm run bench` (all benchmarks) or `cd apps/api && npx tsx bench/visits.ts`.
import { pbkdf2Sync, randomBytes, randomUUID } from "node:crypto";
import { PASSWORD_HASH } from "@halte/core";
import autocannon from "autocannon";
import { recordFigures } from "../../../tooling/bench/results-file.js";
import {
  CONNECTIONS,
  BENCH_CENTRE_ID as centreId,
  compareRounds,
  ROUNDS,
  secondsPerRound,
  withWorkerPair,
} from "./harness.js";

const SECONDS = secondsPerRound(10);
const SECRET = randomBytes(32).toString("base64");

function load(url: string, headers: Record<string, string>) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url,
        method: "POST",
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: { "content-type": "application/json", ...headers },
        // Every tap carries a fresh idempotency key, as the door's offline queue sends them.
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              body: JSON.stringify({
                centreId,
                arrivedAt: "2026-11-28T08:03:00+01:00",
                idempotencyKey: `bench:${randomUUID()}`,
              }),
            }),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/** A reception account for the API, in the first-admin command's SQL shape but as reception. */
function receptionSql(at: string) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(
    "bench reception password",
    salt,
    PASSWORD_HASH.iterations,
    PASSWORD_HASH.keyBits / 8,
    "sha256",
  ).toString("base64");
  return `INSERT INTO users (id, email, name, role, centre_id, password_hash, password_salt, password_iterations, created_at, updated_at) VALUES ('bench-reception', 'reception@bench.test', 'Bench', 'reception', '${centreId}', '${hash}', '${salt.toString("base64")}', ${PASSWORD_HASH.iterations}, '${at}', '${at}');`;
}

await withWorkerPair(
  { apiPort: 8791, secret: SECRET, apiSeedSql: receptionSql },
  async ({ apiUrl, bareUrl }) => {
    const login = await fetch(`${apiUrl}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "reception@bench.test", password: "bench reception password" }),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const apiHeaders = { cookie, "x-csrf-token": csrfToken };

    const check = await fetch(`${apiUrl}/api/visits`, {
      method: "POST",
      headers: { "content-type": "application/json", ...apiHeaders },
      body: JSON.stringify({ centreId, arrivedAt: "2026-11-28T08:03:00+01:00" }),
    });
    if (check.status !== 201)
      throw new Error(`POST /api/visits answered ${check.status}: ${await check.text()}`);

    const {
      apiRps,
      bareRps,
      apiP99,
      ratio: rounds,
      load: machine,
    } = await compareRounds({
      bare: () => load(`${bareUrl}/visits`, {}),
      api: () => load(`${apiUrl}/api/visits`, apiHeaders),
    });
    const workload = `autocannon, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS} s a side, order rotated, median of per-round ratios, wrangler dev (workerd + local D1) on loopback, every tap with a fresh idempotency key, ${machine}`;
    const ratio = Number(rounds.median.toFixed(3));
    console.log(
      `\nPOST /api/visits ÷ bare insert: ${ratio} (spread ${rounds.min.toFixed(3)}–${rounds.max.toFixed(3)}, target >= 0.8) — ${apiRps.toFixed(0)} vs ${bareRps.toFixed(0)} req/s`,
    );
    recordFigures([
      {
        name: "api.visit-post/bare-insert",
        value: ratio,
        min: Number(rounds.min.toFixed(3)),
        max: Number(rounds.max.toFixed(3)),
        rounds: ROUNDS,
        target: ">=0.8",
        reference:
          "a bare Hono route doing the same D1 insert, key included (no auth, validation, centre lookup or audit row)",
        workload,
      },
      {
        name: "api.visit-post.rps",
        value: Math.round(apiRps),
        target: null,
        reference: "POST /api/visits, median req/s of the rounds",
        workload,
      },
      {
        name: "api.visit-post.p99.ms",
        value: apiP99,
        target: null,
        reference: "POST /api/visits, p99 latency",
        workload,
      },
      {
        name: "api.bare-insert.rps",
        value: Math.round(bareRps),
        target: null,
        reference: "bare insert route, median req/s of the rounds",
        workload,
      },
    ]);
  },
);
