import { capacityOn, localDateOf } from "@halte/core";
import { getCapacityReport, serviceUsesOn } from "@halte/db";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { CapacityQuery, ServiceCapacity, ServiceParams } from "./schema.js";
import { visibleService } from "./shared.js";

const route = defineRoute({
  method: "get",
  path: "/services/{serviceId}/capacity",
  operationId: "getServiceCapacity",
  tags: ["services"],
  summary: "A day's capacity of a service, the uses recorded that day and what remains",
  security: staffOrToken,
  middleware: [permit("services:read")] as const,
  request: { params: ServiceParams, query: CapacityQuery },
  responses: {
    200: { description: "Capacity", content: { "application/json": { schema: ServiceCapacity } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

export const getServiceCapacityRoute = createRouter().openapi(route, async (c) => {
  const { service, db } = await visibleService(c, c.req.valid("param").serviceId, "services:read");
  const { now } = c.get("services");
  const date = c.req.valid("query").date ?? localDateOf(now(), service.schedule.timeZone);
  const capacity = capacityOn(service.schedule, date);
  const used = await serviceUsesOn(db, service.centreId, service.id, date);
  const daily = capacity.daily ?? null;
  const report = await getCapacityReport(db, service.id, date);
  return c.json(
    {
      serviceId: service.id,
      date,
      dailyCapacity: daily,
      used,
      remaining: daily === null ? null : Math.max(0, daily - used),
      slots: capacity.slots,
      partnerReport: report
        ? { available: report.available, note: report.note, occurredAt: report.occurredAt }
        : null,
    },
    200,
  );
});
