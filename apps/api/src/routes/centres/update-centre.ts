import { CentreInput } from "@halte/core";
import { getCentre, replaceCentre } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { CentreParams, CentreRecord, slugTaken, writeCentreCopy } from "./shared.js";

const route = defineRoute({
  method: "put",
  path: "/centres/{centreId}",
  operationId: "updateCentre",
  middleware: [permit("centre:manage")] as const,
  tags: ["centres"],
  summary: "Update a centre (admin)",
  security: staffOrToken,
  request: {
    params: CentreParams,
    body: { required: true, content: { "application/json": { schema: CentreInput } } },
  },
  responses: {
    200: { description: "Updated", content: { "application/json": { schema: CentreRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "conflict", "validation_failed"),
  },
});

export const updateCentreRoute = createRouter().openapi(route, async (c) => {
  const { centreId } = c.req.valid("param");
  authorize(c, "centre:manage", centreId);
  const input = c.req.valid("json");
  const { db, dbs, now } = c.get("services");
  const before = await getCentre(db, centreId);
  if (!before) throw new ApiProblem("not_found", "No such centre");
  if (await slugTaken(db, input.slug, centreId)) {
    throw new ApiProblem("conflict", `The slug "${input.slug}" is already used by another centre`);
  }
  const at = now().toISOString();
  await writeCentreCopy(dbs, centreId, (row) => ({
    ...row,
    ...input,
    timeZone: input.openingHours.timeZone,
    updatedAt: at,
  }));
  await db.batch([
    replaceCentre(db, centreId, input, at),
    auditStatement(c, {
      action: "update",
      entity: "centre",
      entityId: centreId,
      centreId,
      before,
      after: input,
    }),
  ]);
  const after = await getCentre(db, centreId);
  if (!after) throw new Error("centre vanished after update");
  return c.json(after, 200);
});
