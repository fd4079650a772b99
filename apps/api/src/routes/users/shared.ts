// What the users routes share: the wire shape of an account, its path parameter and how one is found.
import { Role } from "@halte/core";
import { getUser } from "@halte/db";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { authorize } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { ApiProblem } from "../../problem.js";

export const UserRecord = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: Role,
    centreId: z.string().nullable(),
    partnerId: z.string().nullable(),
    disabledAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("User");
export const UserParams = z.object({ userId: z.string().min(1).max(64) });

/**
 * The user an admin may manage: another centre's user (or an admin of every centre, seen from a centre)
 * answers 404, as for any record a centre-bound caller cannot see.
 */
export async function managedUser(c: Context<AppEnv>, userId: string) {
  const principal = authorize(c, "users:manage");
  const user = await getUser(c.get("services").db, userId);
  if (!user || (principal.centreId !== null && user.centreId !== principal.centreId)) {
    throw new ApiProblem("not_found", "No such user");
  }
  return user;
}

/** A user known to exist (just written, or the caller themself). */
export async function knownUser(c: Context<AppEnv>, userId: string) {
  const user = await getUser(c.get("services").db, userId);
  if (!user) throw new Error(`user ${userId} vanished after its write`);
  return user;
}
