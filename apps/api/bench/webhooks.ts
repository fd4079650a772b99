// Partner webhook ingest (POST /api/webhooks/partners/{id}: raw-body signature check, secret decryption,
// idempotency record, service-use insert and audit row in one batch) vs a bare Hono route doing one D1
// insert, both under `wrangler dev` on loopback, measured with autocannon in the same run.
// Run: `npm run bench` (all benchmarks) or `cd apps/api && npx tsx bench/webhooks.ts`.
import { createHmac, randomBytes } from "node:crypto";
import autocannon from "autocannon";
import { recordFigures } from "../../../tooling/bench/results-file.js";
import { sealWebhookSecret } from "../src/routes/webhooks/secret-store.js";
import {
  CONNECTIONS,
  BENCH_CENTRE_ID as centreId,
  compareRounds,
  ROUNDS,
  secondsPerRound,
  withWorkerPair,
} from "./harness.js";

const SECONDS = secondsPerRound(8);
const partnerId = "bench-partner";
const serviceId = "bench-service";
const SECRET = randomBytes(32).toString("base64");
const webhookKey = randomBytes(32);
const webhookSecret = `whsec_${webhookKey.toString("base64")}`;

async function partnerSql(at: string) {
  const ciphertext = await sealWebhookSecret(SECRET, "bench-secret", partnerId, webhookSecret);
  return [
    `INSERT INTO partners (id, centre_id, name, roles, created_at, updated_at) VALUES ('${partnerId}', '${centreId}', 'Samu social', '["service_provider"]', '${at}', '${at}');`,
    `INSERT INTO services (id, centre_id, organization_id, name, category, status, languages, schedule, translations, created_at, updated_at) VALUES ('${serviceId}', '${centreId}', '${partnerId}', 'Consultations', 'health', 'active', '[]', '{"timeZone":"Europe/Paris","weekly":[],"exceptions":[]}', '{}', '${at}', '${at}');`,
    `INSERT INTO webhook_secrets (id, centre_id, partner_id, ciphertext, created_at) VALUES ('bench-secret', '${centreId}', '${partnerId}', '${ciphertext}', '${at}');`,
  ].join(" ");
}

let sequence = 0;
/** A fresh, signed Standard Webhooks message: every request is a new event, as a real partner sends. */
function signedMessage() {
  sequence += 1;
  const id = `msg_bench_${process.pid}_${sequence}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const now = new Date().toISOString();
  const body = JSON.stringify({
    type: "service_use.reported",
    data: { serviceId, usedAt: now, quantity: 3, occurredAt: now },
  });
  const signature = createHmac("sha256", webhookKey).update(`${id}.${timestamp}.${body}`).digest("base64");
  return {
    body,
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": `v1,${signature}`,
    },
  };
}

function load(url: string, signed: boolean) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url,
        method: "POST",
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ centreId, arrivedAt: "2026-11-28T08:03:00+01:00" }),
        ...(signed
          ? {
              requests: [
                {
                  setupRequest: (request: autocannon.Request) => {
                    const message = signedMessage();
                    return { ...request, headers: message.headers, body: message.body };
                  },
                },
              ],
            }
          : {}),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

await withWorkerPair(
  { apiPort: 8793, secret: SECRET, apiSeedSql: partnerSql },
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
      bare: () => load(`${bareUrl}/visits`, false),
      api: () => load(ingestUrl, true),
    });
    const workload = `autocannon, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS} s a side, order rotated, median of per-round ratios, wrangler dev (workerd + local D1) on loopback, every request a new signed service_use.reported event, ${machine}`;
    const ratio = Number(rounds.median.toFixed(3));
    console.log(
      `\nwebhook ingest ÷ bare insert: ${ratio} (spread ${rounds.min.toFixed(3)}–${rounds.max.toFixed(3)}, target >= 0.7) — ${apiRps.toFixed(0)} vs ${bareRps.toFixed(0)} req/s`,
    );
    recordFigures([
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
    ]);
  },
);
