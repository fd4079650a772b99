import { Id } from "@halte/core";
import { listDoorDevices } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { DoorDeviceRecord } from "./schema.js";

const listRoute = defineRoute({
  method: "get",
  path: "/door-devices",
  operationId: "listDoorDevices",
  middleware: [permit("door-devices:manage")] as const,
  tags: ["door-devices"],
  summary: "List a centre's door devices, revoked ones included",
  security: staffOrToken,
  request: { query: z.object({ centreId: Id.optional() }) },
  responses: {
    200: {
      description: "The devices, oldest first",
      content: { "application/json": { schema: z.object({ items: z.array(DoorDeviceRecord) }) } },
    },
    ...problemResponses("unauthenticated", "forbidden", "validation_failed"),
  },
});

export const listDoorDevicesRoutes = createRouter().openapi(listRoute, async (c) => {
  const { centreId } = c.req.valid("query");
  const principal = authorize(c, "door-devices:manage", centreId);
  const items = await listDoorDevices(c.get("services").db, principal.centreId ?? centreId ?? null);
  return c.json({ items }, 200);
});
