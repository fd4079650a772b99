import {
  type Centre,
  capacityOn,
  doorLanguagesOf,
  languageAutonym,
  languageDirection,
  localDateOf,
  openingsOn,
  parsePeriod,
  VisitBatchInput,
  VisitInput,
} from "@halte/core";
import {
  countVisitsOn,
  doorServicesByIds,
  doorServicesOfCentre,
  getCentre,
  getVisitByIdempotencyKey,
  insertServiceUses,
  insertVisits,
  listVisits,
  type NewServiceUseRow,
  type NewVisitRow,
  type StoredVisit,
  serviceUseFromRow,
  serviceUsesOfVisit,
  serviceUseTotalsOn,
  visitFromRow,
} from "@halte/db";
import type { Context } from "hono";
import { auditStatement } from "../../audit.js";
import { authorize, permit } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { decodeCursor, pageOf, toPage } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import {
  asBatch,
  referenceErrors,
  referencesOf,
  serviceUseRecord,
  visitAuditView,
  visitRecord,
  visitRows,
} from "./record.js";
import {
  DoorToday,
  DoorTodayQuery,
  RecordedVisit,
  VisitBatchResult,
  VisitListQuery,
  VisitRecord,
} from "./schema.js";
import { voidVisitRoutes } from "./void-visit.js";

const recordRoute = defineRoute({
  method: "post",
  path: "/visits",
  operationId: "recordVisit",
  middleware: [permit("visits:record")] as const,
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

const recordBatchRoute = defineRoute({
  method: "post",
  path: "/visits/batch",
  operationId: "recordVisitBatch",
  middleware: [permit("visits:record")] as const,
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

const listRoute = defineRoute({
  method: "get",
  path: "/visits",
  operationId: "listVisits",
  middleware: [permit("visits:read")] as const,
  tags: ["visits"],
  summary: "List visits, optionally of one centre and one period",
  security: staffOrToken,
  request: { query: VisitListQuery },
  responses: {
    200: {
      description: "A page of visits, in recording order",
      content: { "application/json": { schema: pageOf(VisitRecord, "Visit") } },
    },
    ...problemResponses("unauthenticated", "forbidden", "validation_failed"),
  },
});

const todayRoute = defineRoute({
  method: "get",
  path: "/visits/today",
  operationId: "getVisitsToday",
  middleware: [permit("visits:record")] as const,
  tags: ["visits"],
  summary: "Today's counts for the door screen: visits and, per service, uses against capacity",
  security: staffOrToken,
  request: { query: DoorTodayQuery },
  responses: {
    200: { description: "Today's counts", content: { "application/json": { schema: DoorToday } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

async function recordedVisit(c: Context<AppEnv>, visit: StoredVisit) {
  const uses = await serviceUsesOfVisit(c.get("services").db, visit.id);
  return { ...visitRecord(visit), uses: uses.map(serviceUseRecord) };
}

/** The answer already given to a visit with this idempotency key (200 with the stored visit), if any. */
async function storedByKey(c: Context<AppEnv>, input: VisitInput) {
  if (input.idempotencyKey === undefined) return null;
  const stored = await getVisitByIdempotencyKey(c.get("services").db, input.centreId, input.idempotencyKey);
  return stored ? c.json(await recordedVisit(c, stored), 200) : null;
}

function centreCapacity(centre: Centre, day: string): number | null {
  const dailyCapacity = centre.dailyCapacity ?? centre.openingHours.dailyCapacity;
  const schedule =
    dailyCapacity === undefined ? centre.openingHours : { ...centre.openingHours, dailyCapacity };
  return capacityOn(schedule, day).daily ?? null;
}

export const visitRoutes = createRouter()
  .openapi(recordRoute, async (c) => {
    const input = c.req.valid("json");
    authorize(c, "visits:record", input.centreId);
    const { db, now } = c.get("services");
    // No look-up of the idempotency key first: a new tap (the common case) goes straight to the write,
    // and a repeated one is caught by the key's unique index below and answered with the stored visit.
    const { centres, services } = await referencesOf(db, [input]);
    const errors = referenceErrors([input], centres, services, () => []);
    const centre = centres.get(input.centreId);
    if (errors.length > 0 || !centre) {
      // A retry of a tap stored before its centre was archived still gets its first answer.
      const earlier = await storedByKey(c, input);
      if (earlier) return earlier;
      throw new ApiProblem("validation_failed", "The visit names records that do not exist here", errors);
    }
    const rows = await visitRows(c, input, centre);
    const at = now().toISOString();
    try {
      await db.batch(
        asBatch([
          ...insertVisits(db, [rows.visit], at, false),
          ...insertServiceUses(db, rows.uses, at),
          auditStatement(c, {
            action: "create",
            entity: "visit",
            entityId: rows.visit.id,
            centreId: centre.id,
            after: visitAuditView(rows.visit, rows.uses),
          }),
        ]),
      );
    } catch (error) {
      // The key was used before (a retried tap, or two racing ones): the stored visit is the answer.
      const earlier = await storedByKey(c, input);
      if (earlier) return earlier;
      throw error;
    }
    // The batch wrote exactly these rows: answer from them rather than reading them back (one D1 round
    // trip fewer on the door's hottest path).
    const written = { createdAt: at, updatedAt: at };
    return c.json(
      {
        ...visitRecord(visitFromRow({ ...rows.visit, ...written })),
        uses: rows.uses.map((use) => serviceUseRecord(serviceUseFromRow({ ...use, ...written }))),
      },
      201,
    );
  })
  .openapi(recordBatchRoute, async (c) => {
    const { visits: inputs } = c.req.valid("json");
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
  })
  .openapi(listRoute, async (c) => {
    const { limit, cursor, centreId, period } = c.req.valid("query");
    const principal = authorize(c, "visits:read", centreId);
    const days = period === undefined ? undefined : parsePeriod(period);
    if (days && !days.ok) throw new Error("period checked by the query schema");
    const rows = await listVisits(c.get("services").db, {
      centreId: principal.centreId ?? centreId,
      fromDay: days?.value.start,
      toDay: days?.value.end,
      afterId: decodeCursor(cursor),
      limit,
    });
    const page = toPage(rows, limit);
    return c.json({ items: page.items.map(visitRecord), nextCursor: page.nextCursor }, 200);
  })
  .openapi(todayRoute, async (c) => {
    const query = c.req.valid("query");
    const principal = authorize(c, "visits:record", query.centreId);
    const centreId = query.centreId ?? principal.centreId;
    if (centreId === null) {
      throw new ApiProblem("validation_failed", "Say which centre", [
        { path: ["query", "centreId"], code: "required", message: "Required for callers of every centre" },
      ]);
    }
    const { db, now } = c.get("services");
    const centre = await getCentre(db, centreId);
    if (!centre) throw new ApiProblem("not_found", "No such centre");
    const day = localDateOf(now(), centre.openingHours.timeZone);
    const [counts, totals, current] = await Promise.all([
      countVisitsOn(db, centreId, day),
      serviceUseTotalsOn(db, centreId, day),
      doorServicesOfCentre(db, centreId),
    ]);
    // A service archived today may still have today's uses: it stays on the screen until tomorrow.
    const listed = new Set(current.map((s) => s.id));
    const archived = await doorServicesByIds(
      db,
      [...totals.keys()].filter((id) => !listed.has(id)),
    );
    const capacity = centreCapacity(centre, day);
    return c.json(
      {
        centreId,
        day,
        timeZone: centre.openingHours.timeZone,
        visits: counts.visits,
        visitorCodes: counts.visitorCodes,
        capacity,
        remaining: capacity === null ? null : Math.max(0, capacity - counts.visits),
        services: [...current, ...archived.values()].map((service) => {
          const uses = totals.get(service.id) ?? 0;
          const serviceCapacity = capacityOn(service.schedule, day).daily ?? null;
          return {
            serviceId: service.id,
            name: service.name,
            status: service.status,
            uses,
            capacity: serviceCapacity,
            remaining: serviceCapacity === null ? null : Math.max(0, serviceCapacity - uses),
            openings: openingsOn(service.schedule, day).map((opening) => ({
              start: opening.start.toISOString(),
              end: opening.end.toISOString(),
            })),
          };
        }),
        languages: doorLanguagesOf(centre).map((code) => ({
          code,
          name: languageAutonym(code),
          dir: languageDirection(code),
        })),
      },
      200,
    );
  })
  .route("/", voidVisitRoutes);
