import { type Permission, timingSafeEqual } from "@halte/core";
import {
  findLiveDoorDevice,
  findLiveSession,
  findLiveToken,
  stampDoorDeviceUse,
  stampTokenUse,
} from "@halte/db";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { ZodType } from "zod";
import type { AppEnv } from "../context.js";
import { describeError } from "../logger.js";
import { ApiProblem } from "../problem.js";
import { sha256Hex } from "./crypto.js";
import { noteDeviceStamp } from "./device-stamps.js";
import { type Principal, principalCan, reachesCentre } from "./principal.js";

export const SESSION_COOKIE = "halte_session";
/** The door device's credential (routes/door-devices): HttpOnly, only its SHA-256 is stored. */
export const DOOR_DEVICE_COOKIE = "halte_door";
export const TOKEN_PREFIX = "halte_pt_";

const encoder = new TextEncoder();

async function principalFromToken(c: Context<AppEnv>, presented: string): Promise<Principal> {
  const { db, now } = c.get("services");
  const at = now().toISOString();
  // A token acts for its partner only while that partner is active: archiving an organisation shuts
  // its integrations out at once, without a separate revocation step.
  const token = await findLiveToken(db, await sha256Hex(presented));
  if (!token || (token.expiresAt !== null && token.expiresAt <= at)) {
    throw new ApiProblem(
      "unauthenticated",
      "The API token is unknown, revoked or expired, or its organisation is archived",
      undefined,
      {
        "www-authenticate": 'Bearer realm="halte"',
      },
    );
  }
  // Last use is informational: writing it at most once a minute keeps token reads cheap.
  if (token.lastUsedAt === null || token.lastUsedAt < new Date(now().getTime() - 60_000).toISOString()) {
    c.executionCtx.waitUntil(
      stampTokenUse(db, token.id, at)
        .run()
        .then(
          () => undefined,
          // A missed "last used" stamp must not turn into an unhandled rejection after the answer.
          (error: unknown) =>
            c.get("services").logger.warn("token last-use not recorded", { error: describeError(error) }),
        ),
    );
  }
  return {
    kind: "token",
    id: token.id,
    role: "partner",
    centreId: token.centreId,
    partnerId: token.partnerId,
    partnerCentreIds: token.partnerCentreIds,
  };
}

async function principalFromSession(c: Context<AppEnv>, cookie: string): Promise<Principal | null> {
  const { db, now } = c.get("services");
  // A partner's staff act for it only while it is active: the archive revokes their sessions, and this
  // check refuses any that escaped it (a sign-in racing the archive).
  const row = await findLiveSession(db, await sha256Hex(cookie), now().toISOString());
  if (!row) return null;
  return {
    kind: "user",
    id: row.user.id,
    role: row.user.role,
    centreId: row.user.centreId,
    partnerId: row.user.partnerId,
    partnerCentreIds: row.partnerCentreIds,
    csrfToken: row.session.csrfToken,
    expiresAt: row.session.expiresAt,
  };
}

async function principalFromDoorDevice(c: Context<AppEnv>, cookie: string): Promise<Principal | null> {
  const { db, now } = c.get("services");
  // Revocation is effective at once: every request looks the device up, revoked ones are not found.
  const secretHash = await sha256Hex(cookie);
  const device = await findLiveDoorDevice(db, secretHash);
  if (!device) return null;
  const at = now();
  noteDeviceStamp(secretHash, at);
  if (device.lastUsedAt === null || device.lastUsedAt < new Date(at.getTime() - 60_000).toISOString()) {
    c.executionCtx.waitUntil(
      stampDoorDeviceUse(db, device.id, at.toISOString())
        .run()
        .then(
          () => undefined,
          (error: unknown) =>
            c
              .get("services")
              .logger.warn("door device last-use not recorded", { error: describeError(error) }),
        ),
    );
  }
  return {
    kind: "door",
    id: device.id,
    role: "reception",
    centreId: device.centreId,
    partnerId: null,
    csrfToken: device.csrfToken,
  };
}

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * The door writes whose credential check is folded into the write itself (`routes/visits/folded-tap.ts`):
 * for these, a cookie caller's session or device is not looked up first.
 */
const FOLDED_DOOR_WRITES = new Set(["POST /api/visits", "POST /api/visits/batch", "POST /api/service-uses"]);

/** A cookie credential whose look-up was deferred to the write: the cookie, and the CSRF token presented. */
export interface DeferredCredential {
  kind: "user" | "door";
  cookie: string;
  csrfToken: string;
}

/**
 * A deferred credential the ordinary path then looked up in the directory, with the moment that look-up began:
 * what a credential grant in a centre's database is written from (`auth/grants.ts`).
 */
export interface CheckedCredential extends DeferredCredential {
  checkedAt: string;
}

/** The session or door device behind the request's cookies, CSRF-checked for writes (as `authenticate`). */
async function principalFromCookies(c: Context<AppEnv>): Promise<void> {
  // A staff session wins over a door device's cookie on the same browser (a coordinator setting it up).
  const cookie = getCookie(c, SESSION_COOKIE);
  const sessionPrincipal = cookie ? await principalFromSession(c, cookie) : null;
  const doorCookie = sessionPrincipal ? undefined : getCookie(c, DOOR_DEVICE_COOKIE);
  if (cookie || doorCookie) {
    const principal = sessionPrincipal ?? (doorCookie ? await principalFromDoorDevice(c, doorCookie) : null);
    if ((principal?.kind === "user" || principal?.kind === "door") && unsafeMethods.has(c.req.method)) {
      const origin = c.req.header("origin");
      if (origin !== undefined && origin !== new URL(c.req.url).origin) {
        throw new ApiProblem("forbidden", "Cross-origin writes are refused");
      }
      const presented = c.req.header("x-csrf-token") ?? "";
      if (!timingSafeEqual(encoder.encode(presented), encoder.encode(principal.csrfToken))) {
        throw new ApiProblem("forbidden", "Missing or wrong x-csrf-token header");
      }
    }
    c.set("principal", principal);
  }
}

/**
 * The credential of a folded door write, when everything that needs no database holds: a cookie, a CSRF
 * token presented, no foreign `Origin`. Anything else takes the ordinary path, so it is refused as before.
 */
function deferrableCredential(c: Context<AppEnv>): DeferredCredential | null {
  if (!FOLDED_DOOR_WRITES.has(`${c.req.method} ${c.req.path}`)) return null;
  const csrfToken = c.req.header("x-csrf-token") ?? "";
  const origin = c.req.header("origin");
  if (csrfToken === "" || (origin !== undefined && origin !== new URL(c.req.url).origin)) return null;
  const session = getCookie(c, SESSION_COOKIE);
  if (session) return { kind: "user", cookie: session, csrfToken };
  const device = getCookie(c, DOOR_DEVICE_COOKIE);
  return device ? { kind: "door", cookie: device, csrfToken } : null;
}

/**
 * Finds who is calling: a bearer API token (partners, integrations) or a session cookie (staff). It does
 * not refuse anonymous calls — routes do, with `authorize` — but a cookie-authenticated write must carry
 * the session's CSRF token in `x-csrf-token` and, when the browser sends one, a same-origin `Origin`. On the
 * folded door writes a cookie's look-up is deferred (`deferredCredential`): the write checks it.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const authorization = c.req.header("authorization");
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]?.startsWith(TOKEN_PREFIX)) {
      throw new ApiProblem("unauthenticated", "Use `Authorization: Bearer halte_pt_…`");
    }
    c.set("principal", await principalFromToken(c, match[1]));
    return next();
  }
  const deferred = deferrableCredential(c);
  if (deferred) {
    c.set("deferredCredential", deferred);
    return next();
  }
  await principalFromCookies(c);
  return next();
};

/**
 * Looks a deferred credential up the ordinary way (after a folded write did not happen, or before a body
 * that does not validate is answered), so the caller gets exactly the answer `authenticate` would give.
 */
export async function resolveDeferredCredential(c: Context<AppEnv>): Promise<void> {
  const deferred = c.get("deferredCredential");
  if (!deferred) return;
  c.set("deferredCredential", null);
  // Taken before the read: a revocation fenced after this moment refuses a grant made from it.
  const checkedAt = c.get("services").now().toISOString();
  await principalFromCookies(c);
  c.set("checkedCredential", { ...deferred, checkedAt });
}

/** The authenticated caller, or a 401. */
export function requirePrincipal(c: Context<AppEnv>): Principal {
  const principal = c.get("principal");
  if (!principal) {
    throw new ApiProblem("unauthenticated", "Sign in or present an API token");
  }
  return principal;
}

/**
 * Refuses unless the caller's role holds `permission` and, when `centreId` is given, the caller may act
 * on that centre (`reachesCentre`: a partner caller, any centre its organisation works with). Answers 401 for anonymous callers and 403 otherwise.
 */
export function authorize(c: Context<AppEnv>, permission: Permission, centreId?: string): Principal {
  const principal = requirePrincipal(c);
  if (!principalCan(principal, permission)) {
    throw new ApiProblem("forbidden", `The ${principal.role} role cannot ${permission.replace(":", " ")}`);
  }
  if (centreId !== undefined && !reachesCentre(principal, centreId)) {
    throw new ApiProblem("forbidden", "This centre is not yours");
  }
  return principal;
}

/**
 * Refuses (403) unless the caller holds `permission` and is bound to no centre. Acts that reach every
 * centre at once — opening a new centre (it appears in the public directory), the all-centre retention
 * purge, the job log of every centre — belong to an admin of every centre, not to one centre's admin.
 */
export function authorizeUnbound(c: Context<AppEnv>, permission: Permission): Principal {
  const principal = authorize(c, permission);
  if (principal.centreId !== null) {
    throw new ApiProblem("forbidden", "Only an admin of every centre (bound to none) may do this");
  }
  return principal;
}

/**
 * Reading one record of another centre answers 404, not 403: a caller bound to a centre must not learn
 * which ids exist elsewhere. Partner callers also only see their own organisation's records, at the centres
 * their organisation works with.
 */
export function assertCentreVisible(principal: Principal, centreId: string): void {
  if (!reachesCentre(principal, centreId)) {
    throw new ApiProblem("not_found", "No such record");
  }
}

/**
 * Route middleware that refuses before the body is even validated: 401 for anonymous callers, 403 for a
 * role without any of `permissions`. Put it in `createRoute({ middleware: [permit(…)] })` so a caller who
 * may not use a route learns nothing about what it accepts; handlers still check the centre and the
 * organisation of the records they touch.
 */
export function permit(...permissions: Permission[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    assertPermits(c, permissions);
    await next();
  };
}

/** `permit`'s check: 401 for anonymous callers, 403 for a role without any of `permissions`. */
export function assertPermits(c: Context<AppEnv>, permissions: readonly Permission[]): Principal {
  const principal = requirePrincipal(c);
  if (permissions.length > 0 && !permissions.some((permission) => principalCan(principal, permission))) {
    throw new ApiProblem("forbidden", `The ${principal.role} role cannot use this route`);
  }
  return principal;
}

/**
 * `permit` for a folded door write: with a deferred credential and a body (and headers) that `schemas`
 * accept, the handler's write checks the caller; otherwise the caller is looked up and checked first, as
 * `permit` does, so a caller who may not use the route still learns nothing about what it accepts.
 */
export function permitFolded(
  schemas: { json: ZodType; header?: ZodType },
  ...permissions: Permission[]
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get("deferredCredential")) {
      const body: unknown = await c.req.json().catch(() => undefined);
      const valid =
        schemas.json.safeParse(body).success && (schemas.header?.safeParse(c.req.header()).success ?? true);
      if (valid) return next();
      await resolveDeferredCredential(c);
    }
    assertPermits(c, permissions);
    await next();
  };
}
