import { archiveCentre, getCentre } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { CentreParams, CentreRecord, writeCentreCopy } from "./shared.js";

const route = defineRoute({
  method: "post",
  path: "/centres/{centreId}/archive",
  operationId: "archiveCentre",
  middleware: [permit("centre:manage")] as const,
  tags: ["centres"],
  summary: "Archive a centre (admin); its records and figures are kept",
  security: staffOrToken,
  request: { params: CentreParams },
  responses: {
    200: { description: "Archived", content: { "application/json": { schema: CentreRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

export const archiveCentreRoute = createRouter().openapi(route, async (c) => {
  const { centreId } = c.req.valid("param");
  authorize(c, "centre:manage", centreId);
  const { db, dbs, now } = c.get("services");
  const before = await getCentre(db, centreId);
  if (!before) throw new ApiProblem("not_found", "No such centre");
  const at = now().toISOString();
  await writeCentreCopy(dbs, centreId, (row) => ({ ...row, archivedAt: at, updatedAt: at }));
  await db.batch([
    archiveCentre(db, centreId, at),
    auditStatement(c, {
      action: "archive",
      entity: "centre",
      entityId: centreId,
      centreId,
      before: { archivedAt: before.archivedAt },
      after: { archivedAt: at },
    }),
  ]);
  return c.json({ ...before, archivedAt: at, updatedAt: at }, 200);
});
