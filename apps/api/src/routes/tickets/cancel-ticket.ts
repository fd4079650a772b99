import { CancelTicketInput, transitionTicket } from "@halte/core";
import { cancelTicketStatement, getTicket } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { permit, requirePrincipal } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { TicketParams, TicketRecord } from "./schema.js";
import { ticketForAct, ticketRecord, transitionProblem } from "./shared.js";

const route = defineRoute({
  method: "post",
  path: "/tickets/{ticketId}/cancel",
  operationId: "cancelTicket",
  middleware: [permit("visits:record")] as const,
  tags: ["tickets"],
  summary: "Cancel a waiting ticket (the person left, or did not answer): no use is counted",
  description:
    "Cancelling a cancelled ticket again answers 200 with the first cancel; a called ticket cannot be " +
    "cancelled (409: its use was counted — undo that use at the door instead).",
  security: staffOrToken,
  request: {
    params: TicketParams,
    body: { required: true, content: { "application/json": { schema: CancelTicketInput } } },
  },
  responses: {
    200: { description: "Cancelled", content: { "application/json": { schema: TicketRecord } } },
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

export const cancelTicketRoutes = createRouter().openapi(route, async (c) => {
  const { ticketId } = c.req.valid("param");
  const { cancelledAt, reason } = c.req.valid("json");
  const { ticket, db } = await ticketForAct(c, ticketId);
  const principal = requirePrincipal(c);
  const move = transitionTicket(ticket.status, "cancelled");
  if (!move.ok) throw transitionProblem(move.error);
  if (move.value === "unchanged") return c.json(ticketRecord(ticket), 200);

  const { now } = c.get("services");
  const at = now().toISOString();
  // The device's time is kept as sent (normalised): a cancel counts in no figure, only in the queue's state.
  const when = new Date(cancelledAt).toISOString();
  await db.batch([
    cancelTicketStatement(db, ticket.id, { cancelledAt: when, by: principal.id, reason, at }),
    auditStatement(
      c,
      {
        action: "cancel",
        entity: "ticket",
        entityId: ticket.id,
        centreId: ticket.centreId,
        before: { status: "waiting" },
        after: { status: "cancelled", reason },
      },
      db,
    ),
  ]);
  const after = await getTicket(db, ticket.id);
  if (!after) throw new Error("a ticket vanished");
  if (after.status !== "cancelled") {
    const raced = transitionTicket(after.status, "cancelled");
    if (!raced.ok) throw transitionProblem(raced.error);
  }
  return c.json(ticketRecord(after), 200);
});
