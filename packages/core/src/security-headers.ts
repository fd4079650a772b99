/**
 * The HTTP security headers of every answer, in one place: the Worker sets them on its own answers, and the
 * admin site's build writes them into the `_headers` file the static-asset router applies to every page.
 * Kept here because both need the same values and core is what they share (it is data, no I/O).
 */

/** A Content-Security-Policy as directive → sources. */
export type CspDirectives = Readonly<Record<string, string>>;

/**
 * The admin site and public directory: every script, style, image and request from the site's own origin,
 * no inline script or style, no plug-ins, never framed. uPlot and Preact set styles through the CSSOM,
 * which `style-src 'self'` does not block; `data:` images are CSS icons.
 */
export const SITE_CSP: CspDirectives = {
  "default-src": "'self'",
  "script-src": "'self'",
  "style-src": "'self'",
  "img-src": "'self' data:",
  "font-src": "'self'",
  "connect-src": "'self'",
  "worker-src": "'self'",
  "manifest-src": "'self'",
  "object-src": "'none'",
  "base-uri": "'none'",
  "form-action": "'self'",
  "frame-ancestors": "'none'",
};

/** An API answer (JSON, CSV, problem details) loads nothing and is framed by nobody. */
export const API_CSP: CspDirectives = {
  "default-src": "'none'",
  "base-uri": "'none'",
  "form-action": "'none'",
  "frame-ancestors": "'none'",
};

/** Renders directives as a header value. */
export function contentSecurityPolicy(directives: CspDirectives): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources}`)
    .join("; ");
}

/**
 * The headers besides the CSP that every answer carries: HTTPS only for two years (HSTS), no MIME sniffing,
 * no referrer sent to other sites (the directory links to partners' sites; a path can name a centre), no
 * framing for browsers without `frame-ancestors`, a window of its own, no camera, microphone or location.
 *
 * @example
 * const response = new Response("{}");
 * for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
 * response.headers.get("x-content-type-options"); // "nosniff"
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "strict-transport-security": "max-age=63072000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

/**
 * The `_headers` file of Workers static assets (and Cloudflare Pages): one rule for every path of the
 * site, with `SECURITY_HEADERS` and the site's CSP.
 *
 * @example
 * const file = staticHeadersFile();
 * file.split("\n")[0]; // "/*"
 * file.includes("  X-Content-Type-Options: nosniff"); // true
 */
export function staticHeadersFile(): string {
  const canonical = (name: string) =>
    name.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => dash + letter.toUpperCase());
  const lines = ["/*", `  Content-Security-Policy: ${contentSecurityPolicy(SITE_CSP)}`];
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) lines.push(`  ${canonical(name)}: ${value}`);
  return `${lines.join("\n")}\n`;
}
