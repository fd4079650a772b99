import { archiveService } from "@halte/db";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { archiveRecord } from "../archive.js";
import { ServiceParams, ServiceRecord } from "./schema.js";
import { visibleService, withOpeningStatus } from "./shared.js";

const route = defineRoute({
  method: "post",
  path: "/services/{serviceId}/archive",
  operationId: "archiveService",
  tags: ["services"],
  summary: "Archive a service; its uses and figures are kept. Archiving twice changes nothing",
  security: staffOrToken,
  middleware: [permit("services:manage")] as const,
  request: { params: ServiceParams },
  responses: {
    200: { description: "Archived", content: { "application/json": { schema: ServiceRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

export const archiveServiceRoute = createRouter().openapi(route, async (c) => {
  const { service: before, db } = await visibleService(c, c.req.valid("param").serviceId, "services:manage");
  const at = c.get("services").now();
  if (before.archivedAt !== null) return c.json(withOpeningStatus(before, at), 200);
  const archived = await archiveRecord(c, "service", before, archiveService, undefined, db);
  return c.json(withOpeningStatus(archived, at), 200);
});
