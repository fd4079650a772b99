import { findSignInUser } from "@halte/db";
import { setCookie } from "hono/cookie";
import { auditStatement } from "../../audit.js";
import { sha256Hex } from "../../auth/crypto.js";
import { SESSION_COOKIE } from "../../auth/middleware.js";
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
import { Credentials, SessionInfo } from "./shared.js";

const route = defineRoute({
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

export const signInRoute = createRouter().openapi(route, async (c) => {
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
});
