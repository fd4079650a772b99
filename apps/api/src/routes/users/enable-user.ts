import { enableUser } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { knownUser, managedUser, UserParams, UserRecord } from "./shared.js";

const enableRoute = defineRoute({
  method: "post",
  path: "/users/{userId}/enable",
  operationId: "enableUser",
  tags: ["users"],
  summary: "Re-enable a disabled account (admin)",
  description:
    "The account may sign in again with its password; the sessions ended when it was disabled stay ended. " +
    "Enabling an account that is not disabled answers 409 `conflict`.",
  security: staffOnly,
  middleware: [permit("users:manage")] as const,
  request: { params: UserParams },
  responses: {
    200: { description: "Enabled", content: { "application/json": { schema: UserRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "conflict"),
  },
});

export const enableUserRoutes = createRouter().openapi(enableRoute, async (c) => {
  const { userId } = c.req.valid("param");
  const before = await managedUser(c, userId);
  if (before.disabledAt === null) throw new ApiProblem("conflict", "The account is not disabled");
  const { db, now } = c.get("services");
  const at = now().toISOString();
  await db.batch([
    enableUser(db, userId, at),
    auditStatement(c, { action: "enable", entity: "user", entityId: userId, centreId: before.centreId }),
  ]);
  return c.json(await knownUser(c, userId), 200);
});
