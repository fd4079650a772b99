import { CentreInput } from "@halte/core";
import { getCentre, insertCentre } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorizeUnbound, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { CentreRecord, slugTaken } from "./shared.js";

const route = defineRoute({
  method: "post",
  path: "/centres",
  operationId: "createCentre",
  middleware: [permit("centre:manage")] as const,
  tags: ["centres"],
  summary: "Open a new centre (an admin bound to no centre)",
  security: staffOrToken,
  request: { body: { required: true, content: { "application/json": { schema: CentreInput } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: CentreRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "conflict", "validation_failed"),
  },
});

export const createCentreRoute = createRouter().openapi(route, async (c) => {
  authorizeUnbound(c, "centre:manage");
  const input = c.req.valid("json");
  const { db, now, newId } = c.get("services");
  if (await slugTaken(db, input.slug)) {
    throw new ApiProblem("conflict", `The slug "${input.slug}" is already used by another centre`);
  }
  const id = newId();
  const at = now().toISOString();
  await db.batch([
    insertCentre(db, id, input, at),
    auditStatement(c, { action: "create", entity: "centre", entityId: id, centreId: id, after: input }),
  ]);
  const created = await getCentre(db, id);
  if (!created) throw new Error("centre vanished after insert");
  return c.json(created, 201);
});
