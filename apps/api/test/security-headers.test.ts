// Issue 12, finding 3: every answer of the Worker carries the security headers, and every answer to an
// authenticated caller is `no-store`. The operations are read from the OpenAPI document, so a route added
// later is checked without anyone remembering to add it here.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { type ApiResponse, api, type Caller, callHandler, givenCentre, signedIn } from "./helpers.js";

const placeholder = "0190f000-0000-7000-8000-000000000000";
let operations: Array<{ method: string; path: string }> = [];

beforeAll(async () => {
  const document = await api("GET", "/api/openapi.json");
  operations = Object.entries(document.body.paths as Record<string, Record<string, unknown>>).flatMap(
    ([path, methods]) =>
      Object.keys(methods).map((method) => ({
        method: method.toUpperCase(),
        path: path.replace(/\{[^}]+\}/g, placeholder),
      })),
  );
});

function expectSecurityHeaders(response: ApiResponse, what: string): void {
  const csp = response.headers.get("content-security-policy") ?? "";
  expect(csp, `${what}: content-security-policy`).toContain("frame-ancestors 'none'");
  expect(csp, what).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(csp, what).toMatch(/default-src '(none|self)'/);
  expect(response.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(response.headers.get("referrer-policy"), what).toBe("no-referrer");
  expect(response.headers.get("strict-transport-security"), what).toMatch(/^max-age=\d{8,}/);
  expect(response.headers.get("x-frame-options"), what).toBe("DENY");
}

async function call(method: string, path: string, as?: Caller): Promise<ApiResponse> {
  const body = method === "GET" || method === "DELETE" ? undefined : {};
  return api(method, path, { ...(as ? { as } : {}), ...(body ? { body } : {}) });
}

describe("security headers on every route of the OpenAPI document", () => {
  it("lists the operations", () => {
    expect(operations.length).toBeGreaterThan(60);
  });

  it("on every answer to an anonymous caller", async () => {
    for (const { method, path } of operations) {
      expectSecurityHeaders(await call(method, path), `anonymous ${method} ${path}`);
    }
  });

  it("on every answer to a signed-in admin, never stored (no-store)", async () => {
    for (const { method, path } of operations) {
      // A fresh session each time: the sign-out route would end a shared one.
      const response = await call(method, path, await signedIn("admin"));
      const what = `admin ${method} ${path} (${response.status})`;
      expectSecurityHeaders(response, what);
      expect(response.headers.get("cache-control"), what).toBe("no-store");
    }
  });

  it("on answers outside the document: the OpenAPI document itself, an unknown route, a refusal", async () => {
    for (const path of ["/api/openapi.json", "/api/no-such-route", "/api/users"]) {
      const response = await api("GET", path);
      expectSecurityHeaders(response, path);
      expect(response.headers.get("cache-control"), path).toBe("no-store");
    }
  });

  it("on the printable lessons guide, whose one inline stylesheet is allowed by its hash only", async () => {
    const centreId = await givenCentre();
    const observer = await signedIn("observer", { centreId });
    const page = await api("GET", `/api/lessons/guide?centreId=${centreId}&format=html`, { as: observer });
    expect(page.status).toBe(200);
    expectSecurityHeaders(page, "lessons guide");
    expect(page.headers.get("cache-control")).toBe("no-store");
    const style = /<style>([\s\S]*?)<\/style>/.exec(page.body as string)?.[1] ?? "";
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(style));
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("script-src");
  });
});

describe("the API reference (issue 12, finding 2)", () => {
  it("is a page of its own files under a CSP without inline script: no CDN, no inline script", async () => {
    const page = await api("GET", "/api/docs");
    expect(page.status).toBe(200);
    expectSecurityHeaders(page, "/api/docs");
    const html = page.body as string;
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources).toEqual([
      "/api/docs/swagger-ui.css",
      "/api/docs/swagger-ui-bundle.js",
      "/api/docs/start.js",
    ]);
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]+<\/script>|<style/);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
  });

  it("serves the pinned Swagger UI files from the site's own assets", async () => {
    for (const file of ["swagger-ui-bundle.js", "swagger-ui.css", "start.js"]) {
      const response = await api("GET", `/api/docs/${file}`);
      expect(response.status, file).toBe(200);
      expectSecurityHeaders(response, file);
      expect(String(response.body).length, file).toBeGreaterThan(100);
    }
    expect((await api("GET", "/api/docs/start.js")).body).toContain('url: "/api/openapi.json"');
    expect((await api("GET", "/api/docs/index.html")).status).toBe(404);
  });

  it("is not served in production unless API_REFERENCE=enabled", async () => {
    const production = { bindings: { ENVIRONMENT: "production" } };
    expect((await callHandler("GET", "/api/docs", production)).status).toBe(404);
    expect((await callHandler("GET", "/api/docs/start.js", production)).status).toBe(404);
    expect((await callHandler("GET", "/api/openapi.json", production)).status).toBe(200);
    const staging = { bindings: { ENVIRONMENT: "production", API_REFERENCE: "enabled" } };
    expect((await callHandler("GET", "/api/docs", staging)).status).toBe(200);
  });
});

/** The site's pages: each staff page, sign-in and the public directory are index.html, routed in the browser. */
const sitePages = [
  "/",
  "/sign-in",
  "/door",
  "/dashboards",
  "/network",
  "/lessons",
  "/audit",
  "/users",
  "/services",
  "/partners",
  "/referrals",
  "/directory/halte-de-jour",
];

describe("security headers on every static page and file of the admin site (_headers)", () => {
  async function asset(path: string): Promise<ApiResponse> {
    const assets = env.ASSETS as Fetcher;
    const response = await assets.fetch(`https://halte.test${path}`, {
      headers: { "sec-fetch-mode": "navigate" },
    });
    return { status: response.status, headers: response.headers, body: await response.text() };
  }

  it("on every page, with the site's strict policy: scripts and styles only from the site itself", async () => {
    for (const path of sitePages) {
      const page = await asset(path);
      expect(page.status, path).toBe(200);
      expect(page.headers.get("content-type"), path).toMatch(/^text\/html/);
      expectSecurityHeaders(page, path);
      const csp = page.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("style-src 'self'");
      // The built page has no inline script or style that the policy would block.
      expect(page.body as string, path).not.toMatch(
        /<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle="|\son\w+="/,
      );
    }
  });

  it("on every file of the build: the service worker and every file it keeps for offline use", async () => {
    const worker = await asset("/sw.js");
    const shell = JSON.parse(/const SHELL = (\[.*?\]);/.exec(worker.body as string)?.[1] ?? "[]") as string[];
    expect(shell.length).toBeGreaterThan(5);
    for (const path of ["/sw.js", ...shell]) expectSecurityHeaders(await asset(path), path);
  });
});
