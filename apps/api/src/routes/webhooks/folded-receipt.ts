// A partner's signed service-use report in one D1 round trip. The signature is checked with the partner's
// secrets held by this isolate as non-extractable keys, and the write itself re-checks that the secret that
// matched is still live (same row, same ciphertext, not revoked, not expired) with the partner, its centre and
// the service, so a revoked secret never writes. Whatever does not fit takes the ordinary path. A partner
// whose centre has its own database costs two: the secret's check in the directory, then the write.
import {
  checkUsedAt,
  importWebhookKey,
  localDateOf,
  PartnerWebhookEvent,
  verifyWebhook,
  WEBHOOK_TOLERANCE_SECONDS,
} from "@halte/core";
import {
  type DoorService,
  foldedServiceUseReport,
  heldWebhookSecretCheck,
  type WebhookReceipt,
  type WebhookSecretRow,
  type WebhookWriteCheck,
} from "@halte/db";
import type { Context } from "hono";
import { compiledAuditStatement } from "../../audit.js";
import type { AppEnv } from "../../context.js";
import { describeError } from "../../logger.js";
import { type Answer, acknowledgement, baseRow, type Delivery } from "./inbound-receivers.js";

interface HeldSecret {
  id: string;
  /** The stored ciphertext it was opened from: the write checks the row still holds it. */
  ciphertext: string;
  key: CryptoKey;
}

interface HeldPartner {
  partner: Delivery["partner"] & { retentionMonths: number };
  /** The binding of its centre's database, as the directory named it with the verified message. */
  binding: string;
  secrets: HeldSecret[];
  services: Map<string, DoorService>;
}

/**
 * What this isolate last read of each partner that sent a verified message: its live secrets as keys that
 * cannot be read back, its centre's zone and retention, its services. None of it is trusted on its own —
 * the folded write checks each against the database — and an entry is dropped when a write is refused.
 */
const heldPartners = new Map<string, HeldPartner>();

/** Keeps a verified partner's secrets (as non-extractable keys) and what its reports are checked against. */
export async function holdPartner(
  receipt: WebhookReceipt,
  opened: readonly { row: WebhookSecretRow; secret: string }[],
): Promise<void> {
  const partner = receipt.partner;
  if (!partner || partner.archivedAt !== null) return;
  const secrets: HeldSecret[] = [];
  for (const { row, secret } of opened) {
    const key = await importWebhookKey(secret);
    if (key) secrets.push({ id: row.id, ciphertext: row.ciphertext, key });
  }
  heldPartners.set(partner.id, {
    partner: {
      id: partner.id,
      centreId: partner.centreId,
      timeZone: partner.timeZone,
      retentionMonths: partner.retentionMonths,
    },
    binding: partner.d1Binding,
    secrets,
    services: receipt.services,
  });
}

function eventOf(raw: Uint8Array): PartnerWebhookEvent | null {
  try {
    const parsed = PartnerWebhookEvent.safeParse(
      JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(raw)),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Whether the directory still has the secret that verified in memory live, and the partner active. */
async function stillLiveInDirectory(directory: D1Database, check: WebhookWriteCheck): Promise<boolean> {
  const live = heldWebhookSecretCheck(check);
  return (
    (await directory
      .prepare(live.sql)
      .bind(...live.params)
      .first()) !== null
  );
}

/**
 * Receives a `service_use.reported` message in one round trip (two when the partner's centre has its own
 * database) when this isolate holds the partner: the
 * answer given, or `null` when nothing was written (a partner not held yet, a signature no held key makes, an
 * event of another type or implausible, a repeated `webhook-id`, a secret revoked or expired meanwhile) —
 * the caller then takes the ordinary path, which reads everything and answers as before.
 */
export async function receiveFolded(
  c: Context<AppEnv>,
  partnerId: string,
  raw: Uint8Array,
  at: Date,
): Promise<Answer | null> {
  const held = heldPartners.get(partnerId);
  if (!held || held.secrets.length === 0) return null;
  const verified = await verifyWebhook(
    {
      id: c.req.header("webhook-id"),
      timestamp: c.req.header("webhook-timestamp"),
      signature: c.req.header("webhook-signature"),
    },
    raw,
    held.secrets.map((secret) => secret.key),
    at,
  );
  const secret = verified.ok ? held.secrets[verified.value.secretIndex] : undefined;
  const event = verified.ok ? eventOf(raw) : null;
  if (!verified.ok || !secret || event?.type !== "service_use.reported") return null;
  const { partner } = held;
  const data = event.data;
  const service = held.services.get(data.serviceId);
  if (
    Date.parse(data.occurredAt) > at.getTime() + WEBHOOK_TOLERANCE_SECONDS * 1000 ||
    !checkUsedAt(data.usedAt, at, partner.retentionMonths).ok ||
    !service ||
    service.centreId !== partner.centreId ||
    service.organizationId !== partner.id
  ) {
    return null;
  }

  // Where the partner's centre shares the directory's database (what `dbs.sharesDirectory` says, known here
  // from the held binding without a round trip), the write checks the secret in the same statement. A centre
  // with its own database has no secrets: the directory is read first (one round trip), then the centre's
  // database written in one batch, checked against its copies of the partner and the centre.
  const { d1: directoryD1, dbs, newId } = c.get("services");
  const shared = held.binding === "DB";
  const db = dbs.dbNamed(held.binding);
  const d1 = dbs.d1Named(held.binding);
  const receivedAt = at.toISOString();
  const check: WebhookWriteCheck = {
    partnerId: partner.id,
    centreId: partner.centreId,
    secretId: secret.id,
    secretCiphertext: secret.ciphertext,
    timeZone: partner.timeZone,
    retentionMonths: partner.retentionMonths,
    serviceId: service.id,
    at: receivedAt,
  };
  if (!shared && !(await stillLiveInDirectory(directoryD1, check))) {
    heldPartners.delete(partnerId);
    return null;
  }
  const delivery: Delivery = {
    c,
    db,
    partner,
    services: held.services,
    webhookId: verified.value.id,
    type: event.type,
    receivedAt,
  };
  const id = newId();
  const usedAt = new Date(data.usedAt).toISOString();
  const occurredAt = new Date(data.occurredAt).toISOString();
  const answer: Answer = { status: 200, body: acknowledgement(delivery, "applied", { serviceUseId: id }) };
  const statements = foldedServiceUseReport(
    db,
    check,
    { ...baseRow(delivery, occurredAt), responseStatus: answer.status, responseBody: answer.body },
    {
      id,
      centreId: partner.centreId,
      serviceId: service.id,
      visitId: null,
      usedAt,
      localDay: localDateOf(usedAt, partner.timeZone),
      quantity: data.quantity,
      source: "partner_report",
      partnerId: partner.id,
      idempotencyKey: null,
    },
    compiledAuditStatement(
      c,
      {
        action: "create",
        entity: "service_use",
        entityId: id,
        centreId: partner.centreId,
        after: { serviceId: service.id, usedAt, quantity: data.quantity, source: "partner_report" },
        actor: { type: "partner_webhook", id: partner.id },
      },
      db,
    ),
    { secretChecked: !shared },
  );
  try {
    const results = await d1.batch(statements.map((s) => d1.prepare(s.sql).bind(...s.params)));
    if (results[0]?.results[0] !== undefined) return answer;
  } catch (error) {
    // A repeated webhook-id: the ordinary path answers with the first answer. Anything else is logged.
    if (!/UNIQUE constraint failed/.test(String(error))) {
      c.get("services").logger.warn("folded webhook write failed", { error: describeError(error) });
    }
    return null;
  }
  // Refused by the database: something held here is out of date (a revoked secret, an archived partner).
  heldPartners.delete(partnerId);
  return null;
}
