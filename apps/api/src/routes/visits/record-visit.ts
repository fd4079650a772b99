import { VisitInput } from "@halte/core";
import { insertServiceUses, insertVisits } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { doorGrantQueries } from "../../auth/grants.js";
import { assertPermits, authorize, permitFolded, resolveDeferredCredential } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { recordCentreTap } from "./centre-tap.js";
import { doorReferencesAt } from "./door-database.js";
import { csrfHashBackfill, recordFoldedTap, rememberCentre } from "./folded-tap.js";
import { asBatch, referenceErrors, referencesOf, visitAuditView, visitRows, writtenVisit } from "./record.js";
import { RecordedVisit } from "./schema.js";
import { storedByKey } from "./shared.js";

const route = defineRoute({
  method: "post",
  path: "/visits",
  operationId: "recordVisit",
  middleware: [permitFolded({ json: VisitInput }, "visits:record")] as const,
  tags: ["visits"],
  summary: "Record one arrival at the door",
  description:
    "Only `centreId` and `arrivedAt` are required. A visitor code is stored only as a keyed hash. With an " +
    "`idempotencyKey` already recorded at this centre, the first record is returned (200) and nothing changes. " +
    "An unknown or archived centre, or a use of another centre's service, is refused with 422 naming the field.",
  security: staffOrToken,
  request: { body: { required: true, content: { "application/json": { schema: VisitInput } } } },
  responses: {
    201: { description: "Recorded", content: { "application/json": { schema: RecordedVisit } } },
    200: {
      description: "Already recorded under this idempotency key: the first record, unchanged",
      content: { "application/json": { schema: RecordedVisit } },
    },
    ...problemResponses("malformed_request", "unauthenticated", "forbidden", "validation_failed"),
  },
});

export const recordVisitRoute = createRouter().openapi(route, async (c) => {
  const input = c.req.valid("json");
  const credential = c.get("deferredCredential");
  if (credential) {
    // The common case: one round trip, the write checking the caller. Otherwise the ordinary path below.
    const tapped = await recordFoldedTap(c, credential, input);
    if (tapped) return c.json(tapped, 201);
    await resolveDeferredCredential(c);
    assertPermits(c, ["visits:record"]);
  }
  authorize(c, "visits:record", input.centreId);
  // A centre with its own database: the caller checked above, the tap is one round trip there.
  const inCentre = await recordCentreTap(c, input);
  if (inCentre) return c.json(inCentre, 201);
  const { db: directory, now } = c.get("services");
  // The visit, its uses and its audit row go to the centre's own database, in one batch there.
  // No look-up of the idempotency key first: a new tap (the common case) goes straight to the write,
  // and a repeated one is caught by the key's unique index below and answered with the stored visit.
  const { db, binding, references } = await doorReferencesAt(c, input.centreId, (at) =>
    referencesOf(at, [input]),
  );
  const { centres, services } = references;
  const errors = referenceErrors([input], centres, services, () => []);
  const centre = centres.get(input.centreId);
  if (errors.length > 0 || !centre) {
    // A retry of a tap stored before its centre was archived still gets its first answer.
    const earlier = await storedByKey(c, db, input);
    if (earlier) return earlier;
    throw new ApiProblem("validation_failed", "The visit names records that do not exist here", errors);
  }
  rememberCentre(centre, binding);
  const rows = await visitRows(c, input, centre);
  const at = now().toISOString();
  try {
    await db.batch(
      asBatch([
        ...insertVisits(db, [rows.visit], at, false),
        ...insertServiceUses(db, rows.uses, at),
        // The credential's keyed CSRF hash is a directory row: only where the centre shares that database.
        ...(credential && db === directory ? await csrfHashBackfill(c) : []),
        // In a centre's own database, the caller's grant: its next writes there cost one round trip.
        ...(db === directory ? [] : await doorGrantQueries(c, centre.id, db)),
        auditStatement(
          c,
          {
            action: "create",
            entity: "visit",
            entityId: rows.visit.id,
            centreId: centre.id,
            after: visitAuditView(rows.visit, rows.uses),
          },
          db,
        ),
      ]),
    );
  } catch (error) {
    // The key was used before (a retried tap, or two racing ones): the stored visit is the answer.
    const earlier = await storedByKey(c, db, input);
    if (earlier) return earlier;
    throw error;
  }
  // The batch wrote exactly these rows: answer from them rather than reading them back (one D1 round
  // trip fewer on the door's hottest path).
  return c.json(writtenVisit(rows, at), 201);
});
