import {
  checkUsedAt,
  type FieldError,
  PartnerWebhookEvent,
  toFieldErrors,
  verifyWebhook,
  WEBHOOK_TOLERANCE_SECONDS,
} from "@halte/core";
import { webhookReceipt, webhookReceiptInCentre } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { defineRoute, publicAccess } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { holdPartner, receiveFolded } from "./folded-receipt.js";
import {
  type Answer,
  type Delivery,
  receiveCapacity,
  receiveReferralStatus,
  receiveServiceUses,
} from "./inbound-receivers.js";
import { inboundTarget } from "./inbound-routing.js";
import { PartnerWebhookEventDoc, WebhookAcknowledgement, WebhookHeaders } from "./schema.js";
import { openWebhookSecretRows } from "./secret-store.js";

/** The largest message a partner may send: events are small, and a cap bounds the work before verification. */
export const MAX_WEBHOOK_BODY_BYTES = 20 * 1024;

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

function signatureProblem(detail: string): ApiProblem {
  return new ApiProblem("unauthenticated", detail, undefined, {
    "www-authenticate": 'Signature realm="halte", headers="webhook-id webhook-timestamp webhook-signature"',
  });
}

export const receivePartnerWebhookRoute = createRouter();
receivePartnerWebhookRoute.openAPIRegistry.registerPath(inboundRoute);

// Registered by hand, not with `.openapi()`: that would validate (parse) the body before the signature is
// checked, and the raw bytes are what is signed.
receivePartnerWebhookRoute.post("/webhooks/partners/:partnerId", async (c) => {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiProblem("unsupported_media_type", "Send the event as application/json");
  }
  const raw = await readCappedBody(c.req.raw, MAX_WEBHOOK_BODY_BYTES);
  const { db, dbs, now, config } = c.get("services");
  const partnerId = c.req.param("partnerId");
  const at = now();
  // The common case, a service-use report from a partner this isolate holds: one round trip.
  const folded = await receiveFolded(c, partnerId, raw, at);
  if (folded) return answerResponse(folded);
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

  const opened = await openWebhookSecretRows(config.WEBHOOK_SECRETS_KEY, receipt.secrets, (secretId) =>
    c.get("services").logger.error("webhook secret does not decrypt", { secretId }),
  );
  const secrets = opened.map((pair) => pair.secret);
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
  // Partner and secrets are the directory's; its receipts, services, referrals and reports its centre's.
  // The binding comes with the receipt's read, so a single-database install spends no round trip on it.
  const centreDb = dbs.dbNamed(partner.d1Binding);
  if (centreDb !== db)
    Object.assign(receipt, await webhookReceiptInCentre(centreDb, partner.id, presentedId));
  // The partner's next messages are verified with keys held in memory and folded into one write.
  await holdPartner(receipt, opened);

  const first = receipt.first;
  if (first) {
    return answerResponse({ status: first.responseStatus as Answer["status"], body: first.responseBody });
  }

  const event = parseEvent(raw);
  // A partner working with several centres: the centre the message is about, and its database.
  const target = await inboundTarget(c, { ...receipt, partner }, centreDb, event, verified.value.id);
  if (target.first) {
    return answerResponse({
      status: target.first.responseStatus as Answer["status"],
      body: target.first.responseBody,
    });
  }
  const errors: FieldError[] = [];
  if (Date.parse(event.data.occurredAt) > at.getTime() + WEBHOOK_TOLERANCE_SECONDS * 1000) {
    errors.push({
      path: ["data", "occurredAt"],
      code: "invalid_value",
      message: "occurredAt is in the future",
    });
  }
  if (event.type === "service_use.reported") {
    const usedAt = checkUsedAt(event.data.usedAt, at, target.centre.retentionMonths);
    if (!usedAt.ok)
      errors.push({ path: ["data", "usedAt"], code: "invalid_value", message: usedAt.error.message });
  }
  if (errors.length > 0) throw new ApiProblem("malformed_request", "The event is not plausible", errors);

  const delivery: Delivery = {
    c,
    db: target.db,
    partner: { id: partner.id, centreId: target.centre.id, timeZone: target.centre.timeZone },
    services: target.services,
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
