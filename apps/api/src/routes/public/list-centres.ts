import { listCentres } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { defineRoute, publicAccess } from "../../openapi.js";
import { createRouter } from "../../router.js";

const PublicCentre = z
  .object({
    name: z.string(),
    slug: z.string(),
    address: z.string().nullable(),
    languages: z.array(z.string()),
  })
  .openapi("PublicCentre");

const listCentresRoute = defineRoute({
  method: "get",
  path: "/public/centres",
  operationId: "listPublicCentres",
  security: publicAccess,
  tags: ["public"],
  summary: "Every open centre with a public directory: name, address, languages and the directory's slug",
  description:
    "No sign-in: the page `/directory` lists them. Archived centres are left out; at most 500 centres.",
  responses: {
    200: {
      description: "The centres, by name",
      content: { "application/json": { schema: z.object({ centres: z.array(PublicCentre) }) } },
    },
  },
});

// A federation runs tens of centres, not thousands: one page is enough for a list a person reads.
const MAX_CENTRES = 500;

export const listPublicCentresRoute = createRouter().openapi(listCentresRoute, async (c) => {
  const { db } = c.get("services");
  const centres = (await listCentres(db, { limit: MAX_CENTRES }))
    .slice(0, MAX_CENTRES)
    .map((centre) => ({
      name: centre.name,
      slug: centre.slug,
      address: centre.address ?? null,
      languages: centre.languages,
    }))
    .sort((a, b) => a.name.localeCompare(b.name, "fr") || a.slug.localeCompare(b.slug));
  return c.json({ centres }, 200, { "cache-control": "public, max-age=300" });
});
