import { checkUsedAt, localDateOf, ServiceUseInput } from "@halte/core";
import {
  doorReferences,
  getServiceUse,
  getServiceUseByIdempotencyKey,
  getVisit,
  insertServiceUses,
  type StoredServiceUse,
} from "@halte/db";
import type { Context } from "hono";
import { auditStatement } from "../../audit.js";
import { doorGrantQueries } from "../../auth/grants.js";
import {
  assertPermits,
  authorize,
  permitFolded,
  requirePrincipal,
  resolveDeferredCredential,
} from "../../auth/middleware.js";
import { type Principal, reachesCentre } from "../../auth/principal.js";
import type { AppEnv } from "../../context.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { centreDbOrDirectory } from "../centre-rows.js";
import { csrfHashBackfill, rememberCentre } from "../visits/folded-tap.js";
import { asBatch, unknownCentre } from "../visits/record.js";
import { ServiceUseRecord } from "../visits/schema.js";
import { recordCentreUse } from "./centre-use.js";
import { recordFoldedUse } from "./folded-use.js";
import { IdempotencyHeader, partnerOf, useFor } from "./shared.js";

const route = defineRoute({
  method: "post",
  path: "/service-uses",
  operationId: "recordServiceUse",
  middleware: [
    permitFolded(
      { json: ServiceUseInput, header: IdempotencyHeader },
      "visits:record",
      "service-uses:report",
    ),
  ] as const,
  tags: ["service-uses"],
  summary: "Record a use of a service: at the door, or a partner's report of its own service",
  description:
    "`usedAt` must lie between the centre's retention horizon (`retentionMonths` before now) and 5 minutes " +
    "from now; `quantity` is at most 500. Reception, coordinators and admins record `door` uses. A partner (token or partner user) reports " +
    "`partner_report` uses of its own organisation's services only. With an `Idempotency-Key` header already " +
    "used at this centre, the first record is returned (200) and nothing changes.",
  security: staffOrToken,
  request: {
    headers: IdempotencyHeader,
    body: { required: true, content: { "application/json": { schema: ServiceUseInput } } },
  },
  responses: {
    201: { description: "Recorded", content: { "application/json": { schema: ServiceUseRecord } } },
    200: {
      description: "Already recorded under this idempotency key: the first record",
      content: { "application/json": { schema: ServiceUseRecord } },
    },
    ...problemResponses("malformed_request", "unauthenticated", "forbidden", "conflict", "validation_failed"),
  },
});

/**
 * Who reports: the partner's id for a partner (which reports its own services' uses as `partner_report`,
 * with no visit), null for the door (reception and above, `door` uses naming no partner); refusals otherwise.
 */
function checkReporter(c: Context<AppEnv>, principal: Principal, input: ServiceUseInput): string | null {
  const partnerId = partnerOf(principal);
  if (partnerId !== null) {
    // Its home centre or a centre it is linked to (`partner_centres`, read with the credential).
    if (!reachesCentre(principal, input.centreId)) {
      throw new ApiProblem("forbidden", "This centre is not yours");
    }
    if (input.source !== "partner_report") {
      throw new ApiProblem("forbidden", 'Partners report the uses of their services as "partner_report"');
    }
    if (input.partnerId !== undefined && input.partnerId !== partnerId) {
      throw new ApiProblem("forbidden", "A partner reports for its own organisation only");
    }
    if (input.visitId !== undefined) {
      throw new ApiProblem("validation_failed", "A partner's report is not linked to a visit", [
        { path: ["visitId"], code: "invalid_value", message: "Leave the visit out of a partner's report" },
      ]);
    }
  } else {
    authorize(c, "visits:record", input.centreId);
    if (input.source === "partner_report") {
      throw new ApiProblem("forbidden", "Only the partner that ran the service reports its uses");
    }
    if (input.partnerId !== undefined) {
      throw new ApiProblem("validation_failed", "A door use names no partner", [
        { path: ["partnerId"], code: "invalid_value", message: "Only a partner's report names a partner" },
      ]);
    }
  }
  return partnerId;
}

export const recordServiceUseRoute = createRouter().openapi(route, async (c) => {
  const input = c.req.valid("json");
  const key = c.req.valid("header")["idempotency-key"];
  const credential = c.get("deferredCredential");
  if (credential) {
    // A door's +1: one round trip, the write checking the caller. Otherwise the ordinary path below.
    const recorded = await recordFoldedUse(c, credential, input, key);
    if (recorded) return c.json(recorded, 201);
    await resolveDeferredCredential(c);
    assertPermits(c, ["visits:record", "service-uses:report"]);
  }
  const principal = requirePrincipal(c);
  const partnerId = checkReporter(c, principal, input);
  // A door's +1 at a centre with its own database: the caller checked above, one round trip there.
  const inCentre = partnerId === null ? await recordCentreUse(c, principal, input, key) : null;
  if (inCentre) return c.json(inCentre, 201);

  const { db: directory, now, newId } = c.get("services");
  // The use and its audit row go to the centre's own database, in one batch there.
  const { db, binding } = await centreDbOrDirectory(c, input.centreId);
  const sameReporter = (use: StoredServiceUse) =>
    partnerId === null
      ? use.source === "door"
      : use.source === "partner_report" && use.partnerId === partnerId;
  if (key !== undefined) {
    const existing = await getServiceUseByIdempotencyKey(db, input.centreId, key);
    if (existing) {
      // Another reporter's key is not a retry of this request; answering with its record would leak it.
      if (!sameReporter(existing)) {
        throw new ApiProblem("conflict", "This Idempotency-Key was already used for another report");
      }
      return c.json(useFor(principal, existing), 200);
    }
  }

  const references = await doorReferences(db, [input.centreId], [input.serviceId]);
  const centre = references.centres.get(input.centreId);
  if (!centre || centre.archivedAt !== null) {
    throw new ApiProblem("validation_failed", "No such centre", [unknownCentre([])]);
  }
  rememberCentre(centre, binding);
  const usedAtChecked = checkUsedAt(input.usedAt, now(), centre.retentionMonths);
  if (!usedAtChecked.ok) {
    throw new ApiProblem("validation_failed", "The use is dated outside what the centre can record", [
      { path: ["usedAt"], code: "invalid_value", message: usedAtChecked.error.message },
    ]);
  }
  const service = references.services.get(input.serviceId);
  if (!service || service.centreId !== centre.id) {
    throw new ApiProblem("validation_failed", "No such service at this centre", [
      { path: ["serviceId"], code: "invalid_value", message: "No such service at this centre" },
    ]);
  }
  if (partnerId !== null && service.organizationId !== partnerId) {
    throw new ApiProblem("forbidden", "This service is run by another organisation");
  }
  if (input.visitId !== undefined) {
    const visit = await getVisit(db, input.visitId);
    if (!visit || visit.centreId !== centre.id) {
      throw new ApiProblem("validation_failed", "No such visit at this centre", [
        { path: ["visitId"], code: "invalid_value", message: "No such visit at this centre" },
      ]);
    }
  }

  const id = newId();
  const at = now().toISOString();
  const usedAt = usedAtChecked.value;
  const row = {
    id,
    centreId: centre.id,
    serviceId: service.id,
    visitId: input.visitId ?? null,
    usedAt,
    localDay: localDateOf(usedAt, centre.openingHours.timeZone),
    quantity: input.quantity,
    source: input.source,
    partnerId,
    idempotencyKey: key ?? null,
    recordedBy: principal.id,
  };
  try {
    await db.batch(
      asBatch([
        ...insertServiceUses(db, [row], at),
        // The credential's keyed CSRF hash is a directory row: only where the centre shares that database.
        ...(credential && db === directory ? await csrfHashBackfill(c) : []),
        // In a centre's own database, the caller's grant: its next writes there cost one round trip.
        ...(db === directory ? [] : await doorGrantQueries(c, centre.id, db)),
        auditStatement(
          c,
          {
            action: "create",
            entity: "service_use",
            entityId: id,
            centreId: centre.id,
            after: { ...row, id: undefined, centreId: undefined },
          },
          db,
        ),
      ]),
    );
  } catch (error) {
    if (key === undefined) throw error;
    const winner = await getServiceUseByIdempotencyKey(db, centre.id, key);
    if (!winner) throw error;
    if (!sameReporter(winner)) {
      throw new ApiProblem("conflict", "This Idempotency-Key was already used for another report");
    }
    return c.json(useFor(principal, winner), 200);
  }
  const created = await getServiceUse(db, id);
  if (!created) throw new Error("service use vanished after insert");
  return c.json(useFor(principal, created), 201);
});
