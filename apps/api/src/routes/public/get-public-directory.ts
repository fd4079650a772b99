import { getCentreBySlug, listServices } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { defineRoute, publicAccess } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { MAX_SERVICES, PublicDirectory, publicStatus } from "./shared.js";

const route = defineRoute({
  method: "get",
  path: "/public/centres/{slug}/services",
  operationId: "getPublicDirectory",
  security: publicAccess,
  tags: ["public"],
  summary:
    "A centre's public service directory: which services are open now, until when, or when they next open",
  description: "No sign-in: this is what the public directory page (`/directory/{slug}`) reads.",
  request: { params: z.object({ slug: z.string().min(1).max(64) }) },
  responses: {
    200: { description: "The directory", content: { "application/json": { schema: PublicDirectory } } },
    ...problemResponses("not_found"),
  },
});

export const getPublicDirectoryRoute = createRouter().openapi(route, async (c) => {
  const { db, dbs, now } = c.get("services");
  const centre = await getCentreBySlug(db, c.req.valid("param").slug);
  if (!centre || centre.archivedAt !== null) throw new ApiProblem("not_found", "No such centre");
  // The centre is found in the directory; its services are in its own database.
  const rows = await listServices(await dbs.dbFor(centre.id), { centreId: centre.id, limit: MAX_SERVICES });
  const at = now();
  const services = rows
    .slice(0, MAX_SERVICES)
    .filter((service) => service.status !== "defunct")
    .map((service) => ({
      id: service.id,
      name: service.name,
      description: service.description ?? null,
      category: service.category,
      languages: service.languages,
      location: service.location ?? null,
      translations: service.translations,
      openingStatus: publicStatus(service, at),
    }));
  return c.json(
    {
      centre: {
        name: centre.name,
        slug: centre.slug,
        address: centre.address ?? null,
        timeZone: centre.openingHours.timeZone,
        languages: centre.languages,
      },
      services,
    },
    200,
  );
});
