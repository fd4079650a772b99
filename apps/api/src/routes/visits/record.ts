import {
  type Centre,
  type FieldError,
  formatLocalDate,
  hashVisitorCode,
  type VisitInput,
  zonedDateTime,
} from "@halte/core";
import {
  type Db,
  type DoorService,
  doorReferences,
  getCentre,
  type NewServiceUseRow,
  type NewVisitRow,
  type StoredServiceUse,
  type StoredVisit,
  serviceUseFromRow,
  visitFromRow,
} from "@halte/db";
import type { BatchItem } from "drizzle-orm/batch";
import type { Context } from "hono";
import type { AppEnv } from "../../context.js";
import { visitorCodeKeyFor } from "../../visitor-key.js";
import type { ServiceUseRecord, VisitRecord } from "./schema.js";

/** The visit as clients see it: the code's hash replaced by whether there was one. */
export function visitRecord(visit: StoredVisit): VisitRecord {
  const { visitorCodeHash, ...rest } = visit;
  return { ...rest, hasVisitorCode: visitorCodeHash !== null };
}

export function serviceUseRecord(use: StoredServiceUse): ServiceUseRecord {
  const { idempotencyKey: _key, ...rest } = use;
  return rest;
}

/** A tap as answered right after its batch wrote exactly these rows (no read back: one round trip fewer). */
export function writtenVisit(rows: { visit: NewVisitRow; uses: readonly NewServiceUseRow[] }, at: string) {
  const written = { createdAt: at, updatedAt: at };
  return {
    ...visitRecord(visitFromRow({ ...rows.visit, ...written })),
    uses: rows.uses.map((use) => serviceUseRecord(serviceUseFromRow({ ...use, ...written }))),
  };
}

/** Instants are stored in UTC with milliseconds so text order is time order. */
export function utcInstant(instant: string): string {
  return new Date(instant).toISOString();
}

/**
 * The centres named by a set of writes, by id. Unknown and archived centres are left out: the caller
 * reports them as a field error on `centreId` (422), since the id came in the body.
 */
export async function writableCentres(db: Db, ids: Iterable<string>): Promise<Map<string, Centre>> {
  const found = new Map<string, Centre>();
  for (const id of new Set(ids)) {
    const centre = await getCentre(db, id);
    if (centre && centre.archivedAt === null) found.set(id, centre);
  }
  return found;
}

export const unknownCentre = (path: (string | number)[]): FieldError => ({
  path: [...path, "centreId"],
  code: "invalid_value",
  message: "No such centre, or it is archived",
});

export const foreignService = (path: (string | number)[]): FieldError => ({
  path,
  code: "invalid_value",
  message: "No such service at this centre",
});

/**
 * What the checks of a list of visits need, in one D1 round trip: their writable centres (archived ones
 * left out, like `writableCentres`), the services their uses name and, when given, which idempotency keys
 * (per centre) are already stored.
 */
export async function referencesOf(
  db: Db,
  inputs: readonly VisitInput[],
  idempotencyKeys?: ReadonlyMap<string, readonly string[]>,
) {
  const found = await doorReferences(
    db,
    inputs.map((v) => v.centreId),
    inputs.flatMap((v) => (v.uses ?? []).map((u) => u.serviceId)),
    idempotencyKeys,
  );
  for (const [id, centre] of found.centres) if (centre.archivedAt !== null) found.centres.delete(id);
  return found;
}

/** Field errors for visits naming an unknown centre or a service of another centre. */
export function referenceErrors(
  inputs: readonly VisitInput[],
  centres: Map<string, Centre>,
  services: Map<string, DoorService>,
  pathOf: (index: number) => (string | number)[],
): FieldError[] {
  const errors: FieldError[] = [];
  inputs.forEach((input, index) => {
    const path = pathOf(index);
    if (!centres.has(input.centreId)) {
      errors.push(unknownCentre(path));
      return;
    }
    (input.uses ?? []).forEach((use, useIndex) => {
      if (services.get(use.serviceId)?.centreId !== input.centreId) {
        errors.push(foreignService([...path, "uses", useIndex, "serviceId"]));
      }
    });
  });
  return errors;
}

/** The rows to write for one visit: its code hashed with the centre's key, its local day fixed now. */
export async function visitRows(
  c: Context<AppEnv>,
  input: VisitInput,
  centre: { id: string; openingHours: { timeZone: string } },
): Promise<{ visit: NewVisitRow; uses: NewServiceUseRow[] }> {
  const { config, newId } = c.get("services");
  const principal = c.get("principal");
  const arrivedAt = utcInstant(input.arrivedAt);
  // The local day and hour are fixed now, in the centre's zone: the roll-up counts from them.
  const local = zonedDateTime(arrivedAt, centre.openingHours.timeZone);
  const localDay = formatLocalDate(local);
  const visitorCodeHash =
    input.visitorCode === undefined
      ? null
      : await hashVisitorCode(
          input.visitorCode,
          await visitorCodeKeyFor(config.VISITOR_CODE_SECRET, centre.id),
        );
  const id = newId();
  return {
    visit: {
      id,
      centreId: centre.id,
      arrivedAt,
      localDay,
      localHour: local.hour,
      visitorCodeHash,
      ageBand: input.ageBand ?? null,
      gender: input.gender ?? null,
      languages: input.languages ?? [],
      firstVisit: input.firstVisit ?? null,
      idempotencyKey: input.idempotencyKey ?? null,
      recordedBy: principal?.id ?? null,
    },
    uses: (input.uses ?? []).map((use) => ({
      id: newId(),
      centreId: centre.id,
      serviceId: use.serviceId,
      visitId: id,
      usedAt: arrivedAt,
      localDay,
      quantity: use.quantity,
      source: "door" as const,
      partnerId: null,
      idempotencyKey: null,
      recordedBy: principal?.id ?? null,
    })),
  };
}

/** What the audit log keeps of a visit: no code, no hash — only that there was one. */
export function visitAuditView(row: NewVisitRow, uses: readonly NewServiceUseRow[]) {
  return {
    arrivedAt: row.arrivedAt,
    localDay: row.localDay,
    hasVisitorCode: row.visitorCodeHash !== null,
    ageBand: row.ageBand,
    gender: row.gender,
    languages: row.languages,
    firstVisit: row.firstVisit,
    idempotencyKey: row.idempotencyKey,
    uses: uses.map((u) => ({ serviceId: u.serviceId, quantity: u.quantity })),
  };
}

/** `db.batch` wants a non-empty tuple; statements built in loops are a plain array. */
export function asBatch(
  statements: readonly BatchItem<"sqlite">[],
): [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]] {
  const [first, ...rest] = statements;
  if (!first) throw new Error("an empty batch");
  return [first, ...rest];
}
