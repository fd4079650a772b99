import { VisitBatchInput } from "@halte/core";
import { insertServiceUses, insertVisits, type NewServiceUseRow, type NewVisitRow } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { assertPermits, authorize, permitFolded, resolveDeferredCredential } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { csrfHashBackfill, recordFoldedTap, rememberCentre } from "./folded-tap.js";
import { asBatch, referenceErrors, referencesOf, visitRows } from "./record.js";
import { VisitBatchResult } from "./schema.js";

const route = defineRoute({
  method: "post",
  path: "/visits/batch",
  operationId: "recordVisitBatch",
  middleware: [permitFolded({ json: VisitBatchInput }, "visits:record")] as const,
  tags: ["visits"],
  summary: "Record an offline tablet's backlog of arrivals (up to 1,000)",
  description:
    "Each visit carries its own idempotency key; a retried batch never doubles: visits already recorded " +
    "answer `duplicate` with their first id. The batch is checked as a whole before anything is written: " +
    "one invalid visit refuses the batch (422 naming `visits.N.field`) and nothing is recorded.",
  security: staffOrToken,
  request: { body: { required: true, content: { "application/json": { schema: VisitBatchInput } } } },
  responses: {
    200: {
      description: "One result per visit, in order",
      content: { "application/json": { schema: VisitBatchResult } },
    },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "payload_too_large",
      "validation_failed",
    ),
  },
});

export const recordVisitBatchRoute = createRouter().openapi(route, async (c) => {
  const { visits: inputs } = c.req.valid("json");
  const credential = c.get("deferredCredential");
  if (credential) {
    // The door page uploads each tap as a batch of one when it is made: one round trip (folded-tap.ts). A
    // backlog of several taps, or a write that did not happen, takes the ordinary path, answering as before.
    const only = inputs.length === 1 ? inputs[0] : undefined;
    const tapped = only ? await recordFoldedTap(c, credential, only) : null;
    if (only && tapped) {
      const result = { idempotencyKey: only.idempotencyKey, id: tapped.id, status: "created" as const };
      return c.json({ results: [result], created: 1, duplicates: 0 }, 200);
    }
    await resolveDeferredCredential(c);
    assertPermits(c, ["visits:record"]);
  }
  const centreIds = [...new Set(inputs.map((v) => v.centreId))];
  for (const centreId of centreIds) authorize(c, "visits:record", centreId);
  const { db, now } = c.get("services");
  const keysByCentre = new Map<string, string[]>();
  for (const input of inputs) {
    keysByCentre.set(input.centreId, [...(keysByCentre.get(input.centreId) ?? []), input.idempotencyKey]);
  }
  // One read for the centres, the services and the keys already stored; one write; nothing else unless
  // another upload of the same backlog raced this one.
  let references = await referencesOf(db, inputs, keysByCentre);
  const errors = referenceErrors(inputs, references.centres, references.services, (index) => [
    "visits",
    index,
  ]);
  if (errors.length > 0) {
    throw new ApiProblem("validation_failed", "Some visits name records that do not exist here", errors);
  }
  // The door's next taps at these centres can take the one-round-trip path (folded-tap.ts).
  for (const centre of references.centres.values()) rememberCentre(centre);

  const slot = (centreId: string, key: string) => `${centreId}\u0000${key}`;
  const storedIds = (found: typeof references) => {
    const ids = new Map<string, string>();
    for (const [centreId, byKey] of found.visitIdsByKey) {
      for (const [key, id] of byKey) ids.set(slot(centreId, key), id);
    }
    return ids;
  };
  let createdIds = new Set<string>();
  let idsBySlot = storedIds(references);
  // Further attempts cover a race with another upload of the same backlog: the batch is all or nothing,
  // so after a failure the keys are read again and only what is still missing is written.
  for (let attempt = 1; ; attempt++) {
    const visitRowsToWrite: NewVisitRow[] = [];
    const useRowsToWrite: NewServiceUseRow[] = [];
    const planned = new Map<string, string>();
    for (const input of inputs) {
      const key = slot(input.centreId, input.idempotencyKey);
      if (idsBySlot.has(key) || planned.has(key)) continue;
      const centre = references.centres.get(input.centreId);
      if (!centre) throw new Error("centre checked above");
      const rows = await visitRows(c, input, centre);
      planned.set(key, rows.visit.id);
      visitRowsToWrite.push(rows.visit);
      useRowsToWrite.push(...rows.uses);
    }
    if (visitRowsToWrite.length === 0) break;
    const at = now().toISOString();
    const audits = centreIds
      .map((centreId) => ({
        centreId,
        count: visitRowsToWrite.filter((v) => v.centreId === centreId).length,
      }))
      .filter((entry) => entry.count > 0)
      .map((entry) =>
        auditStatement(c, {
          action: "create_batch",
          entity: "visit",
          entityId: null,
          centreId: entry.centreId,
          after: {
            received: inputs.filter((v) => v.centreId === entry.centreId).length,
            created: entry.count,
          },
        }),
      );
    try {
      await db.batch(
        asBatch([
          ...insertVisits(db, visitRowsToWrite, at, false),
          ...insertServiceUses(db, useRowsToWrite, at),
          ...audits,
          ...(credential ? await csrfHashBackfill(c) : []),
        ]),
      );
    } catch (error) {
      // Another upload of the same backlog stored some of these keys first: the batch rolled back whole
      // (so the audit row never overstates what was written); read the keys again, write what is missing.
      const again = await referencesOf(db, inputs, keysByCentre);
      const stored = storedIds(again);
      if (attempt >= 3 || ![...planned.keys()].some((slot) => stored.has(slot))) throw error;
      references = again;
      idsBySlot = stored;
      continue;
    }
    createdIds = new Set(planned.values());
    for (const [slot, id] of planned) idsBySlot.set(slot, id);
    break;
  }

  const reported = new Set<string>();
  const results = inputs.map((input) => {
    const id = idsBySlot.get(slot(input.centreId, input.idempotencyKey));
    if (id === undefined) throw new Error("a visit of the batch was neither found nor written");
    const created = createdIds.has(id) && !reported.has(id);
    reported.add(id);
    return {
      idempotencyKey: input.idempotencyKey,
      id,
      status: created ? ("created" as const) : ("duplicate" as const),
    };
  });
  const created = results.filter((r) => r.status === "created").length;
  return c.json({ results, created, duplicates: results.length - created }, 200);
});
