import { Id } from "@halte/core";
import { getServiceUseForUndo, voidServiceUseStatement } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { undoTap, VoidedRecord } from "../visits/void-visit.js";

const voidServiceUseRoute = defineRoute({
  method: "post",
  path: "/service-uses/{serviceUseId}/void",
  operationId: "voidServiceUse",
  middleware: [permit("visits:record")] as const,
  tags: ["service-uses"],
  summary: "Undo a service use tapped by mistake at the door (by the same device, within 10 minutes)",
  description:
    "The use stays in the audit trail but counts in no figure. Only the user or door device that recorded " +
    "it may undo it, within 10 minutes (403 otherwise; 409 when too late); a partner's reports are not " +
    "undone here. Undoing an already voided use answers 200 with the first undo's time.",
  security: staffOrToken,
  request: { params: z.object({ serviceUseId: Id }) },
  responses: {
    200: { description: "Voided", content: { "application/json": { schema: VoidedRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "conflict"),
  },
});

export const voidServiceUseRoutes = createRouter().openapi(voidServiceUseRoute, async (c) => {
  const { serviceUseId } = c.req.valid("param");
  const undone = await undoTap(
    c,
    "service_use",
    (db) => getServiceUseForUndo(db, serviceUseId),
    (db, id, at) => [voidServiceUseStatement(db, id, at)],
  );
  return c.json(undone, 200);
});
