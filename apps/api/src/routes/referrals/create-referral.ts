import {
  type Consent,
  type FieldError,
  type Referral,
  type ReferralHistoryEntry,
  ReferralInput,
  transitionReferral,
} from "@halte/core";
import {
  doorServicesByIds,
  findReferralPartner,
  insertConsent,
  insertReferral,
  insertReferralHistory,
} from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { unknownCentre, utcInstant, writableCentres } from "../visits/record.js";
import { referralDeliveries, sendDeliveries } from "../webhooks/delivery.js";
import { transitionProblem, writeReferralChange } from "./shared.js";
import { auditView, ReferralRecord, referralRecord } from "./views.js";

const route = defineRoute({
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

export const createReferralRoute = createRouter().openapi(route, async (c) => {
  const input = c.req.valid("json");
  const principal = authorize(c, "referrals:create", input.centreId);
  const { db, dbs, now, newId, logger } = c.get("services");

  // The centre and the partner are directory rows; the service, and everything written, the centre's own.
  const centre = (await writableCentres(db, [input.centreId])).get(input.centreId);
  if (!centre) throw new ApiProblem("validation_failed", "No such centre", [unknownCentre([])]);
  const centreDb = await dbs.dbFor(centre.id);
  const errors: FieldError[] = [];
  const partner = await findReferralPartner(db, input.partnerId);
  // A partner works with its home centre and the centres linked to it (docs/partners.md).
  if (!partner?.centreIds.includes(centre.id) || partner.archivedAt !== null) {
    errors.push({ path: ["partnerId"], code: "invalid_value", message: "No such partner at this centre" });
  }
  if (input.serviceId !== undefined) {
    const service = (await doorServicesByIds(centreDb, [input.serviceId])).get(input.serviceId);
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
  const written = await writeReferralChange(
    c,
    centreDb,
    [
      insertReferral(centreDb, referral),
      ...(consent ? [insertConsent(centreDb, consent)] : []),
      ...(history ? [insertReferralHistory(centreDb, history, principal.id)] : []),
      auditStatement(
        c,
        {
          action: "create",
          entity: "referral",
          entityId: id,
          centreId: centre.id,
          after: {
            ...auditView(referral),
            ...(consent ? { consentScopes: consent.scopes, consentMethod: consent.method } : {}),
          },
        },
        centreDb,
      ),
    ],
    deliveries,
  );
  await sendDeliveries(c.env.WEBHOOK_QUEUE, written, logger);
  return c.json(referralRecord(principal, referral, consent, at), 201);
});
