import { TICKET_PREFIX_COUNT, ticketPrefixFor } from "@halte/core";
import { countTicketPrefixes, findTicketPrefix, getCentre, insertTicketPrefix } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { TicketPrefixClaim, TicketPrefixRecord } from "./schema.js";

const route = defineRoute({
  method: "post",
  path: "/tickets/prefix",
  operationId: "claimTicketPrefix",
  middleware: [permit("visits:record")] as const,
  tags: ["tickets"],
  summary: "The letter this door device (or staff user) numbers its tickets with at a centre",
  description:
    "Given once per caller and centre, then the same on every call (200 both times). Two devices never " +
    "share a letter, so the numbers they give offline (`D-14`) never collide. The door asks for it while " +
    "online and keeps it for its offline tickets.",
  security: staffOrToken,
  request: { body: { required: true, content: { "application/json": { schema: TicketPrefixClaim } } } },
  responses: {
    200: {
      description: "The caller's letter",
      content: { "application/json": { schema: TicketPrefixRecord } },
    },
    ...problemResponses("unauthenticated", "forbidden", "validation_failed", "conflict"),
  },
});

export const claimTicketPrefixRoutes = createRouter().openapi(route, async (c) => {
  const { centreId } = c.req.valid("json");
  const principal = authorize(c, "visits:record", centreId);
  const { db: directory, dbs, now } = c.get("services");
  const centre = await getCentre(directory, centreId);
  if (!centre || centre.archivedAt !== null) {
    throw new ApiProblem("validation_failed", "No such centre", [
      { path: ["centreId"], code: "invalid_value", message: "No such centre" },
    ]);
  }
  // A centre's letters are its rows: read and given in its own database.
  const db = await dbs.dbFor(centreId);
  // Two first claims at once may draw the same letter: the unique index refuses the second, which tries again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const held = await findTicketPrefix(db, centreId, principal.id);
    if (held !== null) return c.json({ centreId, prefix: held }, 200);
    const given = await countTicketPrefixes(db, centreId);
    if (given >= TICKET_PREFIX_COUNT)
      throw new ApiProblem("conflict", "Every ticket letter of this centre is given");
    const prefix = ticketPrefixFor(given);
    try {
      await db.batch([
        insertTicketPrefix(db, centreId, principal.id, prefix, now().toISOString()),
        auditStatement(
          c,
          { action: "create", entity: "ticket_prefix", entityId: principal.id, centreId, after: { prefix } },
          db,
        ),
      ]);
      return c.json({ centreId, prefix }, 200);
    } catch {
      // lost the race for this letter (or for this holder): read again
    }
  }
  throw new ApiProblem("conflict", "Too many devices asked for a letter at once; try again");
});
