import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { ServiceParams, ServiceRecord } from "./schema.js";
import { visibleService, withOpeningStatus } from "./shared.js";

const route = defineRoute({
  method: "get",
  path: "/services/{serviceId}",
  operationId: "getService",
  tags: ["services"],
  summary: "Get a service and whether it is open now (until when) or when it next opens",
  security: staffOrToken,
  middleware: [permit("services:read")] as const,
  request: { params: ServiceParams },
  responses: {
    200: { description: "The service", content: { "application/json": { schema: ServiceRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

export const getServiceRoute = createRouter().openapi(route, async (c) => {
  const { service } = await visibleService(c, c.req.valid("param").serviceId, "services:read");
  return c.json(withOpeningStatus(service, c.get("services").now()), 200);
});
