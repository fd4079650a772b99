import { contentSecurityPolicy } from "@halte/core";
import type { Context } from "hono";
import type { AppEnv } from "./context.js";
import type { WorkerConfig } from "./env.js";
import { ApiProblem } from "./problem.js";

/** The files of the reference, built into the static assets from the pinned swagger-ui-dist (apps/admin). */
const REFERENCE_FILES = new Set(["swagger-ui-bundle.js", "swagger-ui.css", "start.js"]);

/**
 * The reference page loads only its own files: no inline script (Swagger UI starts from `start.js`), no
 * CDN, requests only to this origin (the OpenAPI document, "try it out"), never framed.
 */
const REFERENCE_CSP = contentSecurityPolicy({
  "default-src": "'none'",
  "script-src": "'self'",
  "style-src": "'self'",
  "img-src": "'self' data:",
  "connect-src": "'self'",
  "base-uri": "'none'",
  "form-action": "'none'",
  "frame-ancestors": "'none'",
});

const REFERENCE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Halte API reference</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/start.js"></script>
</body>
</html>
`;

/** Production serves no API reference unless `API_REFERENCE=enabled`; other environments do. */
export function apiReferenceEnabled(config: WorkerConfig): boolean {
  return config.API_REFERENCE === undefined
    ? config.ENVIRONMENT !== "production"
    : config.API_REFERENCE === "enabled";
}

function assertEnabled(c: Context<AppEnv>): void {
  if (!apiReferenceEnabled(c.get("services").config)) {
    throw new ApiProblem("not_found", "The API reference is not served here; read /api/openapi.json");
  }
}

/** `GET /api/docs`: the Swagger UI page, where enabled. */
export function apiReferencePage(c: Context<AppEnv>): Response {
  assertEnabled(c);
  return new Response(REFERENCE_PAGE, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": REFERENCE_CSP,
    },
  });
}

/** `GET /api/docs/{file}`: the reference's static files, read from the assets binding, where enabled. */
export async function apiReferenceFile(c: Context<AppEnv>): Promise<Response> {
  assertEnabled(c);
  const file = c.req.param("file") ?? "";
  if (!REFERENCE_FILES.has(file) || !c.env.ASSETS) {
    throw new ApiProblem("not_found", `No file ${file} in the API reference`);
  }
  const asset = await c.env.ASSETS.fetch(new URL(`/api/docs/${file}`, c.req.url));
  if (!asset.ok) throw new ApiProblem("not_found", `No file ${file} in the API reference`);
  // A fresh response: the binding's headers are immutable, and the security headers go on next.
  return new Response(asset.body, {
    headers: {
      "content-type": asset.headers.get("content-type") ?? "application/octet-stream",
      "cache-control": "public, max-age=3600",
    },
  });
}
