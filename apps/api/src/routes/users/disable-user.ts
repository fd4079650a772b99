import { disableUser, revokeSessions } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { userFenceScope, withFence } from "../../auth/grants.js";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { knownUser, managedUser, UserParams, UserRecord } from "./shared.js";

const route = defineRoute({
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

export const disableUserRoute = createRouter().openapi(route, async (c) => {
  const { userId } = c.req.valid("param");
  const before = await managedUser(c, userId);
  if (c.get("principal")?.id === userId) {
    throw new ApiProblem("conflict", "You cannot disable your own account");
  }
  if (before.disabledAt !== null) throw new ApiProblem("conflict", "The account is already disabled");
  const { db, now } = c.get("services");
  const at = now().toISOString();
  // Its sessions' door grants in centre databases go first: a disabled account never writes there again.
  await withFence(c, { actorIds: [userId], centres: userFenceScope(before) }, () =>
    db.batch([
      disableUser(db, userId, at),
      revokeSessions(db, userId, at),
      auditStatement(c, { action: "disable", entity: "user", entityId: userId, centreId: before.centreId }),
    ]),
  );
  return c.json(await knownUser(c, userId), 200);
});
