// The door's "+1" (a lone service use) in one D1 round trip, as the door tap (routes/visits/folded-tap.ts):
// the caller, its CSRF token, role, centre, service and visit are checked by the write itself.
import { checkUsedAt, localDateOf, type ServiceUseInput } from "@halte/core";
import { FOLDED_RECORDER, foldedServiceUseWrite, serviceUseFromRow } from "@halte/db";
import type { Context } from "hono";
import { diffRecords } from "../../audit.js";
import { stampGrantedDevice } from "../../auth/device-stamps.js";
import type { DeferredCredential } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { credentialCheck, heldCentre, writeTarget, wroteFirst } from "../visits/folded-tap.js";
import { serviceUseRecord } from "../visits/record.js";

/**
 * Records a door's use in one round trip if the deferred credential may: the use as answered (201), or
 * `null` when nothing was written (a partner's report, a date outside what the centre keeps, a credential,
 * role, centre, service or visit that does not fit, a key already used, a centre not read yet by this
 * isolate, a caller without a credential grant at a centre with its own database) — the caller then takes
 * the ordinary path, which answers as before.
 */
export async function recordFoldedUse(
  c: Context<AppEnv>,
  credential: DeferredCredential,
  input: ServiceUseInput,
  key: string | undefined,
) {
  const held = heldCentre(input.centreId);
  if (!held || input.source !== "door" || input.partnerId !== undefined) return null;
  const { timeZone, retentionMonths } = held;
  const centre = { timeZone, retentionMonths };
  const { now } = c.get("services");
  // The directory's sessions and devices where the centre shares its database, else the centre's grants.
  const { db, d1, granted } = writeTarget(c, held.binding);
  const row = doorUseRow(c, input, key, centre);
  if (!row) return null;
  const at = now().toISOString();
  const checked = await credentialCheck(credential);
  const statements = foldedServiceUseWrite(
    db,
    {
      ...checked,
      granted,
      centreId: input.centreId,
      ...centre,
      serviceIds: [input.serviceId],
      ...(input.visitId === undefined ? {} : { visitId: input.visitId }),
      at,
    },
    row,
    {
      centreId: input.centreId,
      action: "create",
      entity: "service_use",
      entityId: row.id,
      diff: diffRecords("service_use", null, {
        ...row,
        recordedBy: FOLDED_RECORDER,
        id: undefined,
        centreId: undefined,
      }),
      at,
    },
  );
  if (!(await wroteFirst(c, d1, statements))) return null;
  if (granted && checked.kind === "door") stampGrantedDevice(c, checked.credentialHash, now());
  return serviceUseRecord(serviceUseFromRow({ ...row, createdAt: at, updatedAt: at }));
}

/**
 * The row of a door's lone use, its local day in the centre's held zone; null when its date lies outside what
 * the centre keeps (the ordinary path answers why). No recorder: the write puts it.
 */
export function doorUseRow(
  c: Context<AppEnv>,
  input: ServiceUseInput,
  key: string | undefined,
  centre: { timeZone: string; retentionMonths: number },
) {
  const { now, newId } = c.get("services");
  const usedAt = checkUsedAt(input.usedAt, now(), centre.retentionMonths);
  if (!usedAt.ok) return null;
  return {
    id: newId(),
    centreId: input.centreId,
    serviceId: input.serviceId,
    visitId: input.visitId ?? null,
    usedAt: usedAt.value,
    localDay: localDateOf(usedAt.value, centre.timeZone),
    quantity: input.quantity,
    source: "door" as const,
    partnerId: null,
    idempotencyKey: key ?? null,
  };
}
