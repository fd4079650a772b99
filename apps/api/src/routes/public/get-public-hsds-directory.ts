import { LanguageCode, toHsdsDirectory } from "@halte/core";
import { getCentreBySlug, listPartners, listServices } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { defineRoute, publicAccess } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { HsdsServicePage } from "./hsds-schema.js";
import { MAX_SERVICES } from "./shared.js";

const route = defineRoute({
  method: "get",
  path: "/public/centres/{slug}/hsds.json",
  operationId: "getPublicHsdsDirectory",
  security: publicAccess,
  tags: ["public"],
  summary: "A centre's service directory as an HSDS 3.0 document (services with their organisations)",
  description:
    "No sign-in; a stable URL for other directories to harvest. The same data as the directory page. " +
    "`?language=` writes names and descriptions from the services' translations where they have one.",
  request: {
    params: z.object({ slug: z.string().min(1).max(64) }),
    query: z.object({ language: LanguageCode.optional() }),
  },
  responses: {
    200: {
      description: "An HSDS 3.0 service page (`contents`: the services, each with its organization)",
      content: { "application/json": { schema: HsdsServicePage } },
    },
    ...problemResponses("not_found", "validation_failed"),
  },
});

export const getPublicHsdsDirectoryRoute = createRouter().openapi(route, async (c) => {
  const { db, dbs } = c.get("services");
  const centre = await getCentreBySlug(db, c.req.valid("param").slug);
  if (!centre || centre.archivedAt !== null) throw new ApiProblem("not_found", "No such centre");
  const { language } = c.req.valid("query");
  // Partners (the organisations) are in the directory; the centre's services in its own database.
  const centreDb = await dbs.dbFor(centre.id);
  const [partners, services] = await Promise.all([
    listPartners(db, { centreId: centre.id, limit: MAX_SERVICES }),
    listServices(centreDb, { centreId: centre.id, limit: MAX_SERVICES }),
  ]);
  const document = toHsdsDirectory(centre, partners, services, language === undefined ? {} : { language });
  // Core's interfaces are readonly; the wire schema describes the same shape.
  return c.json(document as unknown as z.infer<typeof HsdsServicePage>, 200, {
    "cache-control": "public, max-age=300",
  });
});
