import { and, asc, desc, eq, gt, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { centres } from "../schema/centres.js";
import { type InboundWebhookOutcome, inboundWebhooks } from "../schema/inbound-webhooks.js";
import { partners } from "../schema/partners.js";
import { referralAcknowledgements } from "../schema/referral-acknowledgements.js";
import { referrals } from "../schema/referrals.js";
import { serviceCapacityReports } from "../schema/service-capacity-reports.js";
import { services } from "../schema/services.js";
import { webhookDeliveries } from "../schema/webhook-deliveries.js";
import { webhookDeliveryAttempts } from "../schema/webhook-delivery-attempts.js";
import { webhookEndpoints } from "../schema/webhook-endpoints.js";
import { webhookSecrets } from "../schema/webhook-secrets.js";
import { type PartnerCentre, partnerCentresQuery } from "./partner-centres.js";
import { type DoorService, doorServiceColumns } from "./visits.js";

export type WebhookSecretRow = typeof webhookSecrets.$inferSelect;
/** A webhook secret as listed: never its ciphertext. */
export type WebhookSecretInfo = Omit<WebhookSecretRow, "ciphertext">;
export type InboundWebhookRow = typeof inboundWebhooks.$inferSelect;

export function webhookSecretInfo(row: WebhookSecretRow): WebhookSecretInfo {
  const { ciphertext: _ciphertext, ...info } = row;
  return info;
}

export function insertWebhookSecret(db: Db, row: WebhookSecretRow) {
  return db.insert(webhookSecrets).values(row);
}

export async function getWebhookSecret(db: Db, id: string): Promise<WebhookSecretRow | null> {
  const [row] = await db.select().from(webhookSecrets).where(eq(webhookSecrets.id, id)).limit(1);
  return row ?? null;
}

/** A partner's secrets in id order (oldest first), one more than `limit` for paging. */
export async function listWebhookSecrets(
  db: Db,
  partnerId: string,
  options: { afterId?: string; limit: number },
): Promise<WebhookSecretInfo[]> {
  const rows = await db
    .select()
    .from(webhookSecrets)
    .where(
      and(
        eq(webhookSecrets.partnerId, partnerId),
        options.afterId ? gt(webhookSecrets.id, options.afterId) : undefined,
      ),
    )
    .orderBy(asc(webhookSecrets.id))
    .limit(options.limit + 1);
  return rows.map(webhookSecretInfo);
}

/** The secrets that verify and sign for a partner at `at`: not revoked, not past their overlap. Newest first. */
export async function liveWebhookSecrets(db: Db, partnerId: string, at: string): Promise<WebhookSecretRow[]> {
  const rows = await db
    .select()
    .from(webhookSecrets)
    .where(
      and(
        eq(webhookSecrets.partnerId, partnerId),
        isNull(webhookSecrets.revokedAt),
        or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, at)),
      ),
    )
    .orderBy(asc(webhookSecrets.id));
  return rows.reverse();
}

/**
 * The statement that ends a rotation's overlap: every live secret of the partner that would outlive
 * `expiresAt` now expires then (a secret already expiring sooner keeps its date).
 */
export function expireWebhookSecrets(db: Db, partnerId: string, expiresAt: string) {
  return db
    .update(webhookSecrets)
    .set({ expiresAt })
    .where(
      and(
        eq(webhookSecrets.partnerId, partnerId),
        isNull(webhookSecrets.revokedAt),
        or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, expiresAt)),
      ),
    );
}

export function revokeWebhookSecret(db: Db, id: string, at: string) {
  return db
    .update(webhookSecrets)
    .set({ revokedAt: at })
    .where(and(eq(webhookSecrets.id, id), isNull(webhookSecrets.revokedAt)));
}

/** The first answer given to a partner's `webhook-id`, if it was seen before. */
export async function getInboundWebhook(
  db: Db,
  partnerId: string,
  webhookId: string,
): Promise<InboundWebhookRow | null> {
  const [row] = await db
    .select()
    .from(inboundWebhooks)
    .where(and(eq(inboundWebhooks.partnerId, partnerId), eq(inboundWebhooks.webhookId, webhookId)))
    .limit(1);
  return row ?? null;
}

/** A referral's changes that could not apply yet, in the order they happened at the partner. */
export async function pendingReferralChanges(db: Db, referralId: string): Promise<InboundWebhookRow[]> {
  return db
    .select()
    .from(inboundWebhooks)
    .where(and(eq(inboundWebhooks.referralId, referralId), eq(inboundWebhooks.outcome, "pending")))
    .orderBy(asc(inboundWebhooks.occurredAt), asc(inboundWebhooks.receivedAt), asc(inboundWebhooks.id));
}

/**
 * The insert of an inbound event. With `expect`, the row is written only while the referral still has the
 * version and the number of pending changes the caller read: otherwise `outcome` is NULL, the NOT NULL
 * constraint fails and D1 rolls the whole batch back, so the caller reads again and retries. This is how two
 * deliveries for the same referral racing each other are serialised without interactive transactions.
 */
export function insertInboundWebhook(
  db: Db,
  row: InboundWebhookRow,
  expect?: { referralId: string; version: number; pending: number },
) {
  if (!expect) return db.insert(inboundWebhooks).values(row);
  const outcome: SQL = sql`CASE WHEN (SELECT ${referrals.version} FROM ${referrals} WHERE ${referrals.id} = ${expect.referralId}) = ${expect.version}
    AND (SELECT count(*) FROM ${inboundWebhooks} WHERE ${inboundWebhooks.referralId} = ${expect.referralId} AND ${inboundWebhooks.outcome} = 'pending') = ${expect.pending}
    THEN ${row.outcome} END`;
  return db.insert(inboundWebhooks).values({ ...row, outcome: outcome as unknown as InboundWebhookOutcome });
}

/** Records what became of an earlier pending change. */
export function settleInboundWebhook(db: Db, id: string, outcome: InboundWebhookOutcome) {
  return db
    .update(inboundWebhooks)
    .set({ outcome })
    .where(and(eq(inboundWebhooks.id, id), eq(inboundWebhooks.outcome, "pending")));
}

export type CapacityReportRow = typeof serviceCapacityReports.$inferSelect;

/** Stores a capacity report, unless a report about the same service and day that happened later is stored. */
export function upsertCapacityReport(db: Db, row: CapacityReportRow) {
  return db
    .insert(serviceCapacityReports)
    .values(row)
    .onConflictDoUpdate({
      target: [serviceCapacityReports.serviceId, serviceCapacityReports.day],
      set: {
        available: row.available,
        note: row.note,
        occurredAt: row.occurredAt,
        receivedAt: row.receivedAt,
        partnerId: row.partnerId,
      },
      setWhere: sql`excluded.occurred_at >= ${serviceCapacityReports.occurredAt}`,
    });
}

export async function getCapacityReport(
  db: Db,
  serviceId: string,
  day: string,
): Promise<CapacityReportRow | null> {
  const [row] = await db
    .select()
    .from(serviceCapacityReports)
    .where(and(eq(serviceCapacityReports.serviceId, serviceId), eq(serviceCapacityReports.day, day)))
    .limit(1);
  return row ?? null;
}

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookAttemptRow = typeof webhookDeliveryAttempts.$inferSelect;

export function insertWebhookEndpoint(db: Db, row: WebhookEndpointRow) {
  return db.insert(webhookEndpoints).values(row);
}

export async function getWebhookEndpoint(db: Db, id: string): Promise<WebhookEndpointRow | null> {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).limit(1);
  return row ?? null;
}

/** A partner's endpoints in id order, one more than `limit` for paging. */
export async function listWebhookEndpoints(
  db: Db,
  partnerId: string,
  options: { afterId?: string; limit: number },
): Promise<WebhookEndpointRow[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.partnerId, partnerId),
        options.afterId ? gt(webhookEndpoints.id, options.afterId) : undefined,
      ),
    )
    .orderBy(asc(webhookEndpoints.id))
    .limit(options.limit + 1);
}

/** The endpoints an event for the partner goes to: none while the partner is archived. */
export async function liveWebhookEndpoints(db: Db, partnerId: string): Promise<WebhookEndpointRow[]> {
  const rows = await db
    .select({ endpoint: webhookEndpoints })
    .from(webhookEndpoints)
    .innerJoin(partners, eq(partners.id, webhookEndpoints.partnerId))
    .where(
      and(
        eq(webhookEndpoints.partnerId, partnerId),
        isNull(webhookEndpoints.disabledAt),
        isNull(partners.archivedAt),
      ),
    )
    .orderBy(asc(webhookEndpoints.id));
  return rows.map((row) => row.endpoint);
}

export function disableWebhookEndpoint(db: Db, id: string, reason: "gone" | "manual", at: string) {
  return db
    .update(webhookEndpoints)
    .set({ disabledAt: at, disabledReason: reason, updatedAt: at })
    .where(and(eq(webhookEndpoints.id, id), isNull(webhookEndpoints.disabledAt)));
}

export function insertWebhookDelivery(db: Db, row: WebhookDeliveryRow) {
  return db.insert(webhookDeliveries).values(row);
}

export async function getWebhookDelivery(db: Db, id: string): Promise<WebhookDeliveryRow | null> {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).limit(1);
  return row ?? null;
}

/** An endpoint's deliveries, newest first, one more than `limit` for paging. */
export async function listWebhookDeliveries(
  db: Db,
  endpointId: string,
  options: { beforeId?: string; limit: number },
): Promise<WebhookDeliveryRow[]> {
  return db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpointId),
        options.beforeId ? lt(webhookDeliveries.id, options.beforeId) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(options.limit + 1);
}

/** The attempts of some deliveries, in order. */
export async function attemptsOfDeliveries(
  db: Db,
  deliveryIds: readonly string[],
): Promise<WebhookAttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return db
    .select()
    .from(webhookDeliveryAttempts)
    .where(inArray(webhookDeliveryAttempts.deliveryId, [...deliveryIds]))
    .orderBy(asc(webhookDeliveryAttempts.id));
}

/** The statements recording one attempt and its effect on the delivery. */
export function recordDeliveryAttempt(
  db: Db,
  attempt: Omit<WebhookAttemptRow, "id">,
  delivery: Pick<WebhookDeliveryRow, "id" | "status" | "deliveredAt">,
) {
  return [
    db.insert(webhookDeliveryAttempts).values(attempt),
    db
      .update(webhookDeliveries)
      .set({
        status: delivery.status,
        deliveredAt: delivery.deliveredAt,
        lastAttemptAt: attempt.at,
        attempts: sql`${webhookDeliveries.attempts} + 1`,
      })
      .where(eq(webhookDeliveries.id, delivery.id)),
  ] as const;
}

export function setDeliveryStatus(db: Db, id: string, status: WebhookDeliveryRow["status"]) {
  return db.update(webhookDeliveries).set({ status }).where(eq(webhookDeliveries.id, id));
}

export function insertReferralAcknowledgement(db: Db, row: typeof referralAcknowledgements.$inferInsert) {
  return db.insert(referralAcknowledgements).values(row).onConflictDoNothing();
}

export async function getReferralAcknowledgement(db: Db, referralId: string) {
  const [row] = await db
    .select()
    .from(referralAcknowledgements)
    .where(eq(referralAcknowledgements.referralId, referralId))
    .limit(1);
  return row ?? null;
}

/** What receiving a partner's message needs before anything is parsed. */
export interface WebhookReceipt {
  partner: {
    id: string;
    centreId: string;
    archivedAt: string | null;
    timeZone: string;
    retentionMonths: number;
    /** The binding of the database holding the partner's centre's rows (`centres.d1_binding`). */
    d1Binding: string;
  } | null;
  /** The centres the partner works with (home and linked), where its messages may report. */
  centres: PartnerCentre[];
  /** The partner's live secrets, newest first. */
  secrets: WebhookSecretRow[];
  /** The first answer to this `webhook-id`, if it came before. */
  first: InboundWebhookRow | null;
  /** The services the partner runs (archived ones included), by id: what its reports may name. */
  services: Map<string, DoorService>;
}

/** The reads of a receipt that are in the partner's centre's database: the earlier answer, the services. */
function centreReceiptReads(db: Db, partnerId: string, webhookId: string) {
  return [
    db
      .select()
      .from(inboundWebhooks)
      .where(and(eq(inboundWebhooks.partnerId, partnerId), eq(inboundWebhooks.webhookId, webhookId)))
      .limit(1),
    db.select(doorServiceColumns).from(services).where(eq(services.organizationId, partnerId)),
  ] as const;
}

/**
 * The partner (with its centre's time zone), the centres it works with, its live secrets, any earlier answer
 * to `webhookId` and the services it runs, read in one D1 round trip (a batch of five selects): the inbound
 * route's hot path, whose only other round trip is its write. With one database per centre (the centre's `d1Binding` is not `DB`),
 * the last two are the centre's: read them there with `webhookReceiptInCentre` instead of these.
 */
export async function webhookReceipt(
  db: Db,
  partnerId: string,
  webhookId: string,
  at: string,
): Promise<WebhookReceipt> {
  const [partnerRows, centreRows, secretRows, firstRows, serviceRows] = await db.batch([
    db
      .select({
        id: partners.id,
        centreId: partners.centreId,
        archivedAt: partners.archivedAt,
        timeZone: centres.timeZone,
        retentionMonths: centres.retentionMonths,
        d1Binding: centres.d1Binding,
      })
      .from(partners)
      .innerJoin(centres, eq(centres.id, partners.centreId))
      .where(eq(partners.id, partnerId))
      .limit(1),
    partnerCentresQuery(db, partnerId),
    db
      .select()
      .from(webhookSecrets)
      .where(
        and(
          eq(webhookSecrets.partnerId, partnerId),
          isNull(webhookSecrets.revokedAt),
          or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, at)),
        ),
      )
      .orderBy(desc(webhookSecrets.id)),
    ...centreReceiptReads(db, partnerId, webhookId),
  ]);
  return {
    partner: partnerRows[0] ?? null,
    centres: centreRows,
    secrets: secretRows,
    first: firstRows[0] ?? null,
    services: new Map(serviceRows.map((row) => [row.id, row])),
  };
}

/** The part of a receipt a partner's centre database holds (one round trip): the earlier answer, the services. */
export async function webhookReceiptInCentre(centreDb: Db, partnerId: string, webhookId: string) {
  const [firstRows, serviceRows] = await centreDb.batch(centreReceiptReads(centreDb, partnerId, webhookId));
  return { first: firstRows[0] ?? null, services: new Map(serviceRows.map((row) => [row.id, row])) };
}
