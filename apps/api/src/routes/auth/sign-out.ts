import { revokeSession } from "@halte/db";
import { deleteCookie, getCookie } from "hono/cookie";
import { auditStatement } from "../../audit.js";
import { sha256Hex } from "../../auth/crypto.js";
import { userFenceScope, withFence } from "../../auth/grants.js";
import { permit, requirePrincipal, SESSION_COOKIE } from "../../auth/middleware.js";
import { defineRoute } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";

const route = defineRoute({
  method: "post",
  path: "/auth/logout",
  operationId: "signOut",
  middleware: [permit()] as const,
  tags: ["auth"],
  summary: "Sign out: the session is revoked on the server",
  security: [{ session: [] }],
  responses: {
    204: { description: "Signed out" },
    ...problemResponses("unauthenticated", "forbidden"),
  },
});

export const signOutRoute = createRouter().openapi(route, async (c) => {
  const principal = requirePrincipal(c);
  if (principal.kind !== "user") throw new ApiProblem("unauthenticated", "API tokens have no session");
  const { db, now } = c.get("services");
  const cookie = getCookie(c, SESSION_COOKIE) ?? "";
  // Its door grants in centre databases go first: a signed-out session never writes there again.
  await withFence(c, { actorIds: [principal.id], centres: userFenceScope(principal) }, async () =>
    db.batch([
      revokeSession(db, await sha256Hex(cookie), now().toISOString()),
      auditStatement(c, {
        action: "logout",
        entity: "session",
        entityId: principal.id,
        centreId: principal.centreId,
      }),
    ]),
  );
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
  return c.body(null, 204);
});
