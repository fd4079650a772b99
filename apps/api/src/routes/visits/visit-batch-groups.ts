// A backlog of taps may name several centres (an admin of every centre uploading for them): each centre's
// visits are read and written in its own database (docs/scale.md, "One database per centre").
import type { VisitBatchInput } from "@halte/core";
import type { Db, DoorReferences } from "@halte/db";
import type { Context } from "hono";
import type { AppEnv } from "../../context.js";
import { centreDbOrDirectory } from "../centre-rows.js";
import { referencesOf } from "./record.js";

/** One visit of a backlog: its idempotency key is required. */
export type BatchVisit = VisitBatchInput["visits"][number];

/** The visits of a batch held by one database, with the idempotency keys to look up there, per centre. */
export interface VisitBatchGroup {
  db: Db;
  binding: string;
  inputs: BatchVisit[];
  keysByCentre: Map<string, string[]>;
}

/**
 * The batch's visits grouped by the database of their centre (one group on a single-database install). An
 * unknown centre's visits go with the directory, where nothing is found: the batch answers its 422.
 */
export async function visitBatchGroups(
  c: Context<AppEnv>,
  inputs: readonly BatchVisit[],
): Promise<VisitBatchGroup[]> {
  const groups = new Map<Db, VisitBatchGroup>();
  for (const input of inputs) {
    const { db, binding } = await centreDbOrDirectory(c, input.centreId);
    const group: VisitBatchGroup = groups.get(db) ?? { db, binding, inputs: [], keysByCentre: new Map() };
    group.inputs.push(input);
    group.keysByCentre.set(input.centreId, [
      ...(group.keysByCentre.get(input.centreId) ?? []),
      input.idempotencyKey,
    ]);
    groups.set(db, group);
  }
  return [...groups.values()];
}

/** `referencesOf` in every group's database (one read each), merged. */
export async function referencesAcross(groups: readonly VisitBatchGroup[]): Promise<DoorReferences> {
  const merged: DoorReferences = {
    centres: new Map(),
    bindings: new Map(),
    services: new Map(),
    visitIdsByKey: new Map(),
  };
  const found = await Promise.all(
    groups.map((group) => referencesOf(group.db, group.inputs, group.keysByCentre)),
  );
  found.forEach((references, index) => {
    const binding = groups[index]?.binding ?? "DB";
    for (const [id, centre] of references.centres) {
      merged.centres.set(id, centre);
      // Where the group was read, as the directory named it: not the centre database's copy's own column.
      merged.bindings.set(id, binding);
    }
    // A service is found only in its own centre's database: another centre's visits naming it stay refused.
    for (const [id, service] of references.services) merged.services.set(id, service);
    for (const [centreId, byKey] of references.visitIdsByKey) merged.visitIdsByKey.set(centreId, byKey);
  });
  return merged;
}
