import { getCentre, insertDoorDevice } from "@halte/db";
import { setCookie } from "hono/cookie";
import { auditStatement } from "../../audit.js";
import { csrfKeyedHash, randomSecret, sha256Hex } from "../../auth/crypto.js";
import { authorize, DOOR_DEVICE_COOKIE, permit } from "../../auth/middleware.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { DoorDeviceInput, DoorDeviceSetUp } from "./schema.js";

/** Browsers keep a cookie at most 400 days; a device is revoked, not left to expire. */
const DEVICE_COOKIE_MAX_AGE_S = 400 * 24 * 60 * 60;

const setUpRoute = defineRoute({
  method: "post",
  path: "/door-devices",
  operationId: "setUpDoorDevice",
  middleware: [permit("door-devices:manage")] as const,
  tags: ["door-devices"],
  summary: "Make the calling browser a door device of one centre (coordinator or admin, signed in)",
  description:
    "Sets an HttpOnly `halte_door` cookie on this browser: from then on, with no staff session, it records " +
    "at the door of that centre (arrivals, service uses, their undo, today's counts) and nothing else, " +
    "through closed tabs and offline starts, until revoked. Only the cookie's SHA-256 is stored. Writes " +
    "carry the returned CSRF token in `x-csrf-token`, as for sessions.",
  security: staffOnly,
  request: { body: { required: true, content: { "application/json": { schema: DoorDeviceInput } } } },
  responses: {
    201: { description: "Set up", content: { "application/json": { schema: DoorDeviceSetUp } } },
    ...problemResponses("unauthenticated", "forbidden", "validation_failed"),
  },
});

export const setUpDoorDeviceRoutes = createRouter().openapi(setUpRoute, async (c) => {
  const input = c.req.valid("json");
  const principal = authorize(c, "door-devices:manage", input.centreId);
  if (principal.kind !== "user")
    throw new ApiProblem("forbidden", "A signed-in coordinator sets a door device up");
  const { db, now, newId } = c.get("services");
  const centre = await getCentre(db, input.centreId);
  if (!centre || centre.archivedAt !== null) {
    throw new ApiProblem("validation_failed", "No such centre", [
      { path: ["centreId"], code: "invalid_value", message: "No such centre, or it is archived" },
    ]);
  }
  const secret = randomSecret(32);
  const csrfToken = randomSecret(24);
  const at = now().toISOString();
  const row = {
    id: newId(),
    centreId: centre.id,
    name: input.name,
    secretHash: await sha256Hex(secret),
    csrfToken,
    csrfHash: await csrfKeyedHash(secret, csrfToken),
    createdBy: principal.id,
    createdAt: at,
    lastUsedAt: null,
    revokedAt: null,
  };
  await db.batch([
    insertDoorDevice(db, row),
    auditStatement(c, {
      action: "create",
      entity: "door_device",
      entityId: row.id,
      centreId: centre.id,
      after: { name: row.name },
    }),
  ]);
  setCookie(c, DOOR_DEVICE_COOKIE, secret, {
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/",
    maxAge: DEVICE_COOKIE_MAX_AGE_S,
  });
  const { secretHash: _hash, csrfToken: _csrf, csrfHash: _csrfHash, ...device } = row;
  return c.json({ device, csrfToken }, 201);
});
