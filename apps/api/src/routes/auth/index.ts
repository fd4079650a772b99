import { findSession, findSignInUser, revokeSession } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { auditStatement } from "../../audit.js";
import { sha256Hex } from "../../auth/crypto.js";
import { permit, requirePrincipal, SESSION_COOKIE } from "../../auth/middleware.js";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "../../auth/password.js";
import {
  clearFailures,
  failuresInWindow,
  LOGIN_LIMITS,
  loginDelayMs,
  recordFailure,
  retryAfter,
} from "../../auth/rate-limit.js";
import { createSession, SESSION_TTL_MS } from "../../auth/sessions.js";
import { defineRoute, publicAccess } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";

const Credentials = z
  .strictObject({
    email: z.email().max(254),
    password: z.string().min(1).max(1024),
  })
  .openapi("Credentials");

const SessionInfo = z
  .object({
    user: z.object({
      id: z.string(),
      name: z.string(),
      email: z.string(),
      role: z.string(),
      centreId: z.string().nullable(),
      partnerId: z.string().nullable(),
    }),
    /** Send it back in `x-csrf-token` on every write made with the session cookie. */
    csrfToken: z.string(),
    expiresAt: z.string(),
  })
  .openapi("Session");

const loginRoute = defineRoute({
  method: "post",
  path: "/auth/login",
  operationId: "signIn",
  security: publicAccess,
  tags: ["auth"],
  summary: "Sign in with email and password; sets the session cookie",
  request: { body: { required: true, content: { "application/json": { schema: Credentials } } } },
  responses: {
    200: { description: "Signed in", content: { "application/json": { schema: SessionInfo } } },
    ...problemResponses("unauthenticated", "validation_failed", "rate_limited"),
  },
});

const sessionRoute = defineRoute({
  method: "get",
  path: "/auth/session",
  operationId: "getSession",
  middleware: [permit()] as const,
  tags: ["auth"],
  summary: "Who am I, and the CSRF token for writes",
  security: [{ session: [] }],
  responses: {
    200: { description: "The current session", content: { "application/json": { schema: SessionInfo } } },
    ...problemResponses("unauthenticated"),
  },
});

const logoutRoute = defineRoute({
  method: "post",
  path: "/auth/logout",
  operationId: "signOut",
  middleware: [permit()] as const,
  tags: ["auth"],
  summary: "Sign out: the session is revoked on the server",
  security: [{ session: [] }],
  responses: {
    204: { description: "Signed out" },
    ...problemResponses("unauthenticated", "forbidden"),
  },
});

export const authRoutes = createRouter()
  .openapi(loginRoute, async (c) => {
    const { db, now } = c.get("services");
    const { email, password } = c.req.valid("json");
    const at = now();
    const account = await sha256Hex(email.toLowerCase());
    const address = c.req.header("cf-connecting-ip") ?? "local";
    const accountAddressKey = `login:account-address:${account}:${address}`;
    const addressKey = `login:address:${address}`;
    const accountKey = `login:account:${account}`;
    const wait = Math.max(
      await retryAfter(db, accountAddressKey, LOGIN_LIMITS.accountAddress, at),
      await retryAfter(db, addressKey, LOGIN_LIMITS.address, at),
    );
    if (wait > 0) {
      throw new ApiProblem("rate_limited", `Too many failed sign-ins; try again in ${wait} s`, undefined, {
        "retry-after": String(wait),
      });
    }
    // Failures from every address slow this account's sign-ins down but never refuse the right password:
    // otherwise anyone could lock reception out of the door page from elsewhere.
    const delayMs = loginDelayMs(await failuresInWindow(db, accountKey, LOGIN_LIMITS.account, at));
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    // The staff of an archived partner are refused like an unknown account (same answer, same work).
    const user = await findSignInUser(db, email);
    const stored = user
      ? { hash: user.passwordHash, salt: user.passwordSalt, iterations: user.passwordIterations }
      : DUMMY_PASSWORD_HASH;
    const valid = await verifyPassword(password, stored);
    if (!user || !valid) {
      await db.batch([
        recordFailure(db, accountAddressKey, LOGIN_LIMITS.accountAddress, at),
        recordFailure(db, addressKey, LOGIN_LIMITS.address, at),
        recordFailure(db, accountKey, LOGIN_LIMITS.account, at),
      ]);
      throw new ApiProblem("unauthenticated", "Wrong email or password");
    }
    const session = await createSession(db, user.id, at);
    c.set("principal", {
      kind: "user",
      id: user.id,
      role: user.role,
      centreId: user.centreId,
      partnerId: user.partnerId,
      csrfToken: session.csrfToken,
    });
    await db.batch([
      session.statement,
      // The account-wide count stays: an attack from elsewhere goes on being slowed after this sign-in.
      clearFailures(db, accountAddressKey),
      auditStatement(c, { action: "login", entity: "session", entityId: user.id, centreId: user.centreId }),
    ]);
    setCookie(c, SESSION_COOKIE, session.cookie, {
      httpOnly: true,
      secure: true,
      sameSite: "Strict",
      path: "/",
      maxAge: SESSION_TTL_MS / 1000,
    });
    return c.json(
      {
        user: {
          id: user.id,
          name: user.name,
          email: user.email,
          role: user.role,
          centreId: user.centreId,
          partnerId: user.partnerId,
        },
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt.toISOString(),
      },
      200,
    );
  })
  .openapi(sessionRoute, async (c) => {
    const principal = requirePrincipal(c);
    if (principal.kind !== "user") throw new ApiProblem("unauthenticated", "API tokens have no session");
    const { db } = c.get("services");
    const cookie = getCookie(c, SESSION_COOKIE) ?? "";
    const row = await findSession(db, await sha256Hex(cookie));
    if (!row) throw new ApiProblem("unauthenticated");
    return c.json(
      {
        user: {
          id: row.user.id,
          name: row.user.name,
          email: row.user.email,
          role: row.user.role,
          centreId: row.user.centreId,
          partnerId: row.user.partnerId,
        },
        csrfToken: row.session.csrfToken,
        expiresAt: row.session.expiresAt,
      },
      200,
    );
  })
  .openapi(logoutRoute, async (c) => {
    const principal = requirePrincipal(c);
    if (principal.kind !== "user") throw new ApiProblem("unauthenticated", "API tokens have no session");
    const { db, now } = c.get("services");
    const cookie = getCookie(c, SESSION_COOKIE) ?? "";
    await db.batch([
      revokeSession(db, await sha256Hex(cookie), now().toISOString()),
      auditStatement(c, {
        action: "logout",
        entity: "session",
        entityId: principal.id,
        centreId: principal.centreId,
      }),
    ]);
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
    return c.body(null, 204);
  });
