import { getDoorDevice, revokeDoorDevice } from "@halte/db";
import { auditStatement } from "../../audit.js";
import { withFence } from "../../auth/grants.js";
import { assertCentreVisible, authorize, permit, requirePrincipal } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { DoorDeviceParams, DoorDeviceRecord } from "./schema.js";

const revokeRoute = defineRoute({
  method: "post",
  path: "/door-devices/{deviceId}/revoke",
  operationId: "revokeDoorDevice",
  middleware: [permit("door-devices:manage")] as const,
  tags: ["door-devices"],
  summary: "Revoke a door device: its next request is refused (401)",
  description: "Effective at once: every request of a device looks it up. Revoking twice changes nothing.",
  security: staffOrToken,
  request: { params: DoorDeviceParams },
  responses: {
    200: { description: "Revoked", content: { "application/json": { schema: DoorDeviceRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

export const revokeDoorDeviceRoutes = createRouter().openapi(revokeRoute, async (c) => {
  const { deviceId } = c.req.valid("param");
  const { db, now } = c.get("services");
  const device = await getDoorDevice(db, deviceId);
  if (!device) throw new ApiProblem("not_found", "No such door device");
  assertCentreVisible(requirePrincipal(c), device.centreId);
  authorize(c, "door-devices:manage", device.centreId);
  if (device.revokedAt !== null) return c.json(device, 200);
  const at = now().toISOString();
  // Its grant in the centre's database goes first: a revoked device never writes there again.
  await withFence(c, { actorIds: [device.id], centres: [device.centreId] }, () =>
    db.batch([
      revokeDoorDevice(db, device.id, at),
      auditStatement(c, {
        action: "revoke",
        entity: "door_device",
        entityId: device.id,
        centreId: device.centreId,
        before: { revokedAt: null },
        after: { revokedAt: at },
      }),
    ]),
  );
  return c.json({ ...device, revokedAt: at }, 200);
});
