import { z } from "@hono/zod-openapi";

export const AuditEntry = z
  .object({
    id: z.int(),
    centreId: z.string().nullable(),
    actorType: z.string(),
    actorId: z.string().nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    diff: z.record(z.string(), z.unknown()).nullable(),
    at: z.string(),
  })
  .openapi("AuditEntry");
