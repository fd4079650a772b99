import { Hono } from "hono";

// The reference for the POST /api/visits benchmark: the same D1 insert into the same table, with none of
// the product's work (no authentication, validation, centre lookup, time-zone day, audit row).
const app = new Hono<{ Bindings: { DB: D1Database } }>();

app.get("/health", (c) => c.text("ok"));

app.post("/visits", async (c) => {
  const body = await c.req.json<{ centreId: string; arrivedAt: string; idempotencyKey?: string }>();
  const id = crypto.randomUUID();
  const at = new Date().toISOString();
  await c.env.DB.prepare(
    "INSERT INTO visits (id, centre_id, arrived_at, local_day, languages, idempotency_key, created_at, updated_at) VALUES (?, ?, ?, ?, '[]', ?, ?, ?)",
  )
    .bind(id, body.centreId, body.arrivedAt, body.arrivedAt.slice(0, 10), body.idempotencyKey ?? null, at, at)
    .run();
  return c.json({ id }, 201);
});

// wrangler needs the Worker as the module's default export.
export default app;
