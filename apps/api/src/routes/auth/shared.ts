import { Role } from "@halte/core";
import { z } from "@hono/zod-openapi";

export const Credentials = z
  .strictObject({
    email: z.email().max(254),
    password: z.string().min(1).max(1024),
  })
  .openapi("Credentials");

export const SessionInfo = z
  .object({
    user: z.object({
      id: z.string(),
      name: z.string(),
      email: z.string(),
      role: Role,
      centreId: z.string().nullable(),
      partnerId: z.string().nullable(),
    }),
    /** Send it back in `x-csrf-token` on every write made with the session cookie. */
    csrfToken: z.string(),
    expiresAt: z.string(),
  })
  .openapi("Session");
