import { getUserByEmail, insertUser } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { permit } from "../../auth/middleware.js";
import { hashPassword } from "../../auth/password.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { authorizeScope, checkScope, isUniqueViolation, UserCreate } from "./common.js";
import { knownUser, UserRecord } from "./shared.js";

const route = defineRoute({
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

export const createUserRoute = createRouter().openapi(route, async (c) => {
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
});
