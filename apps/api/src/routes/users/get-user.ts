import { permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { managedUser, UserParams, UserRecord } from "./shared.js";

const route = defineRoute({
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

export const getUserRoute = createRouter().openapi(route, async (c) => {
  return c.json(await managedUser(c, c.req.valid("param").userId), 200);
});
