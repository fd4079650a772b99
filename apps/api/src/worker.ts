// Must stay the first import: see zod-openapi.ts.
import "./zod-openapi.js";
import { createApp } from "./app.js";
import type { Env } from "./env.js";
import { runScheduled } from "./jobs/index.js";
import { consumeJobQueue, isJobQueue } from "./jobs/queue.js";
import { apiRoutes } from "./routes/index.js";
import { consumeWebhookQueue } from "./routes/webhooks/delivery.js";

export const app = createApp().route("/api", apiRoutes);

/** The route types, for `hono/client`: `hc<AppType>("https://…")` gives partners a typed client. */
export type AppType = typeof app;

// wrangler needs the Worker as the module's default export.
export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  queue: (batch, env) =>
    isJobQueue(batch.queue)
      ? consumeJobQueue(batch, env)
      : consumeWebhookQueue(batch as MessageBatch<{ deliveryId: string }>, env),
  scheduled: (controller, env, ctx) => ctx.waitUntil(runScheduled(controller, env)),
} satisfies ExportedHandler<Env>;
