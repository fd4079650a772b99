import { VisitBatchInput } from "@halte/core";
import {
  type Db,
  type DoorReferences,
  insertServiceUses,
  insertVisits,
  type NewServiceUseRow,
  type NewVisitRow,
} from "@halte/db";
import type { Context } from "hono";
import { auditStatement } from "../../audit.js";
import { assertPermits, authorize, permitFolded, resolveDeferredCredential } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { recordCentreTap } from "./centre-tap.js";
import { csrfHashBackfill, recordFoldedTap, rememberCentre } from "./folded-tap.js";
import { asBatch, referenceErrors, visitRows } from "./record.js";
import { VisitBatchResult } from "./schema.js";
import { type BatchVisit, referencesAcross, visitBatchGroups } from "./visit-batch-groups.js";

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
  // A tap sent as a batch of one at a centre with its own database: one round trip there (centre-tap.ts).
  const lone = inputs.length === 1 ? inputs[0] : undefined;
  const inCentre = lone ? await recordCentreTap(c, lone) : null;
  if (lone && inCentre) {
    const result = { idempotencyKey: lone.idempotencyKey, id: inCentre.id, status: "created" as const };
    return c.json({ results: [result], created: 1, duplicates: 0 }, 200);
  }
  const groups = await visitBatchGroups(c, inputs);
  // One read per database for the centres, the services and the keys already stored; one write per
  // database; nothing else unless another upload of the same backlog raced this one.
  let references = await referencesAcross(groups);
  const errors = referenceErrors(inputs, references.centres, references.services, (index) => [
    "visits",
    index,
  ]);
  if (errors.length > 0) {
    throw new ApiProblem("validation_failed", "Some visits name records that do not exist here", errors);
  }
  // The door's next taps at these centres can take the one-round-trip path (folded-tap.ts).
  for (const centre of references.centres.values()) {
    rememberCentre(centre, references.bindings.get(centre.id) ?? "DB");
  }

  const createdIds = new Set<string>();
  const idsBySlot = storedIds(references);
  // Further attempts cover a race with another upload of the same backlog: each database's batch is all or
  // nothing, so after a failure the keys are read again and only what is still missing is written. Across
  // databases a failure after another database's write leaves that write standing: a retried upload finds
  // those keys stored and answers them as duplicates, so the backlog converges.
  for (let attempt = 1; ; attempt++) {
    let raced: unknown = null;
    for (const group of groups) {
      const planned = new Map<string, string>();
      const rows = await plannedRows(c, group.inputs, idsBySlot, planned, references.centres);
      if (rows.visits.length === 0) continue;
      try {
        await writeVisitBatch(c, group.db, inputs, rows, credential !== undefined && credential !== null);
      } catch (error) {
        // Another upload stored some of these keys first: this database's batch rolled back whole (so the
        // audit row never overstates what was written); the keys are read again below.
        raced = error;
        continue;
      }
      for (const [slot, id] of planned) {
        idsBySlot.set(slot, id);
        createdIds.add(id);
      }
    }
    if (raced === null) break;
    const again = await referencesAcross(groups);
    const stored = storedIds(again);
    const missing = inputs.filter((input) => !idsBySlot.has(slot(input.centreId, input.idempotencyKey)));
    if (attempt >= 3 || !missing.some((input) => stored.has(slot(input.centreId, input.idempotencyKey)))) {
      throw raced;
    }
    references = again;
    for (const [key, id] of stored) if (!idsBySlot.has(key)) idsBySlot.set(key, id);
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

const slot = (centreId: string, key: string) => `${centreId}\u0000${key}`;

function storedIds(found: DoorReferences): Map<string, string> {
  const ids = new Map<string, string>();
  for (const [centreId, byKey] of found.visitIdsByKey) {
    for (const [key, id] of byKey) ids.set(slot(centreId, key), id);
  }
  return ids;
}

/** The rows of the visits not stored yet (`planned` gets their slots and ids). */
async function plannedRows(
  c: Context<AppEnv>,
  inputs: readonly BatchVisit[],
  idsBySlot: ReadonlyMap<string, string>,
  planned: Map<string, string>,
  centres: DoorReferences["centres"],
): Promise<{ visits: NewVisitRow[]; uses: NewServiceUseRow[] }> {
  const visits: NewVisitRow[] = [];
  const uses: NewServiceUseRow[] = [];
  for (const input of inputs) {
    const key = slot(input.centreId, input.idempotencyKey);
    if (idsBySlot.has(key) || planned.has(key)) continue;
    const centre = centres.get(input.centreId);
    if (!centre) throw new Error("centre checked above");
    const rows = await visitRows(c, input, centre);
    planned.set(key, rows.visit.id);
    visits.push(rows.visit);
    uses.push(...rows.uses);
  }
  return { visits, uses };
}

/** One database's share of the batch: its visits, their uses and one audit row per centre, in one batch. */
async function writeVisitBatch(
  c: Context<AppEnv>,
  db: Db,
  inputs: readonly BatchVisit[],
  rows: { visits: NewVisitRow[]; uses: NewServiceUseRow[] },
  deferred: boolean,
) {
  const { db: directory, now } = c.get("services");
  const at = now().toISOString();
  const centreIds = [...new Set(rows.visits.map((v) => v.centreId))];
  const audits = centreIds.map((centreId) =>
    auditStatement(
      c,
      {
        action: "create_batch",
        entity: "visit",
        entityId: null,
        centreId,
        after: {
          received: inputs.filter((v) => v.centreId === centreId).length,
          created: rows.visits.filter((v) => v.centreId === centreId).length,
        },
      },
      db,
    ),
  );
  await db.batch(
    asBatch([
      ...insertVisits(db, rows.visits, at, false),
      ...insertServiceUses(db, rows.uses, at),
      ...audits,
      // The credential's keyed CSRF hash is a directory row: only where the centre shares that database.
      ...(deferred && db === directory ? await csrfHashBackfill(c) : []),
    ]),
  );
}
