import {
  type Consent,
  type FieldError,
  type Referral,
  type ReferralActor,
  type ReferralHistoryEntry,
  ReferralInput,
  ReferralStatusChange,
  type ReferralTransitionError,
  referralChangeTime,
  transitionReferral,
} from "@halte/core";
import {
  doorServicesByIds,
  findReferralPartner,
  getReferral,
  insertConsent,
  insertReferral,
  insertReferralHistory,
  insertReferralHistoryAfterUpdate,
  listReferralHistory,
  updateReferralStatus,
} from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorize, permit, requirePrincipal } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { decodeCursor, encodeCursor, PageQuery, pageOf } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { asBatch, unknownCentre, utcInstant, writableCentres } from "../visits/record.js";
import { insertDeliveries, referralDeliveries, sendDeliveries } from "../webhooks/delivery.js";
import { listReferralsRoutes } from "./list-referrals.js";
import { referralPrivacyRoutes } from "./privacy.js";
import {
  auditView,
  HistoryEntryRecord,
  historyFor,
  isPartner,
  ReferralParams,
  ReferralRecord,
  recordFor,
  referralRecord,
  statusView,
  visibleReferral,
} from "./views.js";

const createReferralRoute = defineRoute({
  method: "post",
  path: "/referrals",
  operationId: "createReferral",
  middleware: [permit("referrals:create")] as const,
  tags: ["referrals"],
  summary: "Refer a person to a partner's service",
  description:
    "Created as `draft`, or as `requested` with `send: true` (needs consent). Consent is recorded with the " +
    "referral; a contact detail is kept only with consent that covers storing it.",
  security: staffOrToken,
  request: { body: { required: true, content: { "application/json": { schema: ReferralInput } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: ReferralRecord } } },
    ...problemResponses("malformed_request", "unauthenticated", "forbidden", "validation_failed"),
  },
});

const getRoute = defineRoute({
  method: "get",
  path: "/referrals/{referralId}",
  operationId: "getReferral",
  middleware: [permit("referrals:read")] as const,
  tags: ["referrals"],
  summary: "Get a referral",
  security: staffOrToken,
  request: { params: ReferralParams },
  responses: {
    200: { description: "The referral", content: { "application/json": { schema: ReferralRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

const statusRoute = defineRoute({
  method: "post",
  path: "/referrals/{referralId}/status",
  operationId: "transitionReferral",
  middleware: [permit("referrals:update", "referrals:respond")] as const,
  tags: ["referrals"],
  summary: "Move a referral to another status (centre staff or the referral's partner)",
  description:
    "The allowed moves and who may make each follow the referral lifecycle: the partner accepts, rejects " +
    "(with a reason), starts, completes or fails; the centre sends, cancels or marks entered-in-error. A change " +
    "that lost a race with another one answers 409 `conflict`.",
  security: staffOrToken,
  request: {
    params: ReferralParams,
    body: { required: true, content: { "application/json": { schema: ReferralStatusChange } } },
  },
  responses: {
    200: { description: "Changed", content: { "application/json": { schema: ReferralRecord } } },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "conflict",
      "illegal_transition",
      "validation_failed",
    ),
  },
});

const historyRoute = defineRoute({
  method: "get",
  path: "/referrals/{referralId}/history",
  operationId: "listReferralHistory",
  middleware: [permit("referrals:read")] as const,
  tags: ["referrals"],
  summary: "A referral's status changes, oldest first",
  security: staffOrToken,
  request: { params: ReferralParams, query: PageQuery },
  responses: {
    200: {
      description: "A page of status changes",
      content: { "application/json": { schema: pageOf(HistoryEntryRecord, "ReferralHistoryEntry") } },
    },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

function transitionProblem(error: ReferralTransitionError): ApiProblem {
  switch (error.code) {
    case "illegal_transition":
    case "actor_not_allowed":
      return new ApiProblem("illegal_transition", error.message);
    case "reason_required":
      return new ApiProblem("validation_failed", error.message, [
        { path: ["reason"], code: "required", message: error.message },
      ]);
    case "reason_not_allowed":
      return new ApiProblem("validation_failed", error.message, [
        { path: ["reason"], code: "invalid_value", message: error.message },
      ]);
    case "consent_required":
      return new ApiProblem("validation_failed", error.message, [
        { path: ["consent"], code: "required", message: error.message },
      ]);
    case "already_in_status":
    case "stale":
      return new ApiProblem("conflict", error.message);
  }
}

export const referralRoutes = createRouter()
  .openapi(createReferralRoute, async (c) => {
    const input = c.req.valid("json");
    const principal = authorize(c, "referrals:create", input.centreId);
    const { db, now, newId } = c.get("services");

    const centre = (await writableCentres(db, [input.centreId])).get(input.centreId);
    if (!centre) throw new ApiProblem("validation_failed", "No such centre", [unknownCentre([])]);
    const errors: FieldError[] = [];
    const partner = await findReferralPartner(db, input.partnerId);
    if (!partner || partner.centreId !== centre.id || partner.archivedAt !== null) {
      errors.push({ path: ["partnerId"], code: "invalid_value", message: "No such partner at this centre" });
    }
    if (input.serviceId !== undefined) {
      const service = (await doorServicesByIds(db, [input.serviceId])).get(input.serviceId);
      if (!service || service.centreId !== centre.id || service.organizationId !== input.partnerId) {
        errors.push({
          path: ["serviceId"],
          code: "invalid_value",
          message: "No such service of this partner at this centre",
        });
      }
    }
    if (errors.length > 0)
      throw new ApiProblem("validation_failed", "The referral names unknown records", errors);

    const at = now();
    const atIso = at.toISOString();
    const id = newId();
    const consent: Consent | null = input.consent
      ? {
          id: newId(),
          createdAt: atIso,
          updatedAt: atIso,
          centreId: centre.id,
          referralId: id,
          givenAt: utcInstant(input.consent.givenAt),
          method: input.consent.method,
          scopes: input.consent.scopes,
          ...(input.consent.language === undefined ? {} : { language: input.consent.language }),
          withdrawnAt: null,
        }
      : null;
    const draft: Referral = {
      id,
      createdAt: atIso,
      updatedAt: atIso,
      centreId: centre.id,
      partnerId: input.partnerId,
      serviceId: input.serviceId ?? null,
      need: input.need,
      note: input.note ?? null,
      status: "draft",
      statusReason: null,
      statusNote: null,
      partnerReference: null,
      contact: input.contact ?? null,
      consentId: consent?.id ?? null,
      ageBand: input.ageBand ?? null,
      gender: input.gender ?? null,
      languages: input.languages ?? [],
      requestedAt: null,
      closedAt: null,
      erasedAt: null,
      version: 0,
    };
    let referral = draft;
    let history: ReferralHistoryEntry | null = null;
    if (input.send) {
      const sent = transitionReferral(draft, { status: "requested" }, "centre", at);
      if (!sent.ok) throw transitionProblem(sent.error);
      referral = sent.value.referral;
      history = sent.value.history;
    }
    const deliveries = await referralDeliveries(db, referral, history?.from ?? null, at);
    await db.batch(
      asBatch([
        insertReferral(db, referral),
        ...(consent ? [insertConsent(db, consent)] : []),
        ...(history ? [insertReferralHistory(db, history, principal.id)] : []),
        ...insertDeliveries(db, deliveries),
        auditStatement(c, {
          action: "create",
          entity: "referral",
          entityId: id,
          centreId: centre.id,
          after: {
            ...auditView(referral),
            ...(consent ? { consentScopes: consent.scopes, consentMethod: consent.method } : {}),
          },
        }),
      ]),
    );
    await sendDeliveries(c.env.WEBHOOK_QUEUE, deliveries, c.get("services").logger);
    return c.json(referralRecord(principal, referral, consent, at), 201);
  })
  .openapi(getRoute, async (c) => {
    const principal = authorize(c, "referrals:read");
    const referral = await visibleReferral(c, principal, c.req.valid("param").referralId);
    return c.json(await recordFor(c, principal, referral), 200);
  })
  .openapi(statusRoute, async (c) => {
    const principal = requirePrincipal(c);
    const actor: ReferralActor = isPartner(principal) ? "partner" : "centre";
    authorize(c, actor === "partner" ? "referrals:respond" : "referrals:update");
    const referral = await visibleReferral(c, principal, c.req.valid("param").referralId);
    const asked = c.req.valid("json");
    // Once a person's details are erased, no new free text about them is kept.
    const change =
      referral.erasedAt === null ? asked : { ...asked, note: undefined, partnerReference: undefined };
    const { db, now } = c.get("services");
    const at = referralChangeTime(now(), referral.updatedAt);
    const result = transitionReferral(referral, change, actor, at);
    if (!result.ok) throw transitionProblem(result.error);
    const { referral: next, history } = result.value;
    // The partner hears of the centre's changes; its own it already knows.
    const deliveries = actor === "centre" ? await referralDeliveries(db, next, referral.status, at) : [];
    try {
      await db.batch(
        asBatch([
          updateReferralStatus(db, next, referral.version),
          insertReferralHistoryAfterUpdate(db, history, principal.id),
          ...insertDeliveries(db, deliveries),
          auditStatement(c, {
            action: "update_status",
            entity: "referral",
            entityId: referral.id,
            centreId: referral.centreId,
            before: statusView(referral),
            after: statusView(next),
          }),
        ]),
      );
    } catch (error) {
      const current = await getReferral(db, referral.id);
      if (current && current.version !== referral.version) {
        throw new ApiProblem("conflict", "The referral changed meanwhile; read it again and retry");
      }
      throw error;
    }
    await sendDeliveries(c.env.WEBHOOK_QUEUE, deliveries, c.get("services").logger);
    return c.json(await recordFor(c, principal, next), 200);
  })
  .openapi(historyRoute, async (c) => {
    const principal = authorize(c, "referrals:read");
    const referral = await visibleReferral(c, principal, c.req.valid("param").referralId);
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor);
    if (after !== undefined && !/^\d+$/.test(after)) {
      throw new ApiProblem("validation_failed", "The cursor is not one this API issued", [
        { path: ["query", "cursor"], code: "invalid_format", message: "Unknown cursor" },
      ]);
    }
    const rows = await listReferralHistory(c.get("services").db, referral.id, {
      afterId: after === undefined ? undefined : Number(after),
      limit,
    });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const visible = await historyFor(c, principal, referral, items);
    return c.json(
      {
        items: visible.map(({ seq: _seq, event, ...entry }) => ({
          ...entry,
          event: event ?? "status_changed",
        })),
        nextCursor: rows.length > limit && last ? encodeCursor(String(last.seq)) : null,
      },
      200,
    );
  })
  .route("/", referralPrivacyRoutes)
  .route("/", listReferralsRoutes);
