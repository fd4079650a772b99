import { checkUsedAt, localDateOf, TakeTicketInput } from "@halte/core";
import { doorReferences, findTicketPrefix, getTicket, insertTicket, type StoredTicket } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { centreDbOrDirectory } from "../centre-rows.js";
import { isUniqueViolation } from "../users/common.js";
import { unknownCentre } from "../visits/record.js";
import { TicketRecord } from "./schema.js";
import { ticketRecord } from "./shared.js";

const route = defineRoute({
  method: "post",
  path: "/tickets",
  operationId: "takeTicket",
  middleware: [permit("visits:record")] as const,
  tags: ["tickets"],
  summary: "Take a ticket for a service with a queue (a number, nothing personal)",
  description:
    "The door chooses the ticket's `id`, its own letter (`claimTicketPrefix`) and the next number of that " +
    "letter for the service and the centre-local day of `takenAt`, so it can take tickets offline. Sending " +
    "the same ticket again answers 200 with the stored one (a replay after offline); another ticket under " +
    "the same id, or the same number twice, is a 409. `takenAt` follows the rules of `usedAt` " +
    "(`recordServiceUse`). Taking a ticket counts no use: calling it does.",
  security: staffOrToken,
  request: { body: { required: true, content: { "application/json": { schema: TakeTicketInput } } } },
  responses: {
    201: { description: "Taken", content: { "application/json": { schema: TicketRecord } } },
    200: {
      description: "Already taken (the same ticket sent again): the stored ticket",
      content: { "application/json": { schema: TicketRecord } },
    },
    ...problemResponses("malformed_request", "unauthenticated", "forbidden", "conflict", "validation_failed"),
  },
});

/** Whether a stored ticket is this very request sent again (a retry or a replay), not another ticket. */
function sameTicket(stored: StoredTicket, input: TakeTicketInput, holder: string): boolean {
  return (
    stored.centreId === input.centreId &&
    stored.serviceId === input.serviceId &&
    stored.prefix === input.prefix &&
    stored.number === input.number &&
    stored.takenBy === holder
  );
}

export const takeTicketRoutes = createRouter().openapi(route, async (c) => {
  const input = c.req.valid("json");
  const principal = authorize(c, "visits:record", input.centreId);
  const { now } = c.get("services");
  // The ticket and its audit row go to the centre's own database, in one batch there.
  const { db } = await centreDbOrDirectory(c, input.centreId);
  const replay = async () => {
    const stored = await getTicket(db, input.id);
    if (!stored) return null;
    if (!sameTicket(stored, input, principal.id)) {
      throw new ApiProblem("conflict", "Another ticket already has this id");
    }
    return c.json(ticketRecord(stored), 200);
  };
  const earlier = await replay();
  if (earlier) return earlier;

  const references = await doorReferences(db, [input.centreId], [input.serviceId]);
  const centre = references.centres.get(input.centreId);
  if (!centre || centre.archivedAt !== null) {
    throw new ApiProblem("validation_failed", "No such centre", [unknownCentre([])]);
  }
  const service = references.services.get(input.serviceId);
  if (!service || service.centreId !== centre.id || service.archivedAt !== null) {
    throw new ApiProblem("validation_failed", "No such service at this centre", [
      { path: ["serviceId"], code: "invalid_value", message: "No such service at this centre" },
    ]);
  }
  if (!service.ticketQueue) {
    throw new ApiProblem("validation_failed", "This service hands out no tickets", [
      {
        path: ["serviceId"],
        code: "invalid_value",
        message: "Turn on its ticket queue in the services editor",
      },
    ]);
  }
  if ((await findTicketPrefix(db, centre.id, principal.id)) !== input.prefix) {
    throw new ApiProblem("validation_failed", "This letter is not yours", [
      {
        path: ["prefix"],
        code: "invalid_value",
        message: "Use the letter claimTicketPrefix gave this device",
      },
    ]);
  }
  const takenAt = checkUsedAt(input.takenAt, now(), centre.retentionMonths);
  if (!takenAt.ok) {
    throw new ApiProblem("validation_failed", "The ticket is dated outside what the centre can record", [
      { path: ["takenAt"], code: "invalid_value", message: takenAt.error.message },
    ]);
  }

  const at = now().toISOString();
  const row = {
    id: input.id,
    centreId: centre.id,
    serviceId: service.id,
    localDay: localDateOf(takenAt.value, centre.openingHours.timeZone),
    prefix: input.prefix,
    number: input.number,
    status: "waiting" as const,
    takenAt: takenAt.value,
    takenBy: principal.id,
    calledAt: null,
    calledBy: null,
    serviceUseId: null,
    cancelledAt: null,
    cancelledBy: null,
    cancelReason: null,
  };
  try {
    await db.batch([
      insertTicket(db, row, at),
      auditStatement(
        c,
        {
          action: "create",
          entity: "ticket",
          entityId: row.id,
          centreId: centre.id,
          after: { serviceId: row.serviceId, localDay: row.localDay, prefix: row.prefix, number: row.number },
        },
        db,
      ),
    ]);
  } catch (error) {
    // The same ticket sent twice at once, or this number already given.
    const raced = await replay();
    if (raced) return raced;
    if (isUniqueViolation(error)) {
      throw new ApiProblem("conflict", "This number was already given for this service today");
    }
    throw error;
  }
  return c.json(ticketRecord({ ...row, createdAt: at, updatedAt: at }), 201);
});
