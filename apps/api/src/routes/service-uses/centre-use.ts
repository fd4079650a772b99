// The door's "+1" where the centre has a database of its own: the caller checked in the directory, then one
// round trip in the centre's database, the write itself checking the centre, the service and the visit there.
import type { ServiceUseInput } from "@halte/core";
import { centreServiceUseWrite, serviceUseFromRow } from "@halte/db";
import type { Context } from "hono";
import { auditStatement } from "../../audit.js";
import { doorGrantStatements } from "../../auth/grants.js";
import type { Principal } from "../../auth/principal.js";
import type { AppEnv } from "../../context.js";
import { heldCentre, wroteFirst } from "../visits/folded-tap.js";
import { serviceUseRecord } from "../visits/record.js";
import { doorUseRow } from "./folded-use.js";

/**
 * Records an authorised door caller's use at a centre with its own database in one round trip there: the
 * use as answered (201), or `null` when nothing was written (a partner's report, a centre this isolate has
 * not read yet or that shares the directory, a date outside what the centre keeps, an archived centre,
 * another centre's service or visit, a key already used) — the caller then takes the ordinary path.
 */
export async function recordCentreUse(
  c: Context<AppEnv>,
  principal: Principal,
  input: ServiceUseInput,
  key: string | undefined,
) {
  const held = heldCentre(input.centreId);
  if (!held || held.binding === "DB" || input.source !== "door" || input.partnerId !== undefined) return null;
  const { dbs, now } = c.get("services");
  const db = dbs.dbNamed(held.binding);
  const found = doorUseRow(c, input, key, held);
  if (!found) return null;
  const row = { ...found, recordedBy: principal.id };
  const at = now().toISOString();
  const audit = auditStatement(
    c,
    {
      action: "create",
      entity: "service_use",
      entityId: row.id,
      centreId: input.centreId,
      after: { ...row, id: undefined, centreId: undefined },
    },
    db,
  );
  const { timeZone, retentionMonths } = held;
  const check = {
    centreId: input.centreId,
    timeZone,
    retentionMonths,
    serviceIds: [input.serviceId],
    ...(input.visitId === undefined ? {} : { visitId: input.visitId }),
    at,
  };
  const written = await wroteFirst(c, dbs.d1Named(held.binding), [
    ...centreServiceUseWrite(db, check, row, audit),
    ...(await doorGrantStatements(c, input.centreId, db)),
  ]);
  return written ? serviceUseRecord(serviceUseFromRow({ ...row, createdAt: at, updatedAt: at })) : null;
}
