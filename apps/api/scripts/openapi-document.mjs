#!/usr/bin/env node
// Writes the OpenAPI document exactly as the built Worker serves it to dist/openapi.json, for checkers that
// read a file (`redocly lint` in `npm test`). It runs dist/worker.js (made by `wrangler deploy --dry-run`)
// in workerd through Miniflare, with an empty in-memory D1 and throwaway secrets, and asks it for
// GET /api/openapi.json: no network, no wrangler dev, and no second copy of the document to drift.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { apiDir } from "./wrangler.mjs";

const secret = () => randomBytes(32).toString("base64");
const mf = new Miniflare({
  modules: true,
  scriptPath: join(apiDir, "dist", "worker.js"),
  // Keep in step with wrangler.jsonc.
  compatibilityDate: "2026-04-20",
  compatibilityFlags: ["nodejs_compat"],
  d1Databases: ["DB"],
  bindings: { ENVIRONMENT: "test", VISITOR_CODE_SECRET: secret(), WEBHOOK_SECRETS_KEY: secret() },
  outboundService: () => new Response("no network here", { status: 503 }),
});
try {
  const response = await mf.dispatchFetch("http://localhost/api/openapi.json");
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /api/openapi.json answered ${response.status}: ${text}`);
  const out = join(apiDir, "dist", "openapi.json");
  writeFileSync(out, `${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  console.log(`wrote ${out}`);
} finally {
  await mf.dispose();
}
