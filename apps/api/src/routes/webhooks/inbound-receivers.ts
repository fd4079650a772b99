// What the signed inbound endpoint does with each verified event: a referral status change (replayed in
// the order the partner made its changes), a capacity report, service uses. Each writes in one batch with its
// receipt, so a repeated `webhook-id` is answered once and a failure leaves nothing half-written.
import {
  localDateOf,
  type PartnerChange,
  type PartnerWebhookEvent,
  type ReferralStatus,
  type ReferralStatusChangedData,
  replayPartnerChanges,
  type ServiceCapacityChangedData,
  type ServiceUseReportedData,
  type StatusReason,
  statusReasonError,
} from "@halte/core";
import {
  type Db,
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
} from "@halte/db";
import type { Context } from "hono";
import { auditStatement } from "../../audit.js";
import type { AppEnv } from "../../context.js";
import { ApiProblem, problemBody } from "../../problem.js";
import { asBatch } from "../visits/record.js";

/** How often a delivery that lost a race with another one for the same referral is re-read and retried. */
const MAX_ATTEMPTS = 25;

export interface Answer {
  status: 200 | 409;
  body: Record<string, unknown>;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Delivery {
  c: Context<AppEnv>;
  /**
   * The database of the centre the message is about (the partner's home centre's, or a linked centre's:
   * `inboundTarget`): receipts, referrals, uses and capacity reports are read and written there.
   */
  db: Db;
  /** The partner, with the centre the message is about (`centreId`) and that centre's time zone. */
  partner: { id: string; centreId: string; timeZone: string };
  /** The services the partner runs, read with the receipt. */
  services: Map<string, DoorService>;
  webhookId: string;
  type: PartnerWebhookEvent["type"];
  receivedAt: string;
}

export function baseRow(d: Delivery, occurredAt: string): InboundWebhookRow {
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

export function acknowledgement(
  d: Delivery,
  outcome: InboundWebhookOutcome,
  extra: Record<string, unknown> = {},
) {
  return { webhookId: d.webhookId, type: d.type, outcome, ...extra };
}

/**
 * Runs `attempt` until its batch commits. A batch fails when another delivery of the same `webhook-id` won
 * (then the winner's answer is returned) or when the referral changed meanwhile (then it is read again).
 */
async function withRetries(d: Delivery, attempt: () => Promise<Answer>): Promise<Answer> {
  const { db } = d;
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

export async function receiveReferralStatus(d: Delivery, data: ReferralStatusChangedData): Promise<Answer> {
  const { c, db } = d;
  const reasonError = statusReasonError(data.status, data.reason);
  if (reasonError) {
    throw new ApiProblem("malformed_request", reasonError.message, [
      { path: ["data", "reason"], code: "invalid_value", message: reasonError.message },
    ]);
  }
  const occurredAt = new Date(data.occurredAt).toISOString();
  const found = await getReferral(db, data.referralId);
  // `d.partner.centreId` is the centre the message was routed to (`inboundTarget`): a referral of a centre the
  // partner does not work with is not found.
  if (
    !found ||
    found.partnerId !== d.partner.id ||
    found.requestedAt === null ||
    found.centreId !== d.partner.centreId
  ) {
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
          auditStatement(
            c,
            {
              action: "update_status",
              entity: "referral",
              entityId: referral.id,
              centreId: referral.centreId,
              before: { status: history.from },
              after: { status: next.status, statusReason: next.statusReason, version: next.version },
              actor: { type: "partner_webhook", id: d.partner.id },
            },
            db,
          ),
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

export async function receiveCapacity(d: Delivery, data: ServiceCapacityChangedData): Promise<Answer> {
  const { c, db } = d;
  const { newId } = c.get("services");
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
              auditStatement(
                c,
                {
                  action: "report_capacity",
                  entity: "service",
                  entityId: service.id,
                  centreId: d.partner.centreId,
                  after: { day: data.day, available: data.available },
                  actor: { type: "partner_webhook", id: d.partner.id },
                },
                db,
              ),
            ]
          : []),
      ]),
    );
    return answer;
  });
}

export async function receiveServiceUses(d: Delivery, data: ServiceUseReportedData): Promise<Answer> {
  const { c, db } = d;
  const { newId } = c.get("services");
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
        auditStatement(
          c,
          {
            action: "create",
            entity: "service_use",
            entityId: id,
            centreId: d.partner.centreId,
            after: { serviceId: service.id, usedAt, quantity: data.quantity, source: "partner_report" },
            actor: { type: "partner_webhook", id: d.partner.id },
          },
          db,
        ),
      ]),
    );
    return answer;
  });
}
