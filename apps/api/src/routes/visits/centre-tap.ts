// The door tap where the centre has a database of its own (docs/scale.md, "One database per centre"), when
// its caller has no credential grant there yet: the caller is checked in the directory (its session or device),
// then the tap is one round trip in the centre's database, the write itself checking the centre and the
// services there (`centreVisitWrite`) and writing the caller's grant, so its next taps cost one round trip.
import type { VisitInput } from "@halte/core";
import { centreVisitWrite } from "@halte/db";
import type { Context } from "hono";
import type { z } from "zod";
import { compiledAuditStatement } from "../../audit.js";
import { doorGrantStatements } from "../../auth/grants.js";
import type { AppEnv } from "../../context.js";
import { heldCentre, MAX_FOLDED_SERVICES, wroteFirst } from "./folded-tap.js";
import { visitAuditView, visitRows, writtenVisit } from "./record.js";
import type { RecordedVisit } from "./schema.js";

/**
 * Records an authorised caller's tap at a centre with its own database in one round trip there: the
 * recorded visit (answered 201), or `null` when nothing was written (a centre this isolate has not read yet
 * or that shares the directory, an archived centre, a changed zone or retention, another centre's service, a
 * key already used) — the caller then takes the ordinary path, which answers as before.
 */
export async function recordCentreTap(
  c: Context<AppEnv>,
  input: VisitInput,
): Promise<z.infer<typeof RecordedVisit> | null> {
  const held = heldCentre(input.centreId);
  const serviceIds = (input.uses ?? []).map((use) => use.serviceId);
  if (!held || held.binding === "DB" || new Set(serviceIds).size > MAX_FOLDED_SERVICES) return null;
  const { dbs, now } = c.get("services");
  const db = dbs.dbNamed(held.binding);
  const d1 = dbs.d1Named(held.binding);
  const rows = await visitRows(c, input, { id: input.centreId, openingHours: { timeZone: held.timeZone } });
  const at = now().toISOString();
  const { timeZone, retentionMonths } = held;
  const audit = compiledAuditStatement(
    c,
    {
      action: "create",
      entity: "visit",
      entityId: rows.visit.id,
      centreId: input.centreId,
      after: visitAuditView(rows.visit, rows.uses),
    },
    db,
  );
  const statements = [
    ...centreVisitWrite(
      db,
      { centreId: input.centreId, timeZone, retentionMonths, serviceIds, at },
      rows,
      audit,
    ),
    // The caller just found live in the directory: its next taps here are checked here alone.
    ...(await doorGrantStatements(c, input.centreId, db)),
  ];
  if (!(await wroteFirst(c, d1, statements))) return null;
  return writtenVisit(rows, at);
}
