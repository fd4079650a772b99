// The two loads the API comparisons send — the door's taps and a partner's signed webhooks — and what their
// databases need, shared by the benchmarks (`visits.ts`, `webhooks.ts`) and the profiler (`profile.ts`).
import { createHmac, pbkdf2Sync, randomBytes, randomUUID } from "node:crypto";
import { PASSWORD_HASH } from "@halte/core";
import autocannon from "autocannon";
import { sealWebhookSecret } from "../src/routes/webhooks/secret-store.js";
import { CONNECTIONS, BENCH_CENTRE_ID as centreId } from "./harness.js";

const RECEPTION_PASSWORD = "bench reception password";

/** A reception account for the API, in the first-admin command's SQL shape but as reception. */
export function receptionSql(at: string) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(
    RECEPTION_PASSWORD,
    salt,
    PASSWORD_HASH.iterations,
    PASSWORD_HASH.keyBits / 8,
    "sha256",
  ).toString("base64");
  return `INSERT INTO users (id, email, name, role, centre_id, password_hash, password_salt, password_iterations, created_at, updated_at) VALUES ('bench-reception', 'reception@bench.test', 'Bench', 'reception', '${centreId}', '${hash}', '${salt.toString("base64")}', ${PASSWORD_HASH.iterations}, '${at}', '${at}');`;
}

/** Signs the reception account in and checks one tap: the headers every tap then carries. */
export async function receptionHeaders(apiUrl: string): Promise<Record<string, string>> {
  const login = await fetch(`${apiUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "reception@bench.test", password: RECEPTION_PASSWORD }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const headers = { cookie, "x-csrf-token": csrfToken };
  const check = await fetch(`${apiUrl}/api/visits`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ centreId, arrivedAt: "2026-11-28T08:03:00+01:00" }),
  });
  if (check.status !== 201)
    throw new Error(`POST /api/visits answered ${check.status}: ${await check.text()}`);
  return headers;
}

/** Door taps for `seconds`, each with a fresh idempotency key as the door's offline queue sends them. */
export function loadTaps(url: string, headers: Record<string, string>, seconds: number) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url,
        method: "POST",
        connections: CONNECTIONS,
        duration: seconds,
        headers: { "content-type": "application/json", ...headers },
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

export const partnerId = "bench-partner";
const serviceId = "bench-service";
const webhookKey = randomBytes(32);
const webhookSecret = `whsec_${webhookKey.toString("base64")}`;

/** A partner, its service and its webhook secret (sealed under `secret`, the Worker's WEBHOOK_SECRETS_KEY). */
export async function partnerSql(secret: string, at: string) {
  const ciphertext = await sealWebhookSecret(secret, "bench-secret", partnerId, webhookSecret);
  return [
    `INSERT INTO partners (id, centre_id, name, roles, created_at, updated_at) VALUES ('${partnerId}', '${centreId}', 'Samu social', '["service_provider"]', '${at}', '${at}');`,
    `INSERT INTO services (id, centre_id, organization_id, name, category, status, languages, schedule, translations, created_at, updated_at) VALUES ('${serviceId}', '${centreId}', '${partnerId}', 'Consultations', 'health', 'active', '[]', '{"timeZone":"Europe/Paris","weekly":[],"exceptions":[]}', '{}', '${at}', '${at}');`,
    `INSERT INTO webhook_secrets (id, centre_id, partner_id, ciphertext, created_at) VALUES ('bench-secret', '${centreId}', '${partnerId}', '${ciphertext}', '${at}');`,
  ].join(" ");
}

let sequence = 0;
/** A fresh, signed Standard Webhooks message: every request is a new event, as a real partner sends. */
export function signedMessage() {
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

/** `seconds` of new signed messages (`signed`) or, for the bare route, of the same tap body. */
export function loadWebhooks(url: string, signed: boolean, seconds: number) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url,
        method: "POST",
        connections: CONNECTIONS,
        duration: seconds,
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
