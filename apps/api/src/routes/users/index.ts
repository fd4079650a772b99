import { Id, Role } from "@halte/core";
import {
  disableUser,
  getCentre,
  getPartner,
  getUserByEmail,
  getUserPassword,
  insertUser,
  listUsers,
  revokeSessions,
  setUserPassword,
  updateUser,
} from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { auditStatement } from "../../audit.js";
import { sha256Hex } from "../../auth/crypto.js";
import { authorize, permit, requirePrincipal, SESSION_COOKIE } from "../../auth/middleware.js";
import { hashPassword, verifyPassword } from "../../auth/password.js";
import { clearFailures, PASSWORD_CHANGE_LIMIT, recordFailure, retryAfter } from "../../auth/rate-limit.js";
import type { AppEnv } from "../../context.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { decodeCursor, PageQuery, pageOf, toPage } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { enableUserRoutes } from "./enable-user.js";
import { knownUser, managedUser, UserParams, UserRecord } from "./shared.js";

const Password = z.string().min(12, "Use at least 12 characters").max(1024);
const UserFields = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: Role,
  /** Required for every role but admin; an admin without a centre administers every centre. */
  centreId: Id.nullable().default(null),
  /** Required for the partner role: the organisation whose referrals the user sees. */
  partnerId: Id.nullable().default(null),
});
const UserCreate = UserFields.extend({ email: z.email().max(254), password: Password }).openapi("UserInput");
const UserUpdate = UserFields.openapi("UserUpdate");
const PasswordChange = z
  .strictObject({ password: Password, currentPassword: z.string().max(1024).optional() })
  .openapi("PasswordChange");

/** Role, centre and organisation must agree: a partner user belongs to one partner of its centre. */
async function checkScope(c: Context<AppEnv>, fields: z.infer<typeof UserFields>) {
  const { db } = c.get("services");
  const errors = [];
  if (fields.role !== "admin" && fields.centreId === null) {
    errors.push({
      path: ["centreId"],
      code: "required" as const,
      message: "Only an admin may work for every centre",
    });
  }
  if (fields.centreId !== null && !(await getCentre(db, fields.centreId))) {
    errors.push({ path: ["centreId"], code: "invalid_value" as const, message: "No such centre" });
  }
  if (fields.role === "partner") {
    const partner = fields.partnerId ? await getPartner(db, fields.partnerId) : null;
    if (!partner || partner.centreId !== fields.centreId) {
      errors.push({
        path: ["partnerId"],
        code: "invalid_value" as const,
        message: "A partner of the user's centre is required",
      });
    }
  } else if (fields.partnerId !== null) {
    errors.push({
      path: ["partnerId"],
      code: "invalid_value" as const,
      message: "Only partner users belong to a partner",
    });
  }
  if (errors.length > 0)
    throw new ApiProblem("validation_failed", "The user's role and scope do not agree", errors);
}

/** A centre-bound admin can neither create nor make an account that works for every centre. */
function authorizeScope(c: Context<AppEnv>, centreId: string | null) {
  const principal = authorize(c, "users:manage", centreId ?? undefined);
  if (principal.centreId !== null && centreId === null) {
    throw new ApiProblem("forbidden", "Only an admin of every centre can give access to every centre");
  }
  return principal;
}

function isUniqueViolation(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : String(error);
  return /UNIQUE constraint failed/i.test(text);
}

const listRoute = defineRoute({
  method: "get",
  path: "/users",
  operationId: "listUsers",
  tags: ["users"],
  summary: "List staff accounts (admin)",
  security: staffOnly,
  middleware: [permit("users:manage")] as const,
  request: {
    query: PageQuery.extend({
      centreId: Id.optional(),
      role: Role.optional(),
      includeDisabled: z.enum(["true", "false"]).optional(),
    }),
  },
  responses: {
    200: {
      description: "A page of users",
      content: { "application/json": { schema: pageOf(UserRecord, "User") } },
    },
    ...problemResponses("unauthenticated", "forbidden", "validation_failed"),
  },
});

const createUserRoute = defineRoute({
  method: "post",
  path: "/users",
  operationId: "createUser",
  tags: ["users"],
  summary: "Create a staff account (admin)",
  security: staffOnly,
  middleware: [permit("users:manage")] as const,
  request: { body: { required: true, content: { "application/json": { schema: UserCreate } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: UserRecord } } },
    ...problemResponses("malformed_request", "unauthenticated", "forbidden", "conflict", "validation_failed"),
  },
});

const getRoute = defineRoute({
  method: "get",
  path: "/users/{userId}",
  operationId: "getUser",
  tags: ["users"],
  summary: "Get a staff account (admin)",
  security: staffOnly,
  middleware: [permit("users:manage")] as const,
  request: { params: UserParams },
  responses: {
    200: { description: "The user", content: { "application/json": { schema: UserRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

const updateRoute = defineRoute({
  method: "put",
  path: "/users/{userId}",
  operationId: "updateUser",
  tags: ["users"],
  summary: "Change a user's name, role, centre or organisation (admin)",
  security: staffOnly,
  middleware: [permit("users:manage")] as const,
  request: {
    params: UserParams,
    body: { required: true, content: { "application/json": { schema: UserUpdate } } },
  },
  responses: {
    200: { description: "Updated", content: { "application/json": { schema: UserRecord } } },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "conflict",
      "validation_failed",
    ),
  },
});

const disableRoute = defineRoute({
  method: "post",
  path: "/users/{userId}/disable",
  operationId: "disableUser",
  tags: ["users"],
  summary: "Disable an account and end all its sessions (admin)",
  security: staffOnly,
  middleware: [permit("users:manage")] as const,
  request: { params: UserParams },
  responses: {
    200: { description: "Disabled", content: { "application/json": { schema: UserRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "conflict"),
  },
});

const passwordRoute = defineRoute({
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

export const userRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const { limit, cursor, centreId, role, includeDisabled } = c.req.valid("query");
    const principal = authorize(c, "users:manage", centreId);
    const rows = await listUsers(c.get("services").db, {
      centreId: centreId ?? principal.centreId,
      afterId: decodeCursor(cursor),
      limit,
      includeDisabled: includeDisabled === "true",
      ...(role ? { role } : {}),
    });
    return c.json(toPage(rows, limit), 200);
  })
  .openapi(createUserRoute, async (c) => {
    const { email, password, ...fields } = c.req.valid("json");
    authorizeScope(c, fields.centreId);
    await checkScope(c, fields);
    const { db, now, newId } = c.get("services");
    const conflict = new ApiProblem("conflict", "An account with this email exists");
    if (await getUserByEmail(db, email)) throw conflict;
    const id = newId();
    try {
      await db.batch([
        insertUser(db, { id, email, ...fields, password: await hashPassword(password) }, now().toISOString()),
        auditStatement(c, {
          action: "create",
          entity: "user",
          entityId: id,
          centreId: fields.centreId,
          after: { email, ...fields },
        }),
      ]);
    } catch (error) {
      // Two admins creating the same email at once: the unique index decides.
      if (isUniqueViolation(error)) throw conflict;
      throw error;
    }
    return c.json(await knownUser(c, id), 201);
  })
  .openapi(getRoute, async (c) => {
    return c.json(await managedUser(c, c.req.valid("param").userId), 200);
  })
  .openapi(updateRoute, async (c) => {
    const { userId } = c.req.valid("param");
    const fields = c.req.valid("json");
    const before = await managedUser(c, userId);
    const principal = authorizeScope(c, fields.centreId);
    const roleChanged =
      fields.role !== before.role ||
      fields.centreId !== before.centreId ||
      fields.partnerId !== before.partnerId;
    if (roleChanged && principal.id === userId) {
      throw new ApiProblem("conflict", "Another admin must change your own role or centre");
    }
    await checkScope(c, fields);
    const { db, now } = c.get("services");
    const at = now().toISOString();
    await db.batch([
      updateUser(db, userId, fields, at),
      // A narrower role must take effect now, not when today's sessions expire.
      ...(roleChanged ? [revokeSessions(db, userId, at)] : []),
      auditStatement(c, {
        action: "update",
        entity: "user",
        entityId: userId,
        centreId: fields.centreId,
        before,
        after: fields,
      }),
    ]);
    return c.json(await knownUser(c, userId), 200);
  })
  .openapi(disableRoute, async (c) => {
    const { userId } = c.req.valid("param");
    const before = await managedUser(c, userId);
    if (c.get("principal")?.id === userId) {
      throw new ApiProblem("conflict", "You cannot disable your own account");
    }
    if (before.disabledAt !== null) throw new ApiProblem("conflict", "The account is already disabled");
    const { db, now } = c.get("services");
    const at = now().toISOString();
    await db.batch([
      disableUser(db, userId, at),
      revokeSessions(db, userId, at),
      auditStatement(c, { action: "disable", entity: "user", entityId: userId, centreId: before.centreId }),
    ]);
    return c.json(await knownUser(c, userId), 200);
  })
  .openapi(passwordRoute, async (c) => {
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
    await db.batch([
      setUserPassword(db, userId, await hashPassword(password), at),
      revokeSessions(db, userId, at, keep),
      clearFailures(db, attemptsKey),
      auditStatement(c, {
        action: self ? "change_password" : "reset_password",
        entity: "user",
        entityId: userId,
        centreId: user.centreId,
      }),
    ]);
    return c.body(null, 204);
  })
  .route("/", enableUserRoutes);
