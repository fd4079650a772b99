import { checkWebhookUrl, consentWithdrawnEvent, type Referral, signWebhook } from "@halte/core";
import {
  type Db,
  disableWebhookEndpoint,
  getWebhookDelivery,
  getWebhookEndpoint,
  insertWebhookDelivery,
  liveWebhookEndpoints,
  liveWebhookSecrets,
  partnerIsArchived,
  recordDeliveryAttempt,
  setDeliveryStatus,
  type WebhookDeliveryRow,
} from "@halte/db";
import { Databases } from "../../databases.js";
import type { Env } from "../../env.js";
import { readConfig } from "../../env.js";
import { uuidv7 } from "../../ids.js";
import { createConsoleLogger, type Logger } from "../../logger.js";
import { openWebhookSecrets } from "./secret-store.js";

/** What goes on the queue: only the delivery's id; the payload stays in D1. */
export interface OutboundWebhookMessage {
  deliveryId: string;
}

/**
 * Delay before each retry, in seconds: 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h — nine attempts over
 * about 15 h 42 min, so a partner's server down for an evening still gets the event. After the last one the
 * delivery is `dead` and the message goes to the dead-letter queue (`max_retries: 8` in wrangler.jsonc).
 */
export const WEBHOOK_RETRY_DELAYS_SECONDS = [30, 120, 600, 1800, 3600, 7200, 14_400, 28_800] as const;
export const MAX_DELIVERY_ATTEMPTS = WEBHOOK_RETRY_DELAYS_SECONDS.length + 1;

/** The delay before retrying after failed attempt number `attempt` (1-based). */
export function retryDelaySeconds(attempt: number): number {
  return (
    WEBHOOK_RETRY_DELAYS_SECONDS[Math.min(Math.max(attempt, 1), WEBHOOK_RETRY_DELAYS_SECONDS.length) - 1] ??
    30
  );
}

/** How long a partner's server has to answer one attempt. */
const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * The event a partner receives about a referral: ids, statuses and the need — never the contact, the note,
 * or who the person is. A partner allowed to see more (consent to share) pulls the referral with its API
 * token, where consent is checked at the moment of reading.
 */
export function referralEventPayload(referral: Referral, previousStatus: string | null, at: string) {
  return {
    type: "referral.status_changed",
    timestamp: at,
    data: {
      referralId: referral.id,
      centreId: referral.centreId,
      serviceId: referral.serviceId,
      need: referral.need,
      status: referral.status,
      previousStatus,
      reason: referral.statusReason,
      occurredAt: referral.updatedAt,
      hasContact: referral.contact !== null,
      href: `/api/referrals/${referral.id}`,
    },
  };
}

/**
 * The delivery rows for an event about a referral, one per live endpoint of its partner (read in the
 * directory, `db`), to write with the change (`writeReferralChange`); `send` then puts them on the queue.
 * Partners hear only of referrals sent to them.
 */
export async function referralDeliveries(
  db: Db,
  referral: Referral,
  previousStatus: string | null,
  at: Date,
): Promise<WebhookDeliveryRow[]> {
  return deliveriesAbout(db, referral, referralEventPayload(referral, previousStatus, at.toISOString()), at);
}

/**
 * The deliveries telling a referral's partner that the person withdrew their consent (or had their details
 * erased): `referral.consent_withdrawn`, signed like every event. Only a partner the referral was sent to
 * hears of it.
 */
export async function consentWithdrawnDeliveries(
  db: Db,
  referral: Referral,
  at: Date,
): Promise<WebhookDeliveryRow[]> {
  return deliveriesAbout(db, referral, consentWithdrawnEvent(referral, at.toISOString()), at);
}

async function deliveriesAbout(
  db: Db,
  referral: Referral,
  payload: { type: string } & Record<string, unknown>,
  at: Date,
): Promise<WebhookDeliveryRow[]> {
  if (referral.requestedAt === null) return [];
  const endpoints = await liveWebhookEndpoints(db, referral.partnerId);
  return endpoints.map((endpoint) => ({
    id: uuidv7(at),
    centreId: referral.centreId,
    endpointId: endpoint.id,
    eventType: payload.type,
    referralId: referral.id,
    payload,
    status: "pending",
    attempts: 0,
    createdAt: at.toISOString(),
    lastAttemptAt: null,
    deliveredAt: null,
  }));
}

/** Inserts for `referralDeliveries`. */
export function insertDeliveries(db: Db, rows: readonly WebhookDeliveryRow[]) {
  return rows.map((row) => insertWebhookDelivery(db, row));
}

/** Puts deliveries on the queue. A failure is logged: the delivery stays `pending` and can be re-sent. */
export async function sendDeliveries(
  queue: Queue<OutboundWebhookMessage> | undefined,
  rows: readonly Pick<WebhookDeliveryRow, "id">[],
  logger: Logger,
): Promise<void> {
  if (rows.length === 0) return;
  if (!queue) {
    logger.warn("no webhook queue bound; deliveries stay pending", { count: rows.length });
    return;
  }
  try {
    await queue.sendBatch(rows.map((row) => ({ body: { deliveryId: row.id } })));
  } catch (error) {
    logger.error("could not queue webhook deliveries", { count: rows.length, error: String(error) });
  }
}

export interface DeliveryDeps {
  fetch: (request: Request) => Promise<Response>;
  now: () => Date;
}

type AttemptResult = "delivered" | "gone" | "retry" | "dead" | "skip";

async function attemptDelivery(
  env: Env,
  db: Db,
  deliveryId: string,
  attemptNumber: number,
  deps: DeliveryDeps,
  logger: Logger,
): Promise<{ result: AttemptResult; delaySeconds?: number }> {
  const config = readConfig(env);
  if (!config.success) throw new Error("worker configuration is invalid");
  const delivery = await getWebhookDelivery(db, deliveryId);
  if (!delivery || delivery.status === "delivered" || delivery.status === "dead") return { result: "skip" };
  const endpoint = await getWebhookEndpoint(db, delivery.endpointId);
  // Checked at send time too: a delivery queued before its partner was archived is not sent.
  if (!endpoint || endpoint.disabledAt !== null || (await partnerIsArchived(db, endpoint.partnerId))) {
    await db.batch([setDeliveryStatus(db, delivery.id, "failed")]);
    return { result: "skip" };
  }
  const at = deps.now();
  const secrets = await openWebhookSecrets(
    config.data.WEBHOOK_SECRETS_KEY,
    await liveWebhookSecrets(db, endpoint.partnerId, at.toISOString()),
    (secretId) => logger.error("webhook secret does not decrypt", { secretId }),
  );

  const body = JSON.stringify(delivery.payload);
  const timestamp = Math.floor(at.getTime() / 1000);
  const started = Date.now();
  let status: number | null = null;
  let error: string | null = null;
  // Endpoints registered before the URL policy tightened are checked again: one that now points inside a
  // network is never called.
  const allowedUrl = checkWebhookUrl(endpoint.url);
  if (!allowedUrl.ok) {
    error = "refused_url";
  } else if (secrets.length === 0) {
    error = "no_secret";
  } else {
    const signature = await signWebhook(secrets, { id: delivery.id, timestamp, body });
    try {
      const response = await deps.fetch(
        new Request(endpoint.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "webhook-id": delivery.id,
            "webhook-timestamp": String(timestamp),
            "webhook-signature": signature,
            "user-agent": "Halte-Webhooks/1.0",
          },
          body,
          // A redirect is not followed (it could lead inside a network): the 3xx is a failed attempt.
          redirect: "manual",
          signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        }),
      );
      status = response.status;
      if (status >= 300 && status < 400) error = "redirect";
      // The body is not read into the log: it could hold anything.
      await response.body?.cancel().catch(() => undefined);
    } catch (caught) {
      error = caught instanceof Error && caught.name === "TimeoutError" ? "timeout" : "network";
    }
  }
  const latencyMs = Date.now() - started;
  const ok = status !== null && status >= 200 && status < 300;
  const gone = status === 410;
  const refused = error === "refused_url";
  const last = attemptNumber >= MAX_DELIVERY_ATTEMPTS;
  const next: WebhookDeliveryRow["status"] = ok
    ? "delivered"
    : gone || refused
      ? "failed"
      : last
        ? "dead"
        : "pending";
  await db.batch([
    ...recordDeliveryAttempt(
      db,
      {
        centreId: delivery.centreId,
        deliveryId: delivery.id,
        endpointId: endpoint.id,
        attempt: delivery.attempts + 1,
        at: at.toISOString(),
        responseStatus: status,
        latencyMs,
        error,
      },
      { id: delivery.id, status: next, deliveredAt: ok ? at.toISOString() : null },
    ),
    ...(gone ? [disableWebhookEndpoint(db, endpoint.id, "gone", at.toISOString())] : []),
  ]);
  logger.info("webhook attempt", {
    deliveryId: delivery.id,
    endpointId: endpoint.id,
    attempt: attemptNumber,
    status,
    error,
    latencyMs,
  });
  if (ok) return { result: "delivered" };
  if (gone || refused) return { result: "gone" };
  if (last) return { result: "dead" };
  return { result: "retry", delaySeconds: retryDelaySeconds(attemptNumber) };
}

/**
 * The queue consumer. Each message is one delivery attempt: delivered (2xx) or gone (410, which disables the
 * endpoint) is acknowledged; any other answer, a timeout or a network error is retried after
 * `WEBHOOK_RETRY_DELAYS_SECONDS[attempt - 1]`. The last failed attempt marks the delivery `dead` and is
 * retried once more so the platform moves it to the dead-letter queue. Messages of the dead-letter queue are
 * only logged: the delivery log already says `dead`, and an admin re-sends from there.
 */
export async function consumeWebhookQueue(
  batch: MessageBatch<OutboundWebhookMessage>,
  env: Env,
  deps: DeliveryDeps = { fetch: (request) => fetch(request), now: () => new Date() },
): Promise<void> {
  const logger = createConsoleLogger({ queue: batch.queue });
  // Deliveries, their endpoints and the partner's secrets are directory rows; what an event says about its
  // referral was written into the delivery's payload with the change, so sending reads no centre database.
  const db = new Databases(env).directory;
  if (batch.queue.endsWith("-dlq")) {
    for (const message of batch.messages) {
      logger.warn("webhook delivery dead-lettered", { deliveryId: message.body?.deliveryId });
      message.ack();
    }
    return;
  }
  for (const message of batch.messages) {
    const deliveryId = message.body?.deliveryId;
    if (typeof deliveryId !== "string") {
      message.ack();
      continue;
    }
    try {
      const outcome = await attemptDelivery(env, db, deliveryId, message.attempts, deps, logger);
      if (outcome.result === "retry")
        message.retry({ delaySeconds: outcome.delaySeconds ?? retryDelaySeconds(1) });
      else if (outcome.result === "dead") message.retry();
      else message.ack();
    } catch (error) {
      logger.error("webhook attempt crashed", { deliveryId, error: String(error) });
      message.retry({ delaySeconds: retryDelaySeconds(1) });
    }
  }
}
