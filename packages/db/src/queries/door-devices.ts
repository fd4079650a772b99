import { and, asc, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../client.js";
import { doorDevices } from "../schema/door-devices.js";

export type DoorDeviceRow = typeof doorDevices.$inferSelect;

/** A door device as listed: never its secret's hash nor its CSRF token. */
export interface DoorDevice {
  id: string;
  centreId: string;
  name: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function doorDeviceFromRow(row: DoorDeviceRow): DoorDevice {
  const { secretHash: _hash, csrfToken: _csrf, csrfHash: _csrfHash, ...listed } = row;
  return listed;
}

export function insertDoorDevice(db: Db, row: typeof doorDevices.$inferInsert) {
  return db.insert(doorDevices).values(row);
}

/** The live (not revoked) device whose cookie hashes to `secretHash`. */
export async function findLiveDoorDevice(db: Db, secretHash: string): Promise<DoorDeviceRow | null> {
  const [row] = await db
    .select()
    .from(doorDevices)
    .where(and(eq(doorDevices.secretHash, secretHash), isNull(doorDevices.revokedAt)))
    .limit(1);
  return row ?? null;
}

export async function getDoorDevice(db: Db, id: string): Promise<DoorDevice | null> {
  const [row] = await db.select().from(doorDevices).where(eq(doorDevices.id, id)).limit(1);
  return row ? doorDeviceFromRow(row) : null;
}

/** A centre's devices (or every centre's, for an admin of all), oldest first, revoked ones included. */
export async function listDoorDevices(db: Db, centreId: string | null): Promise<DoorDevice[]> {
  const rows = await db
    .select()
    .from(doorDevices)
    .where(centreId === null ? undefined : eq(doorDevices.centreId, centreId))
    .orderBy(asc(doorDevices.createdAt), asc(doorDevices.id));
  return rows.map(doorDeviceFromRow);
}

export function revokeDoorDevice(db: Db, id: string, at: string) {
  return db
    .update(doorDevices)
    .set({ revokedAt: at })
    .where(and(eq(doorDevices.id, id), isNull(doorDevices.revokedAt)));
}

export function stampDoorDeviceUse(db: Db, id: string, at: string) {
  return db.update(doorDevices).set({ lastUsedAt: at }).where(eq(doorDevices.id, id));
}

/**
 * Stamps the last use of the device whose cookie hashes to `secretHash`, unless it was stamped in the minute
 * before `at` (a door write checked by a credential grant in the centre's database stamps the directory so).
 */
export function stampDoorDeviceUseByHash(db: Db, secretHash: string, at: Date) {
  const minuteAgo = new Date(at.getTime() - 60_000).toISOString();
  return db
    .update(doorDevices)
    .set({ lastUsedAt: at.toISOString() })
    .where(
      and(
        eq(doorDevices.secretHash, secretHash),
        or(isNull(doorDevices.lastUsedAt), lt(doorDevices.lastUsedAt, minuteAgo)),
      ),
    );
}

/** Fills the keyed CSRF hash of a device set up before the column existed (once; never overwrites one). */
export function fillDoorDeviceCsrfHash(db: Db, secretHash: string, csrfHash: string) {
  return db
    .update(doorDevices)
    .set({ csrfHash })
    .where(and(eq(doorDevices.secretHash, secretHash), isNull(doorDevices.csrfHash)));
}
