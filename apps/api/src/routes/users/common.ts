import { Id, Role } from "@halte/core";
import { getCentre, getPartner } from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { authorize } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { ApiProblem } from "../../problem.js";

export const Password = z.string().min(12, "Use at least 12 characters").max(1024);

export const UserFields = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: Role,
  /** Required for every role but admin; an admin without a centre administers every centre. */
  centreId: Id.nullable().default(null),
  /** Required for the partner role: the organisation whose referrals the user sees. */
  partnerId: Id.nullable().default(null),
});

export const UserCreate = UserFields.extend({ email: z.email().max(254), password: Password }).openapi(
  "UserInput",
);

export const UserUpdate = UserFields.openapi("UserUpdate");

export const PasswordChange = z
  .strictObject({ password: Password, currentPassword: z.string().max(1024).optional() })
  .openapi("PasswordChange");

/** Role, centre and organisation must agree: a partner user belongs to one partner of its centre. */
export async function checkScope(c: Context<AppEnv>, fields: z.infer<typeof UserFields>) {
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
export function authorizeScope(c: Context<AppEnv>, centreId: string | null) {
  const principal = authorize(c, "users:manage", centreId ?? undefined);
  if (principal.centreId !== null && centreId === null) {
    throw new ApiProblem("forbidden", "Only an admin of every centre can give access to every centre");
  }
  return principal;
}

export function isUniqueViolation(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : String(error);
  return /UNIQUE constraint failed/i.test(text);
}
