import { z } from "@hono/zod-openapi";

/** `?includeArchived=true` on list routes: archived records are hidden unless asked for. */
export const IncludeArchived = z
  .enum(["true", "false"])
  .optional()
  .transform((value) => value === "true")
  .openapi({ description: "Also list archived records" });
