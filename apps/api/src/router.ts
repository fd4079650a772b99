import { toFieldErrors } from "@halte/core";
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "./context.js";
import { ApiProblem } from "./problem.js";

async function validationInput(c: Context, target: string): Promise<unknown> {
  switch (target) {
    case "json":
      return c.req.json().catch(() => undefined);
    case "query":
      return c.req.query();
    case "param":
      return c.req.param();
    default:
      return undefined;
  }
}

/**
 * A router whose validation failures become problem details. Every resource router is made with it so
 * the zod hook is wired in one place.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: async (result, c) => {
      if (!result.success) {
        const input = await validationInput(c, result.target);
        const errors = toFieldErrors(result.error.issues, input).map((e) => ({
          ...e,
          path: result.target === "json" ? e.path : [result.target, ...e.path],
        }));
        throw new ApiProblem("validation_failed", `The ${result.target} has invalid fields`, errors);
      }
    },
  });
}
