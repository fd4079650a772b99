import { type ListServicesOptions, listServices } from "@halte/db";
import { assertCentreVisible, authorize, permit } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { decodeCursor, toPage } from "../../pagination.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { pageAcross } from "../pages-across.js";
import { ServiceListQuery, ServicePage } from "./schema.js";
import { listOpenServices, withOpeningStatus } from "./shared.js";

const route = defineRoute({
  method: "get",
  path: "/services",
  operationId: "listServices",
  tags: ["services"],
  summary: "List a centre's services, by category, status or provider, or only those open at an instant",
  security: staffOrToken,
  middleware: [permit("services:read")] as const,
  request: { query: ServiceListQuery },
  responses: {
    200: { description: "A page of services", content: { "application/json": { schema: ServicePage } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

export const listServicesRoute = createRouter().openapi(route, async (c) => {
  const principal = authorize(c, "services:read");
  const { limit, cursor, centreId, category, status, organizationId, openAt, includeArchived } =
    c.req.valid("query");
  if (centreId !== undefined) assertCentreVisible(principal, centreId);
  const { now } = c.get("services");
  const afterId = decodeCursor(cursor);
  const centre = centreId ?? principal.centreId ?? undefined;
  const options: ListServicesOptions = {
    centreId: centre ?? null,
    limit,
    includeArchived,
    ...(afterId ? { afterId } : {}),
    ...(category ? { category } : {}),
    ...(status ? { status } : {}),
    ...(organizationId ? { organizationId } : {}),
  };
  // Every centre's database for an admin of all centres listing all: one page merged in id order.
  const rows = await pageAcross(
    c.get("services").dbs,
    centre === undefined ? "all" : [centre],
    "asc",
    (db) => (openAt === undefined ? listServices(db, options) : listOpenServices(db, options, openAt)),
  );
  const page = toPage(rows, limit);
  const at = now();
  return c.json(
    { items: page.items.map((service) => withOpeningStatus(service, at)), nextCursor: page.nextCursor },
    200,
  );
});
