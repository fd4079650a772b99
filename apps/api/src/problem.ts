import type { FieldError } from "@halte/core";
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * Every non-2xx answer is an RFC 9457 problem details body with one of these stable codes. The code → status
 * mapping lives here and nowhere else.
 */
export const problemStatus = {
  malformed_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  illegal_transition: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ProblemCode = keyof typeof problemStatus;

const titles: Record<ProblemCode, string> = {
  malformed_request: "The request could not be read",
  unauthenticated: "Sign in first",
  forbidden: "Your role does not allow this",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  conflict: "Conflicts with the current state",
  illegal_transition: "This status change is not allowed",
  payload_too_large: "The request body is too large",
  unsupported_media_type: "Unsupported content type",
  validation_failed: "Some fields are not valid",
  rate_limited: "Too many attempts, try again later",
  internal: "Something went wrong on our side",
  unavailable: "The service is temporarily unavailable",
};

/** The problem details body, as documented in the OpenAPI document. */
export const ProblemDetails = z
  .object({
    type: z.string().openapi({ example: "https://halte.app/problems/validation_failed" }),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.enum(Object.keys(problemStatus) as [ProblemCode, ...ProblemCode[]]),
    errors: z
      .array(
        z.object({ path: z.array(z.union([z.string(), z.int()])), code: z.string(), message: z.string() }),
      )
      .optional(),
  })
  .openapi("ProblemDetails");
export type ProblemDetails = z.infer<typeof ProblemDetails>;

/** Thrown by handlers and middleware for expected refusals; the app's error handler renders it. */
export class ApiProblem extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly errors?: readonly FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? titles[code]);
    this.name = "ApiProblem";
  }
}

/** Builds the problem details body for a code. */
export function problemBody(
  code: ProblemCode,
  instance: string,
  detail?: string,
  errors?: readonly FieldError[],
): ProblemDetails {
  return {
    type: `https://halte.app/problems/${code}`,
    title: titles[code],
    status: problemStatus[code],
    ...(detail === undefined ? {} : { detail }),
    instance,
    code,
    ...(errors === undefined ? {} : { errors: errors.map((e) => ({ ...e, path: [...e.path] })) }),
  };
}

/** Renders a problem as an `application/problem+json` response. */
export function problemResponse(c: Context, problem: ApiProblem): Response {
  const body = problemBody(problem.code, new URL(c.req.url).pathname, problem.detail, problem.errors);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": "application/problem+json", ...problem.headers },
  });
}

/** OpenAPI response entries for the problems a route can answer with. */
export function problemResponses(...codes: ProblemCode[]) {
  const responses: Record<
    number,
    { description: string; content: Record<string, { schema: typeof ProblemDetails }> }
  > = {};
  for (const code of codes) {
    const status = problemStatus[code];
    responses[status] = {
      description: responses[status] ? `${responses[status].description}; ${titles[code]}` : titles[code],
      content: { "application/problem+json": { schema: ProblemDetails } },
    };
  }
  return responses;
}
