import { z } from "@hono/zod-openapi";
import { defineRoute, publicAccess } from "../openapi.js";
import { createRouter } from "../router.js";

const Health = z
  .object({
    status: z.enum(["ok", "degraded"]),
    database: z.object({
      reachable: z.boolean(),
      /** The last migration applied, e.g. `0003_referral_history.sql`. */
      migration: z.string().nullable(),
      migrationsApplied: z.int(),
    }),
  })
  .openapi("Health");

const getHealth = defineRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  security: publicAccess,
  tags: ["health"],
  summary: "Is the API up, can it reach D1, and which migration is applied",
  responses: {
    200: { description: "Up", content: { "application/json": { schema: Health } } },
    503: { description: "D1 unreachable", content: { "application/json": { schema: Health } } },
  },
});

export const healthRoutes = createRouter().openapi(getHealth, async (c) => {
  try {
    const result = await c.env.DB.prepare(
      "SELECT name, (SELECT count(*) FROM d1_migrations) AS applied FROM d1_migrations ORDER BY id DESC LIMIT 1",
    ).first<{ name: string; applied: number }>();
    return c.json(
      {
        status: "ok" as const,
        database: {
          reachable: true,
          migration: result?.name ?? null,
          migrationsApplied: result?.applied ?? 0,
        },
      },
      200,
    );
  } catch {
    return c.json(
      { status: "degraded" as const, database: { reachable: false, migration: null, migrationsApplied: 0 } },
      503,
    );
  }
});
