// POST /api/visits (the door tap with its idempotency key, with everything the product does) vs a bare
// Hono route doing the same D1 insert, both under `wrangler dev` on loopback, measured with autocannon in the same run.
// Run: `npm run bench` (all benchmarks) or `cd apps/api && npx tsx bench/visits.ts`.
import { randomBytes } from "node:crypto";
import { recordFigures } from "../../../tooling/bench/results-file.js";
import {
  CONNECTIONS,
  compareRounds,
  ROUNDS,
  runtimeFigure,
  runtimeText,
  secondsPerRound,
  withWorkerPair,
} from "./harness.js";
import { loadTaps, receptionHeaders, receptionSql } from "./workloads.js";

const SECONDS = secondsPerRound(10);
const SECRET = randomBytes(32).toString("base64");

await withWorkerPair(
  { apiPort: 8791, secret: SECRET, apiSeedSql: receptionSql },
  async ({ apiUrl, bareUrl }) => {
    const apiHeaders = await receptionHeaders(apiUrl);

    const {
      apiRps,
      bareRps,
      apiP99,
      ratio: rounds,
      load: machine,
    } = await compareRounds({
      bare: () => loadTaps(`${bareUrl}/visits`, {}, SECONDS),
      api: () => loadTaps(`${apiUrl}/api/visits`, apiHeaders, SECONDS),
    });
    const workload = `autocannon, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS} s a side, one warm-up load a side, order rotated, median of per-round ratios, ${runtimeText} (workerd + local D1) on loopback, every tap with a fresh idempotency key, ${machine}`;
    const ratio = Number(rounds.median.toFixed(3));
    console.log(
      `\nPOST /api/visits ÷ bare insert: ${ratio} (spread ${rounds.min.toFixed(3)}–${rounds.max.toFixed(3)}, target >= 0.8) — ${apiRps.toFixed(0)} vs ${bareRps.toFixed(0)} req/s`,
    );
    recordFigures(
      [
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
      ].map(runtimeFigure),
    );
  },
);
