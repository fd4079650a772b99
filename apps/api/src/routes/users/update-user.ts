import { revokeSessions, updateUser } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { userFenceScope, withFence } from "../../auth/grants.js";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { authorizeScope, checkScope, UserUpdate } from "./common.js";
import { knownUser, managedUser, UserParams, UserRecord } from "./shared.js";

const route = defineRoute({
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

export const updateUserRoute = createRouter().openapi(route, async (c) => {
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
  const write = () =>
    db.batch([
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
  // A changed role or centre: the sessions' door grants in centre databases, old and new, go first.
  const [was, becomes] = [userFenceScope(before), userFenceScope(fields)];
  const centres = was === "all" || becomes === "all" ? "all" : [...was, ...becomes];
  await (roleChanged ? withFence(c, { actorIds: [userId], centres }, write) : write());
  return c.json(await knownUser(c, userId), 200);
});
