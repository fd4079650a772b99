import { findSession } from "@halte/db";
import { getCookie } from "hono/cookie";
import { sha256Hex } from "../../auth/crypto.js";
import { permit, requirePrincipal, SESSION_COOKIE } from "../../auth/middleware.js";
import { defineRoute } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { SessionInfo } from "./shared.js";

const route = defineRoute({
  method: "get",
  path: "/auth/session",
  operationId: "getSession",
  middleware: [permit()] as const,
  tags: ["auth"],
  summary: "Who am I, and the CSRF token for writes",
  security: [{ session: [] }],
  responses: {
    200: { description: "The current session", content: { "application/json": { schema: SessionInfo } } },
    ...problemResponses("unauthenticated"),
  },
});

export const getSessionRoute = createRouter().openapi(route, async (c) => {
  const principal = requirePrincipal(c);
  if (principal.kind !== "user") throw new ApiProblem("unauthenticated", "API tokens have no session");
  const { db } = c.get("services");
  const cookie = getCookie(c, SESSION_COOKIE) ?? "";
  const row = await findSession(db, await sha256Hex(cookie));
  if (!row) throw new ApiProblem("unauthenticated");
  return c.json(
    {
      user: {
        id: row.user.id,
        name: row.user.name,
        email: row.user.email,
        role: row.user.role,
        centreId: row.user.centreId,
        partnerId: row.user.partnerId,
      },
      csrfToken: row.session.csrfToken,
      expiresAt: row.session.expiresAt,
    },
    200,
  );
});
