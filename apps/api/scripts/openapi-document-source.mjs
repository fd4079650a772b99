// Writes the Worker's OpenAPI document — exactly what `GET /api/openapi.json` answers — to a file, from the
// sources, without a network or a build: the app is imported and asked in-process. Run with tsx (the app is
// TypeScript): `tsx apps/api/scripts/openapi-document-source.mjs <out.json>`. The admin site generates its
// client types from it (apps/admin/scripts/api-types.ts, docs/admin.md): the admin builds before the Worker
// (which serves the admin's files), so it cannot read the built Worker's document the way
// scripts/openapi-document.mjs does for `redocly lint`.
import { writeFileSync } from "node:fs";
import { app } from "../src/worker.ts";

// Placeholder secrets: the `/api/*` middleware checks the configuration before any route answers, and the
// document depends on none of it.
const placeholder = btoa("openapi-document-placeholder-key!");
const env = {
  DB: {},
  ENVIRONMENT: "test",
  VISITOR_CODE_SECRET: placeholder,
  WEBHOOK_SECRETS_KEY: placeholder,
};

const out = process.argv[2];
if (!out) {
  console.error("usage: tsx apps/api/scripts/openapi-document-source.mjs <out.json>");
  process.exit(2);
}
// The request log line goes to the console: keep stdout for the caller by silencing it here.
const log = console.log;
console.log = () => undefined;
const response = await app.request("/api/openapi.json", {}, env);
console.log = log;
if (response.status !== 200) {
  console.error(`GET /api/openapi.json answered ${response.status}: ${await response.text()}`);
  process.exit(1);
}
writeFileSync(out, `${JSON.stringify(await response.json(), null, 2)}\n`);
