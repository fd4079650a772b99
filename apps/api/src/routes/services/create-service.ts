import { getCentre, getService, insertService } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { ServiceCreate, ServiceRecord } from "./schema.js";
import { checkOrganization, withOpeningStatus } from "./shared.js";

const route = defineRoute({
  method: "post",
  path: "/services",
  operationId: "createService",
  tags: ["services"],
  summary: "Add a service (HSDS-aligned) with its schedule, exceptions and capacities",
  description:
    "The centre is named by `centreId` in the body; `organizationId` must be a current partner of that centre.",
  security: staffOrToken,
  middleware: [permit("services:manage")] as const,
  request: { body: { required: true, content: { "application/json": { schema: ServiceCreate } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: ServiceRecord } } },
    ...problemResponses("malformed_request", "unauthenticated", "forbidden", "validation_failed"),
  },
});

export const createServiceRoute = createRouter().openapi(route, async (c) => {
  const { centreId, ...input } = c.req.valid("json");
  authorize(c, "services:manage", centreId);
  const { db: directory, dbs, now, newId } = c.get("services");
  if (!(await getCentre(directory, centreId))) {
    throw new ApiProblem("validation_failed", "Unknown centre", [
      { path: ["centreId"], code: "invalid_value", message: "No such centre" },
    ]);
  }
  // A service is one of its centre's rows: it and its audit row go to the centre's own database.
  const db = await dbs.dbFor(centreId);
  await checkOrganization(db, input.organizationId, centreId, directory);
  const id = newId();
  await db.batch([
    insertService(db, id, centreId, input, now().toISOString()),
    auditStatement(c, { action: "create", entity: "service", entityId: id, centreId, after: input }, db),
  ]);
  const created = await getService(db, id);
  if (!created) throw new Error("service vanished after insert");
  return c.json(withOpeningStatus(created, now()), 201);
});
