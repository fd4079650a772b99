import { CallTicketInput, checkUsedAt, localDateOf, transitionTicket } from "@halte/core";
import { callTicketStatement, getCentre, getTicket, insertTicketUseStatement } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { permit, requirePrincipal } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { TicketParams, TicketRecord } from "./schema.js";
import { ticketForAct, ticketRecord, transitionProblem } from "./shared.js";

const route = defineRoute({
  method: "post",
  path: "/tickets/{ticketId}/call",
  operationId: "callTicket",
  middleware: [permit("visits:record")] as const,
  tags: ["tickets"],
  summary: "Call a waiting ticket: it becomes exactly one use of its service",
  description:
    "Records one `door` use of the ticket's service at `calledAt` (the rules of `usedAt` in " +
    '`recordServiceUse`), counted in today\'s counts, capacity and every roll-up like a "+1" at the door, ' +
    "and links it to the ticket. Calling a called ticket again (a retry, a replay after offline, two " +
    "tablets calling the same one) answers 200 with the first call and records nothing more (201 only for " +
    "the call that recorded the use); a cancelled " +
    "ticket cannot be called (409).",
  security: staffOrToken,
  request: {
    params: TicketParams,
    body: { required: true, content: { "application/json": { schema: CallTicketInput } } },
  },
  responses: {
    201: {
      description: "Called: one use of the service recorded",
      content: { "application/json": { schema: TicketRecord } },
    },
    200: {
      description: "Already called (a retry, a replay, another tablet): the first call, nothing recorded",
      content: { "application/json": { schema: TicketRecord } },
    },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "illegal_transition",
      "validation_failed",
    ),
  },
});

export const callTicketRoutes = createRouter().openapi(route, async (c) => {
  const { ticketId } = c.req.valid("param");
  const { calledAt } = c.req.valid("json");
  const { ticket, db } = await ticketForAct(c, ticketId);
  const principal = requirePrincipal(c);
  const move = transitionTicket(ticket.status, "called");
  if (!move.ok) throw transitionProblem(move.error);
  if (move.value === "unchanged") return c.json(ticketRecord(ticket), 200);

  const { db: directory, now, newId } = c.get("services");
  const centre = await getCentre(directory, ticket.centreId);
  if (!centre) throw new Error("a ticket's centre vanished");
  const usedAt = checkUsedAt(calledAt, now(), centre.retentionMonths);
  if (!usedAt.ok) {
    throw new ApiProblem("validation_failed", "The call is dated outside what the centre can record", [
      { path: ["calledAt"], code: "invalid_value", message: usedAt.error.message },
    ]);
  }
  const at = now().toISOString();
  const use = {
    id: newId(),
    ticketId: ticket.id,
    centreId: ticket.centreId,
    serviceId: ticket.serviceId,
    usedAt: usedAt.value,
    localDay: localDateOf(usedAt.value, centre.openingHours.timeZone),
    // One use per ticket, whatever happens: the same key as any other door use, unique per centre.
    idempotencyKey: `ticket:${ticket.id}`,
    recordedBy: principal.id,
  };
  await db.batch([
    callTicketStatement(db, ticket.id, {
      calledAt: usedAt.value,
      by: principal.id,
      serviceUseId: use.id,
      at,
    }),
    insertTicketUseStatement(db, use, at),
    auditStatement(
      c,
      {
        action: "call",
        entity: "ticket",
        entityId: ticket.id,
        centreId: ticket.centreId,
        before: { status: "waiting" },
        after: { status: "called", serviceUseId: use.id },
      },
      db,
    ),
  ]);
  const after = await getTicket(db, ticket.id);
  if (!after) throw new Error("a ticket vanished");
  // Another call or a cancel won the race: answer as if this call came second.
  if (after.serviceUseId !== use.id) {
    const raced = transitionTicket(after.status, "called");
    if (!raced.ok) throw transitionProblem(raced.error);
    return c.json(ticketRecord(after), 200);
  }
  return c.json(ticketRecord(after), 201);
});
