// A partner's signed service-use report in one D1 round trip. The signature is checked with the partner's
// secrets held by this isolate as non-extractable keys, and the write itself re-checks that the secret that
// matched is still live (same row, same ciphertext, not revoked, not expired) with the partner, its centre and
// the service, so a revoked secret never writes. Whatever does not fit takes the ordinary path. A partner
// whose centre has its own database is checked against its secret's credential grant there (auth/grants.ts);
// without one, the secret's check in the directory, then the write with the grant: two round trips, once.
import {
  checkUsedAt,
  importWebhookKey,
  localDateOf,
  PartnerWebhookEvent,
  verifyWebhook,
  WEBHOOK_TOLERANCE_SECONDS,
} from "@halte/core";
import {
  type Db,
  type DoorService,
  foldedServiceUseReport,
  grantStatement,
  heldWebhookSecretCheck,
  type RawStatement,
  type WebhookReceipt,
  type WebhookSecretRow,
  type WebhookWriteCheck,
} from "@halte/db";
import type { Context } from "hono";
import { compiledAuditStatement } from "../../audit.js";
import { sha256Hex } from "../../auth/crypto.js";
import type { AppEnv } from "../../context.js";
import { describeError } from "../../logger.js";
import { type Answer, acknowledgement, baseRow, type Delivery } from "./inbound-receivers.js";

interface HeldSecret {
  id: string;
  /** The stored ciphertext it was opened from: the write checks the row still holds it. */
  ciphertext: string;
  /** Its SHA-256: what a credential grant in a centre's own database holds of it. */
  ciphertextHash: string;
  /** Its end of overlap after a rotation, as the directory had it; null: none. */
  expiresAt: string | null;
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
    if (key) {
      const ciphertextHash = await sha256Hex(row.ciphertext);
      secrets.push({ id: row.id, ciphertext: row.ciphertext, ciphertextHash, expiresAt: row.expiresAt, key });
    }
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
 * Receives a `service_use.reported` message in one round trip (at a centre with its own database: one with a
 * credential grant there, else three, once) when this isolate holds the partner: the
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
  // with its own database has no secrets: the write checks the secret's credential grant there; without one,
  // the directory is read first (one round trip), then the centre's database written with the grant.
  const { dbs, newId } = c.get("services");
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
  const statements = (options: { secretChecked?: boolean; grantProof?: string }) =>
    foldedServiceUseReport(
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
      options,
    );
  if (shared) {
    const written = await writeReport(c, d1, statements({}));
    if (written === "written") return answer;
    if (written === "refused") heldPartners.delete(partnerId);
    return null;
  }
  const written = await writeInOwnDatabase(c, { db, d1, check, secret }, statements);
  if (written === "refused") heldPartners.delete(partnerId);
  return written === "written" ? answer : null;
}

/**
 * A report's write at a centre with its own database: checked by the secret's credential grant there (one
 * round trip); without one, the secret's check in the directory, then the write with the grant.
 */
async function writeInOwnDatabase(
  c: Context<AppEnv>,
  target: { db: Db; d1: D1Database; check: WebhookWriteCheck; secret: HeldSecret },
  statements: (options: { secretChecked?: boolean; grantProof?: string }) => RawStatement[],
): Promise<"written" | "refused" | "failed"> {
  const { db, d1, check, secret } = target;
  const granted = await writeReport(c, d1, statements({ grantProof: secret.ciphertextHash }));
  if (granted !== "refused") return granted;
  // No grant (or one deleted by a revocation): the directory says whether the secret is still live.
  const { d1: directoryD1, now } = c.get("services");
  const checkedAt = now().toISOString();
  if (!(await stillLiveInDirectory(directoryD1, check))) return "refused";
  const grant = grantStatement(db, {
    credentialHash: secret.id,
    kind: "webhook",
    actorId: check.partnerId,
    centreId: check.centreId,
    proofHash: secret.ciphertextHash,
    expiresAt: secret.expiresAt,
    checkedAt,
  });
  return writeReport(c, d1, [...statements({ secretChecked: true }), grant]);
}

/**
 * Runs a folded report's batch: `written` when its receipt was, `refused` when the database's checks held it
 * back (something this isolate holds is out of date), `failed` on an error — a repeated `webhook-id` (the
 * ordinary path answers with the first answer) or anything else, which is logged.
 */
async function writeReport(
  c: Context<AppEnv>,
  d1: D1Database,
  statements: readonly { sql: string; params: unknown[] }[],
): Promise<"written" | "refused" | "failed"> {
  try {
    const results = await d1.batch(statements.map((s) => d1.prepare(s.sql).bind(...s.params)));
    return results[0]?.results[0] !== undefined ? "written" : "refused";
  } catch (error) {
    if (!/UNIQUE constraint failed/.test(String(error))) {
      c.get("services").logger.warn("folded webhook write failed", { error: describeError(error) });
    }
    return "failed";
  }
}
