import {
  checkUsedAt,
  type FieldError,
  localDateOf,
  type PartnerChange,
  PartnerWebhookEvent,
  type ReferralStatus,
  type ReferralStatusChangedData,
  replayPartnerChanges,
  type ServiceCapacityChangedData,
  type ServiceUseReportedData,
  type StatusReason,
  statusReasonError,
  toFieldErrors,
  verifyWebhook,
  WEBHOOK_TOLERANCE_SECONDS,
} from "@halte/core";
import {
  type DoorService,
  getCapacityReport,
  getInboundWebhook,
  getReferral,
  type InboundWebhookOutcome,
  type InboundWebhookRow,
  insertInboundWebhook,
  insertReferralHistoryAfterUpdate,
  insertServiceUses,
  pendingReferralChanges,
  settleInboundWebhook,
  updateReferralStatus,
  upsertCapacityReport,
  webhookReceipt,
} from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { auditStatement } from "../../audit.js";
import type { AppEnv } from "../../context.js";
import { defineRoute, publicAccess } from "../../openapi.js";
import { ApiProblem, problemBody, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { asBatch } from "../visits/record.js";
import { PartnerWebhookEventDoc, WebhookAcknowledgement, WebhookHeaders } from "./schema.js";
import { openWebhookSecrets } from "./secret-store.js";

/** The largest message a partner may send: events are small, and a cap bounds the work before verification. */
export const MAX_WEBHOOK_BODY_BYTES = 20 * 1024;

/** How often a delivery that lost a race with another one for the same referral is re-read and retried. */
const MAX_ATTEMPTS = 25;

const inboundRoute = defineRoute({
  method: "post",
  path: "/webhooks/partners/{partnerId}",
  operationId: "receivePartnerWebhook",
  tags: ["webhooks"],
  summary: "Receive a partner's event (Standard Webhooks 1.0)",
  description:
    "Signed with the partner's webhook secret: HMAC-SHA-256 over `{webhook-id}.{webhook-timestamp}.{raw body}`. " +
    "The raw body is verified before it is parsed. A repeated `webhook-id` gets the first answer and changes " +
    "nothing. A referral change that cannot apply from the referral's current status answers 409 and is " +
    "recorded: it is applied later if the missing steps arrive, in `occurredAt` order; a change older than " +
    "the referral's last change is `superseded`. No session or token: the signature is the authentication.",
  security: publicAccess,
  request: {
    params: z.object({ partnerId: z.string() }),
    headers: WebhookHeaders,
    body: { required: true, content: { "application/json": { schema: PartnerWebhookEventDoc } } },
  },
  responses: {
    200: {
      description: "Accepted, or a repeat of an accepted delivery",
      content: { "application/json": { schema: WebhookAcknowledgement } },
    },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "not_found",
      "illegal_transition",
      "payload_too_large",
      "unsupported_media_type",
    ),
  },
});

interface Answer {
  status: 200 | 409;
  body: Record<string, unknown>;
}

/** Reads at most `max` bytes of the body, refusing more with 413 without reading the rest. */
async function readCappedBody(request: Request, max: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > max) {
    throw new ApiProblem("payload_too_large", `Webhook bodies are limited to ${max} bytes`);
  }
  if (request.body === null) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > max) {
      await reader.cancel().catch(() => undefined);
      throw new ApiProblem("payload_too_large", `Webhook bodies are limited to ${max} bytes`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function parseEvent(raw: Uint8Array): PartnerWebhookEvent {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(raw));
  } catch {
    throw new ApiProblem("malformed_request", "The body is not valid UTF-8 JSON");
  }
  const parsed = PartnerWebhookEvent.safeParse(json);
  if (!parsed.success) {
    throw new ApiProblem(
      "malformed_request",
      "The event does not match the event catalogue",
      toFieldErrors(parsed.error.issues, json),
    );
  }
  return parsed.data;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Delivery {
  c: Context<AppEnv>;
  partner: { id: string; centreId: string; timeZone: string };
  /** The services the partner runs, read with the receipt. */
  services: Map<string, DoorService>;
  webhookId: string;
  type: PartnerWebhookEvent["type"];
  receivedAt: string;
}

function baseRow(d: Delivery, occurredAt: string): InboundWebhookRow {
  return {
    id: d.c.get("services").newId(),
    centreId: d.partner.centreId,
    partnerId: d.partner.id,
    webhookId: d.webhookId,
    eventType: d.type,
    referralId: null,
    toStatus: null,
    reason: null,
    note: null,
    partnerReference: null,
    occurredAt,
    outcome: "applied",
    responseStatus: 200,
    responseBody: {},
    receivedAt: d.receivedAt,
  };
}

function acknowledgement(d: Delivery, outcome: InboundWebhookOutcome, extra: Record<string, unknown> = {}) {
  return { webhookId: d.webhookId, type: d.type, outcome, ...extra };
}

/**
 * Runs `attempt` until its batch commits. A batch fails when another delivery of the same `webhook-id` won
 * (then the winner's answer is returned) or when the referral changed meanwhile (then it is read again).
 */
async function withRetries(d: Delivery, attempt: () => Promise<Answer>): Promise<Answer> {
  const { db } = d.c.get("services");
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof ApiProblem) throw error;
      const first = await getInboundWebhook(db, d.partner.id, d.webhookId);
      if (first) return { status: first.responseStatus as Answer["status"], body: first.responseBody };
      if (i === MAX_ATTEMPTS - 1) {
        d.c.get("services").logger.warn("webhook batch kept failing", { type: d.type, error: String(error) });
      }
      await wait(5 + Math.random() * 20 * (i + 1));
    }
  }
  throw new ApiProblem("conflict", "The referral is changing too fast; send the event again");
}

function partnerChangeOf(row: InboundWebhookRow): PartnerChange {
  return {
    id: row.id,
    occurredAt: row.occurredAt,
    receivedAt: row.receivedAt,
    status: row.toStatus as ReferralStatus,
    ...(row.reason === null ? {} : { reason: row.reason as StatusReason }),
    ...(row.note === null ? {} : { note: row.note }),
    ...(row.partnerReference === null ? {} : { partnerReference: row.partnerReference }),
  };
}

async function receiveReferralStatus(d: Delivery, data: ReferralStatusChangedData): Promise<Answer> {
  const { c } = d;
  const { db } = c.get("services");
  const reasonError = statusReasonError(data.status, data.reason);
  if (reasonError) {
    throw new ApiProblem("malformed_request", reasonError.message, [
      { path: ["data", "reason"], code: "invalid_value", message: reasonError.message },
    ]);
  }
  const occurredAt = new Date(data.occurredAt).toISOString();
  const found = await getReferral(db, data.referralId);
  if (!found || found.partnerId !== d.partner.id || found.requestedAt === null) {
    throw new ApiProblem("not_found", "No such referral sent to this partner");
  }

  return withRetries(d, async () => {
    const referral = await getReferral(db, data.referralId);
    if (!referral) throw new ApiProblem("not_found", "No such referral sent to this partner");
    const pending = await pendingReferralChanges(db, referral.id);
    const incoming: InboundWebhookRow = {
      ...baseRow(d, occurredAt),
      referralId: referral.id,
      toStatus: data.status,
      reason: data.reason ?? null,
      // Once the person's details are erased, no new free text about them is kept.
      note: referral.erasedAt === null ? (data.note ?? null) : null,
      partnerReference: referral.erasedAt === null ? (data.partnerReference ?? null) : null,
    };
    // Every change waiting for this referral, and the new one, replayed in the order they happened.
    const {
      referral: current,
      applied,
      outcomes,
    } = replayPartnerChanges(referral, [...pending, incoming].map(partnerChangeOf));

    const outcome = outcomes.get(incoming.id) ?? "pending";
    const referralView = { id: current.id, status: current.status, version: current.version };
    const answer: Answer =
      outcome === "pending" || outcome === "refused"
        ? {
            status: 409,
            body: problemBody(
              "illegal_transition",
              new URL(c.req.url).pathname,
              `A referral cannot move from "${referral.status}" to "${data.status}" now; the event is recorded` +
                (outcome === "pending" ? " and applied if the missing steps arrive" : ""),
            ),
          }
        : { status: 200, body: acknowledgement(d, outcome, { referral: referralView }) };

    await db.batch(
      asBatch([
        insertInboundWebhook(
          db,
          { ...incoming, outcome, responseStatus: answer.status, responseBody: answer.body },
          { referralId: referral.id, version: referral.version, pending: pending.length },
        ),
        ...applied.flatMap(({ expectedVersion, referral: next, history, changeId }) => [
          updateReferralStatus(db, next, expectedVersion),
          insertReferralHistoryAfterUpdate(db, history, changeId),
        ]),
        ...pending.flatMap((row) => {
          const settled = outcomes.get(row.id);
          return settled && settled !== "pending" ? [settleInboundWebhook(db, row.id, settled)] : [];
        }),
        ...applied.map(({ referral: next, history }) =>
          auditStatement(c, {
            action: "update_status",
            entity: "referral",
            entityId: referral.id,
            centreId: referral.centreId,
            before: { status: history.from },
            after: { status: next.status, statusReason: next.statusReason, version: next.version },
            actor: { type: "partner_webhook", id: d.partner.id },
          }),
        ),
      ]),
    );
    return answer;
  });
}

function partnerService(d: Delivery, serviceId: string) {
  const service = d.services.get(serviceId);
  if (!service || service.centreId !== d.partner.centreId || service.organizationId !== d.partner.id) {
    throw new ApiProblem("not_found", "No such service run by this partner");
  }
  return service;
}

async function receiveCapacity(d: Delivery, data: ServiceCapacityChangedData): Promise<Answer> {
  const { c } = d;
  const { db, newId } = c.get("services");
  const service = partnerService(d, data.serviceId);
  const occurredAt = new Date(data.occurredAt).toISOString();
  return withRetries(d, async () => {
    const stored = await getCapacityReport(db, service.id, data.day);
    const outcome: InboundWebhookOutcome =
      stored === null || stored.occurredAt < occurredAt
        ? "applied"
        : stored.occurredAt === occurredAt && stored.available === data.available
          ? "unchanged"
          : "superseded";
    const answer: Answer = { status: 200, body: acknowledgement(d, outcome) };
    await db.batch(
      asBatch([
        insertInboundWebhook(db, {
          ...baseRow(d, occurredAt),
          outcome,
          responseStatus: answer.status,
          responseBody: answer.body,
        }),
        ...(outcome === "applied"
          ? [
              upsertCapacityReport(db, {
                id: newId(),
                centreId: d.partner.centreId,
                serviceId: service.id,
                partnerId: d.partner.id,
                day: data.day,
                available: data.available,
                note: data.note ?? null,
                occurredAt,
                receivedAt: d.receivedAt,
              }),
              auditStatement(c, {
                action: "report_capacity",
                entity: "service",
                entityId: service.id,
                centreId: d.partner.centreId,
                after: { day: data.day, available: data.available },
                actor: { type: "partner_webhook", id: d.partner.id },
              }),
            ]
          : []),
      ]),
    );
    return answer;
  });
}

async function receiveServiceUses(d: Delivery, data: ServiceUseReportedData): Promise<Answer> {
  const { c } = d;
  const { db, newId } = c.get("services");
  const service = partnerService(d, data.serviceId);
  const usedAt = new Date(data.usedAt).toISOString();
  const occurredAt = new Date(data.occurredAt).toISOString();
  return withRetries(d, async () => {
    const id = newId();
    const answer: Answer = { status: 200, body: acknowledgement(d, "applied", { serviceUseId: id }) };
    const row = {
      id,
      centreId: d.partner.centreId,
      serviceId: service.id,
      visitId: null,
      usedAt,
      localDay: localDateOf(usedAt, d.partner.timeZone),
      quantity: data.quantity,
      source: "partner_report" as const,
      partnerId: d.partner.id,
      idempotencyKey: null,
    };
    await db.batch(
      asBatch([
        insertInboundWebhook(db, {
          ...baseRow(d, occurredAt),
          responseStatus: answer.status,
          responseBody: answer.body,
        }),
        ...insertServiceUses(db, [row], d.receivedAt),
        auditStatement(c, {
          action: "create",
          entity: "service_use",
          entityId: id,
          centreId: d.partner.centreId,
          after: { serviceId: service.id, usedAt, quantity: data.quantity, source: "partner_report" },
          actor: { type: "partner_webhook", id: d.partner.id },
        }),
      ]),
    );
    return answer;
  });
}

function signatureProblem(detail: string): ApiProblem {
  return new ApiProblem("unauthenticated", detail, undefined, {
    "www-authenticate": 'Signature realm="halte", headers="webhook-id webhook-timestamp webhook-signature"',
  });
}

export const inboundWebhookRoutes = createRouter();
inboundWebhookRoutes.openAPIRegistry.registerPath(inboundRoute);

// Registered by hand, not with `.openapi()`: that would validate (parse) the body before the signature is
// checked, and the raw bytes are what is signed.
inboundWebhookRoutes.post("/webhooks/partners/:partnerId", async (c) => {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiProblem("unsupported_media_type", "Send the event as application/json");
  }
  const raw = await readCappedBody(c.req.raw, MAX_WEBHOOK_BODY_BYTES);
  const { db, now, config } = c.get("services");
  const partnerId = c.req.param("partnerId");
  const at = now();
  // The verified id must equal the header's value, so the earlier answer to it is read up front, with the
  // partner and its secrets, in one round trip.
  const presentedId = (c.req.header("webhook-id") ?? "").trim();
  const receipt =
    partnerId.length <= 64 && presentedId.length <= 256
      ? await webhookReceipt(db, partnerId, presentedId, at.toISOString())
      : null;
  const partner = receipt?.partner;
  if (!receipt || !partner || partner.archivedAt !== null) {
    if (presentedId.length > 256) throw new ApiProblem("malformed_request", "webhook-id is too long");
    throw new ApiProblem("not_found", "No such partner");
  }

  const secrets = await openWebhookSecrets(config.WEBHOOK_SECRETS_KEY, receipt.secrets, (secretId) =>
    c.get("services").logger.error("webhook secret does not decrypt", { secretId }),
  );
  if (secrets.length === 0) throw signatureProblem("This partner has no webhook secret yet");
  const verified = await verifyWebhook(
    {
      id: c.req.header("webhook-id"),
      timestamp: c.req.header("webhook-timestamp"),
      signature: c.req.header("webhook-signature"),
    },
    raw,
    secrets,
    at,
  );
  if (!verified.ok) throw signatureProblem(verified.error.message);

  const first = receipt.first;
  if (first) {
    return answerResponse({ status: first.responseStatus as Answer["status"], body: first.responseBody });
  }

  const event = parseEvent(raw);
  const errors: FieldError[] = [];
  if (Date.parse(event.data.occurredAt) > at.getTime() + WEBHOOK_TOLERANCE_SECONDS * 1000) {
    errors.push({
      path: ["data", "occurredAt"],
      code: "invalid_value",
      message: "occurredAt is in the future",
    });
  }
  if (event.type === "service_use.reported") {
    const usedAt = checkUsedAt(event.data.usedAt, at, partner.retentionMonths);
    if (!usedAt.ok)
      errors.push({ path: ["data", "usedAt"], code: "invalid_value", message: usedAt.error.message });
  }
  if (errors.length > 0) throw new ApiProblem("malformed_request", "The event is not plausible", errors);

  const delivery: Delivery = {
    c,
    partner: { id: partner.id, centreId: partner.centreId, timeZone: partner.timeZone },
    services: receipt.services,
    webhookId: verified.value.id,
    type: event.type,
    receivedAt: at.toISOString(),
  };
  let answer: Answer;
  switch (event.type) {
    case "referral.status_changed":
      answer = await receiveReferralStatus(delivery, event.data);
      break;
    case "service.capacity_changed":
      answer = await receiveCapacity(delivery, event.data);
      break;
    case "service_use.reported":
      answer = await receiveServiceUses(delivery, event.data);
      break;
  }
  return answerResponse(answer);
});

function answerResponse(answer: Answer): Response {
  return new Response(JSON.stringify(answer.body), {
    status: answer.status,
    headers: { "content-type": answer.status === 200 ? "application/json" : "application/problem+json" },
  });
}
