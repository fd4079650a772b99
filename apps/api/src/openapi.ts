import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import { type ProblemCode, problemResponses } from "./problem.js";

/** One OpenAPI security requirement: a scheme name and its scopes (none here). */
export type SecurityRequirement = Record<string, string[]>;

/** OpenAPI security requirements: staff sessions (cookie) or partner API tokens (bearer). */
export const staffOrToken: SecurityRequirement[] = [{ session: [] }, { token: [] }];
export const staffOnly: SecurityRequirement[] = [{ session: [] }];
/** Operations anyone may call: the health check, sign-in, the public directory, signed partner webhooks. */
export const publicAccess: SecurityRequirement[] = [];

const bodyMethods = new Set(["post", "put", "patch", "delete"]);

/**
 * The problems the app shell (app.ts) can answer on a route before or around its handler, so no route has
 * to remember them: a malformed, unknown or revoked `Authorization` header is refused on every route,
 * public ones included (401); on a write, a body over the size limit (413), a body that is not
 * `application/json` (415, except partner webhooks, which read their raw body themselves) and a signed-in
 * session without its CSRF token or from another origin (403); a JSON body that does not parse (400); any
 * declared body, path, query or header schema that does not hold (422); and on every route an unexpected
 * failure (500) or a Worker without its configuration (503).
 */
export function shellProblemCodes(route: Pick<RouteConfig, "method" | "path" | "request">): ProblemCode[] {
  const codes: ProblemCode[] = ["unauthenticated"];
  if (bodyMethods.has(route.method)) {
    codes.push("payload_too_large", "forbidden");
    if (!route.path.startsWith("/webhooks/")) codes.push("unsupported_media_type");
  }
  const request = route.request;
  if (request?.body?.content["application/json"]) codes.push("malformed_request");
  if (request?.body || request?.params || request?.query || request?.headers) codes.push("validation_failed");
  codes.push("internal", "unavailable");
  return codes;
}

type Responses = RouteConfig["responses"];

/** The route's own responses plus the shell's problems; a status the route declares gets the problem body too. */
function withShellProblems(route: Pick<RouteConfig, "method" | "path" | "request" | "responses">): Responses {
  const responses: Responses = { ...route.responses };
  for (const [status, problem] of Object.entries(problemResponses(...shellProblemCodes(route)))) {
    const declared = responses[status];
    if (declared === undefined) {
      responses[status] = problem;
    } else if (!("$ref" in declared) && !declared.content?.["application/problem+json"]) {
      responses[status] = {
        ...declared,
        description: `${declared.description}; ${problem.description}`,
        content: { ...declared.content, ...problem.content },
      };
    }
  }
  return responses;
}

/**
 * `createRoute` for every operation of the API: it must name its `operationId` (camelCase, resource and
 * verb: `listReferrals`) and its `security` (`publicAccess` for public operations), and it gets the
 * shell's problem responses (see `shellProblemCodes`). Handlers declare only the problems they raise.
 */
export function defineRoute<
  P extends string,
  R extends Omit<RouteConfig, "path"> & { path: P; operationId: string; security: SecurityRequirement[] },
>(route: R) {
  return createRoute<P, R>({ ...route, responses: withShellProblems(route) });
}
