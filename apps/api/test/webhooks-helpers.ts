import { exports } from "cloudflare:workers";
import { signWebhook } from "@halte/core";
import { insertReferral, insertReferralHistory } from "@halte/db";
import { Webhook } from "standardwebhooks";
import { uuidv7 } from "../src/ids.js";
import { api, type Caller, db, givenCentre, givenPartner, signedIn } from "./helpers.js";

/** A centre with one partner that has a webhook secret, and an admin to act for the centre. */
export async function givenWebhookPartner() {
  const centreId = await givenCentre();
  const partnerId = await givenPartner(centreId);
  const admin = await signedIn("admin");
  const created = await api("POST", `/api/partners/${partnerId}/webhook-secrets`, { as: admin, body: {} });
  if (created.status !== 201) throw new Error(`secret not created: ${JSON.stringify(created.body)}`);
  return {
    centreId,
    partnerId,
    admin,
    secret: created.body.secret as string,
    secretId: created.body.id as string,
  };
}

/** A referral sent to the partner (status `requested`), made through the API as the centre would. */
export async function givenSentReferral(admin: Caller, centreId: string, partnerId: string): Promise<string> {
  const response = await api("POST", "/api/referrals", {
    as: admin,
    body: {
      centreId,
      partnerId,
      need: "accommodation",
      send: true,
      consent: { givenAt: new Date().toISOString(), method: "verbal", scopes: ["share_with_partner"] },
    },
  });
  if (response.status !== 201) throw new Error(`referral not created: ${JSON.stringify(response.body)}`);
  return response.body.id;
}

let sequence = 0;
/** A fresh message id, as a partner's sender would make one per message. */
export function messageId(): string {
  sequence += 1;
  return `msg_${Date.now().toString(36)}_${sequence}_${Math.random().toString(36).slice(2, 8)}`;
}

export interface Message {
  id: string;
  timestamp: number;
  body: string;
}

export function message(event: unknown, overrides: Partial<Message> = {}): Message {
  return {
    id: overrides.id ?? messageId(),
    timestamp: overrides.timestamp ?? Math.floor(Date.now() / 1000),
    body: overrides.body ?? JSON.stringify(event),
  };
}

/** Signs with the reference library, as a partner using it would. */
export function signWithReference(secret: string, m: Message): string {
  return new Webhook(secret).sign(m.id, new Date(m.timestamp * 1000), m.body);
}

/** Signs with `@halte/core`. */
export function signWithCore(secrets: string[], m: Message): Promise<string> {
  return signWebhook(secrets, m);
}

export interface DeliveryOptions {
  signature?: string;
  headers?: Record<string, string | undefined>;
  contentType?: string;
  /** Override the signed message's headers (to tamper after signing). */
  sent?: Partial<Message>;
}

/** Posts a message to the inbound endpoint, signed with the reference library unless told otherwise. */
// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely and assert on them
export async function deliver<T = any>(
  partnerId: string,
  secret: string,
  m: Message,
  options: DeliveryOptions = {},
): Promise<{ status: number; headers: Headers; body: T }> {
  const sent = { ...m, ...options.sent };
  const headers: Record<string, string> = {
    "content-type": options.contentType ?? "application/json",
    "webhook-id": sent.id,
    "webhook-timestamp": String(sent.timestamp),
    "webhook-signature": options.signature ?? signWithReference(secret, m),
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  const response = await exports.default.fetch(`https://halte.test/api/webhooks/partners/${partnerId}`, {
    method: "POST",
    headers,
    body: sent.body,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    // leave the text
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

/** A `referral.status_changed` event. */
export function statusChanged(
  referralId: string,
  status: string,
  occurredAt: Date,
  extra: Record<string, unknown> = {},
) {
  return {
    type: "referral.status_changed",
    timestamp: new Date().toISOString(),
    data: { referralId, status, occurredAt: occurredAt.toISOString(), ...extra },
  };
}

/**
 * Many referrals already sent to the partner, written straight to D1 (as `givenCentre` does) so a test of
 * hundreds of deliveries does not spend its time creating them through the API. No consent row: partners'
 * moves do not need one, and these carry no contact.
 */
export async function givenSentReferrals(
  centreId: string,
  partnerId: string,
  count: number,
): Promise<string[]> {
  const at = new Date().toISOString();
  const ids = Array.from({ length: count }, () => uuidv7(new Date()));
  const statements = ids.flatMap((id) => [
    insertReferral(db, {
      id,
      createdAt: at,
      updatedAt: at,
      centreId,
      partnerId,
      serviceId: null,
      need: "accommodation",
      note: null,
      status: "requested",
      statusReason: null,
      statusNote: null,
      partnerReference: null,
      contact: null,
      consentId: null,
      ageBand: null,
      gender: null,
      languages: [],
      requestedAt: at,
      closedAt: null,
      erasedAt: null,
      version: 1,
    }),
    insertReferralHistory(
      db,
      { referralId: id, from: "draft", to: "requested", actor: "centre", reason: null, note: null, at },
      null,
    ),
  ]);
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
  return ids;
}
