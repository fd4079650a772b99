// Partner webhook ingest (POST /api/webhooks/partners/{id}: raw-body signature check, secret decryption,
// idempotency record, service-use insert and audit row in one batch) vs a bare Hono route doing one D1
// insert, both under `wrangler dev` on loopback, measured with autocannon in the same run.
// Run: `npm run bench` (all benchmarks) or `cd apps/api && npx tsx bench/webhooks.ts`.
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
import { loadWebhooks, partnerId, partnerSql, signedMessage } from "./workloads.js";

const SECONDS = secondsPerRound(8);
const SECRET = randomBytes(32).toString("base64");

await withWorkerPair(
  { apiPort: 8793, secret: SECRET, apiSeedSql: (at) => partnerSql(SECRET, at) },
  async ({ apiUrl, bareUrl }) => {
    const ingestUrl = `${apiUrl}/api/webhooks/partners/${partnerId}`;
    const check = signedMessage();
    const first = await fetch(ingestUrl, { method: "POST", headers: check.headers, body: check.body });
    if (first.status !== 200)
      throw new Error(`webhook ingest answered ${first.status}: ${await first.text()}`);

    const {
      apiRps,
      bareRps,
      apiP99,
      ratio: rounds,
      load: machine,
    } = await compareRounds({
      bare: () => loadWebhooks(`${bareUrl}/visits`, false, SECONDS),
      api: () => loadWebhooks(ingestUrl, true, SECONDS),
    });
    const workload = `autocannon, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS} s a side, one warm-up load a side, order rotated, median of per-round ratios, ${runtimeText} (workerd + local D1) on loopback, every request a new signed service_use.reported event, ${machine}`;
    const ratio = Number(rounds.median.toFixed(3));
    console.log(
      `\nwebhook ingest ÷ bare insert: ${ratio} (spread ${rounds.min.toFixed(3)}–${rounds.max.toFixed(3)}, target >= 0.7) — ${apiRps.toFixed(0)} vs ${bareRps.toFixed(0)} req/s`,
    );
    recordFigures(
      [
        {
          name: "api.webhook-ingest/bare-insert",
          value: ratio,
          min: Number(rounds.min.toFixed(3)),
          max: Number(rounds.max.toFixed(3)),
          rounds: ROUNDS,
          target: ">=0.7",
          reference: "a bare Hono route doing one D1 insert (no signature, idempotency record or audit row)",
          workload,
        },
        {
          name: "api.webhook-ingest.rps",
          value: Math.round(apiRps),
          target: null,
          reference: "POST /api/webhooks/partners/{id}, median req/s of the rounds",
          workload,
        },
        {
          name: "api.webhook-ingest.p99.ms",
          value: apiP99,
          target: null,
          reference: "POST /api/webhooks/partners/{id}, p99 latency",
          workload,
        },
      ].map(runtimeFigure),
    );
  },
);
