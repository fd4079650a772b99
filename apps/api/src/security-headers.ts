import { API_CSP, contentSecurityPolicy, SECURITY_HEADERS } from "@halte/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./context.js";

const apiPolicy = contentSecurityPolicy(API_CSP);
const securityHeaderEntries = Object.entries(SECURITY_HEADERS);

/**
 * Adds the security headers to every answer of the Worker, errors included. A route that serves a page
 * (the API reference, the printable lessons guide) sets its own, looser Content-Security-Policy; every
 * other answer gets the API's, which loads nothing. An answer to an authenticated caller is never stored by
 * a browser or a proxy (`no-store`): it may carry personal data. Anonymous answers keep the caching their
 * route chose (the public directory's), else `no-store` too.
 */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const headers = c.res.headers;
  for (const [name, value] of securityHeaderEntries) headers.set(name, value);
  if (!headers.has("content-security-policy")) headers.set("content-security-policy", apiPolicy);
  const authenticated =
    c.get("principal") != null ||
    c.req.header("authorization") !== undefined ||
    c.req.header("cookie") !== undefined;
  if (authenticated || !headers.has("cache-control")) headers.set("cache-control", "no-store");
};
