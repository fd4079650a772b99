import { getUserPassword, revokeSessions, setUserPassword } from "@halte/db";
import { getCookie } from "hono/cookie";
import { auditStatement } from "../../audit.js";
import { sha256Hex } from "../../auth/crypto.js";
import { userFenceScope, withFence } from "../../auth/grants.js";
import { permit, requirePrincipal, SESSION_COOKIE } from "../../auth/middleware.js";
import { hashPassword, verifyPassword } from "../../auth/password.js";
import { clearFailures, PASSWORD_CHANGE_LIMIT, recordFailure, retryAfter } from "../../auth/rate-limit.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { PasswordChange } from "./common.js";
import { knownUser, managedUser, UserParams } from "./shared.js";

const route = defineRoute({
  method: "post",
  path: "/users/{userId}/password",
  operationId: "setUserPassword",
  middleware: [permit()] as const,
  tags: ["users"],
  summary: "Set a password: an admin resets anyone's; a user changes their own with the current one",
  description: "Every other session of the user is ended.",
  security: staffOnly,
  request: {
    params: UserParams,
    body: { required: true, content: { "application/json": { schema: PasswordChange } } },
  },
  responses: {
    204: { description: "Changed" },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "validation_failed",
      "rate_limited",
    ),
  },
});

export const setUserPasswordRoute = createRouter().openapi(route, async (c) => {
  const { userId } = c.req.valid("param");
  const { password, currentPassword } = c.req.valid("json");
  const principal = requirePrincipal(c);
  const { db, now } = c.get("services");
  const self = principal.kind === "user" && principal.id === userId;
  // Anyone else's password is an admin's to reset: refuse others before saying whether the user exists.
  const user = self ? await knownUser(c, userId) : await managedUser(c, userId);
  // A session left open on a shared tablet must not become a way to guess the password and take the
  // account: wrong current passwords are limited like sign-ins.
  const attemptsKey = `password-change:${userId}`;
  if (self) {
    const wait = await retryAfter(db, attemptsKey, PASSWORD_CHANGE_LIMIT, now());
    if (wait > 0) {
      throw new ApiProblem(
        "rate_limited",
        `Too many wrong current passwords; try again in ${wait} s`,
        [
          {
            path: ["currentPassword"],
            code: "invalid",
            message: `At most ${PASSWORD_CHANGE_LIMIT.max} wrong current passwords every 15 minutes`,
          },
        ],
        {
          "retry-after": String(wait),
        },
      );
    }
    const stored = await getUserPassword(db, userId);
    if (!stored || currentPassword === undefined || !(await verifyPassword(currentPassword, stored))) {
      await recordFailure(db, attemptsKey, PASSWORD_CHANGE_LIMIT, now());
      throw new ApiProblem("validation_failed", "The current password is wrong", [
        { path: ["currentPassword"], code: "invalid_value", message: "Wrong current password" },
      ]);
    }
  }
  const at = now().toISOString();
  // The session this change is made from stays open; every other one ends.
  const keep = self ? await sha256Hex(getCookie(c, SESSION_COOKIE) ?? "") : undefined;
  const passwordHash = await hashPassword(password);
  // The sessions' door grants in centre databases go first (the kept session's too: it earns a new one).
  await withFence(c, { actorIds: [userId], centres: userFenceScope(user) }, () =>
    db.batch([
      setUserPassword(db, userId, passwordHash, at),
      revokeSessions(db, userId, at, keep),
      clearFailures(db, attemptsKey),
      auditStatement(c, {
        action: self ? "change_password" : "reset_password",
        entity: "user",
        entityId: userId,
        centreId: user.centreId,
      }),
    ]),
  );
  return c.body(null, 204);
});
