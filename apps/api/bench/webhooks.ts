// Partner webhook ingest (POST /api/webhooks/partners/{id}: raw-body signature check, secret decryption,
// idempotency record, service-use insert and audit row in one batch) vs a bare Hono route doing one D1
// insert, both under `wrangler dev` on loopback, measured with autocannon in the same run.
// Run: `npm run bench` (all benchmarks) or `cd apps/api && npx tsx bench/webhooks.ts`.
import type { ChildProcess } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { recordFigures } from "../../../tooling/bench/results-file.js";
import { sealWebhookSecret } from "../src/routes/webhooks/secret-store.js";
import {
  bareConfig,
  CONNECTIONS,
  BENCH_CENTRE_ID as centreId,
  centreSql,
  compareRounds,
  d1,
  ROUNDS,
  secondsPerRound,
  startDev,
  waitFor,
} from "./harness.js";

const SECONDS = secondsPerRound(8);
const partnerId = "bench-partner";
const serviceId = "bench-service";
const storageKey = randomBytes(32).toString("base64");
const webhookKey = randomBytes(32);
const webhookSecret = `whsec_${webhookKey.toString("base64")}`;

async function partnerSql(at: string) {
  const ciphertext = await sealWebhookSecret(storageKey, "bench-secret", partnerId, webhookSecret);
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

const apiState = mkdtempSync(join(tmpdir(), "halte-bench-webhooks-"));
const bareState = mkdtempSync(join(tmpdir(), "halte-bench-bare-"));
const children: ChildProcess[] = [];
try {
  const at = new Date().toISOString();
  console.log("Preparing two local D1 databases (migrations, a centre, a partner with a webhook secret)…");
  d1(apiState, [], "migrations", "apply");
  d1(apiState, [], "execute", "--command", `${centreSql(at)} ${await partnerSql(at)}`);
  d1(bareState, bareConfig, "migrations", "apply");
  d1(bareState, bareConfig, "execute", "--command", centreSql(at));

  const api = startDev(8793, [
    "--persist-to",
    apiState,
    "--var",
    `VISITOR_CODE_SECRET:${storageKey}`,
    "--var",
    `WEBHOOK_SECRETS_KEY:${storageKey}`,
    "--var",
    "ENVIRONMENT:development",
  ]);
  const bare = startDev(8794, ["--persist-to", bareState, ...bareConfig]);
  children.push(api, bare);
  await waitFor("http://127.0.0.1:8793/api/health", api);
  await waitFor("http://127.0.0.1:8794/health", bare);

  const ingestUrl = `http://127.0.0.1:8793/api/webhooks/partners/${partnerId}`;
  const check = signedMessage();
  const first = await fetch(ingestUrl, { method: "POST", headers: check.headers, body: check.body });
  if (first.status !== 200) throw new Error(`webhook ingest answered ${first.status}: ${await first.text()}`);

  const { apiRps, bareRps, apiP99 } = await compareRounds({
    bare: () => load("http://127.0.0.1:8794/visits", false),
    api: () => load(ingestUrl, true),
  });
  const workload = `autocannon, ${CONNECTIONS} connections, ${ROUNDS} × ${SECONDS} s each, wrangler dev (workerd + local D1) on loopback, every request a new signed service_use.reported event`;
  const ratio = Number((apiRps / bareRps).toFixed(3));
  console.log(
    `\nwebhook ingest ÷ bare insert: ${ratio} (target >= 0.7) — ${apiRps.toFixed(0)} vs ${bareRps.toFixed(0)} req/s`,
  );
  recordFigures([
    {
      name: "api.webhook-ingest/bare-insert",
      value: ratio,
      target: ">=0.7",
      reference: "a bare Hono route doing one D1 insert (no signature, idempotency record or audit row)",
      workload,
    },
    {
      name: "api.webhook-ingest.rps",
      value: Math.round(apiRps),
      target: null,
      reference: "POST /api/webhooks/partners/{id}, mean req/s",
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
} finally {
  for (const child of children) child.kill("SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 1000));
  rmSync(apiState, { recursive: true, force: true });
  rmSync(bareState, { recursive: true, force: true });
}
