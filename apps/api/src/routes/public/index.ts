import { LanguageCode, openingStatus, type Service, toHsdsDirectory } from "@halte/core";
import { getCentreBySlug, listPartners, listServices } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { defineRoute, publicAccess } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { OpeningStatus } from "../services/schema.js";
import { HsdsServicePage } from "./hsds-schema.js";
import { listPublicCentresRoute } from "./list-centres.js";

// The public directory's read model: what a person at the door of a centre may learn without signing in.
// Only public texts (names, descriptions, place, languages, opening hours) leave here: no provider ids,
// capacities or use counts.
const PublicService = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    category: z.string(),
    languages: z.array(z.string()),
    location: z.string().nullable(),
    translations: z.record(
      z.string(),
      z.object({ name: z.string(), description: z.string().optional(), location: z.string().optional() }),
    ),
    openingStatus: OpeningStatus,
  })
  .openapi("PublicService");

const PublicDirectory = z
  .object({
    centre: z.object({
      name: z.string(),
      slug: z.string(),
      address: z.string().nullable(),
      timeZone: z.string(),
      languages: z.array(z.string()),
    }),
    services: z.array(PublicService),
  })
  .openapi("PublicDirectory");

const directoryRoute = defineRoute({
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

// A centre lists at most this many services in the directory; more would not be readable on a phone anyway.
const MAX_SERVICES = 200;

function publicStatus(service: Service, at: Date): z.infer<typeof OpeningStatus> {
  if (service.status !== "active") return { open: false, closesAt: null, nextOpensAt: null };
  const status = openingStatus(service.schedule, at);
  return status.open
    ? { open: true, closesAt: status.closesAt?.toISOString() ?? null, nextOpensAt: null }
    : { open: false, closesAt: null, nextOpensAt: status.nextOpensAt?.toISOString() ?? null };
}

const hsdsRoute = defineRoute({
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

export const publicRoutes = createRouter()
  .route("/", listPublicCentresRoute)
  .openapi(hsdsRoute, async (c) => {
    const { db } = c.get("services");
    const centre = await getCentreBySlug(db, c.req.valid("param").slug);
    if (!centre || centre.archivedAt !== null) throw new ApiProblem("not_found", "No such centre");
    const { language } = c.req.valid("query");
    const [partners, services] = await Promise.all([
      listPartners(db, { centreId: centre.id, limit: MAX_SERVICES }),
      listServices(db, { centreId: centre.id, limit: MAX_SERVICES }),
    ]);
    const document = toHsdsDirectory(centre, partners, services, language === undefined ? {} : { language });
    // Core's interfaces are readonly; the wire schema describes the same shape.
    return c.json(document as unknown as z.infer<typeof HsdsServicePage>, 200, {
      "cache-control": "public, max-age=300",
    });
  })
  .openapi(directoryRoute, async (c) => {
    const { db, now } = c.get("services");
    const centre = await getCentreBySlug(db, c.req.valid("param").slug);
    if (!centre || centre.archivedAt !== null) throw new ApiProblem("not_found", "No such centre");
    const rows = await listServices(db, { centreId: centre.id, limit: MAX_SERVICES });
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
