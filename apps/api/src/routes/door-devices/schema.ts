import { Id, Instant } from "@halte/core";
import { z } from "@hono/zod-openapi";

/** A door device as listed: never its secret nor its CSRF token. */
export const DoorDeviceRecord = z
  .object({
    id: Id,
    centreId: Id,
    name: z.string(),
    createdBy: z.string(),
    createdAt: Instant,
    lastUsedAt: Instant.nullable(),
    revokedAt: Instant.nullable(),
  })
  .openapi("DoorDevice");

export const DoorDeviceInput = z
  .strictObject({
    centreId: Id,
    name: z
      .string()
      .trim()
      .min(1)
      .max(80)
      .openapi({ description: 'What the device is, e.g. "Tablet at the gate"' }),
  })
  .openapi("DoorDeviceInput");

export const DoorDeviceSetUp = z
  .object({
    device: DoorDeviceRecord,
    csrfToken: z
      .string()
      .openapi({ description: "Sent back in `x-csrf-token` on every write of the device" }),
  })
  .openapi("DoorDeviceSetUp");

export const DoorDeviceParams = z.object({ deviceId: Id });
