// The door tap in one D1 round trip: the session or door device, its CSRF token (as a keyed hash), the role,
// the centre and the services are checked by the write itself (`foldedVisitWrite` in @halte/db). When the
// write does not happen the caller takes the ordinary path, which answers exactly as before.
import { type Centre, Role, roleCan, type VisitInput } from "@halte/core";
import { fillDoorDeviceCsrfHash, fillSessionCsrfHash, foldedVisitWrite } from "@halte/db";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { z } from "zod";
import { diffRecords } from "../../audit.js";
import { csrfKeyedHash, sha256Hex } from "../../auth/crypto.js";
import { stampGrantedDevice } from "../../auth/device-stamps.js";
import { type DeferredCredential, DOOR_DEVICE_COOKIE, SESSION_COOKIE } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { describeError } from "../../logger.js";
import { visitAuditView, visitRows, writtenVisit } from "./record.js";
import type { RecordedVisit } from "./schema.js";

/** The roles that may record at the door, as the write checks them. */
const DOOR_ROLES = Role.options.filter((role) => roleCan(role, "visits:record"));

/** Beyond this many distinct services in one tap the checks would pass D1's 100 bound parameters. */
export const MAX_FOLDED_SERVICES = 40;

/**
 * What a door write derives before it writes: the local day and hour (zone), the oldest date (retention),
 * and the binding of the database holding the centre's rows, as the directory named it.
 */
export interface HeldCentre {
  timeZone: string;
  retentionMonths: number;
  binding: string;
}

/**
 * Each centre's time zone and retention as last read by this isolate: a tap's local day and hour are derived
 * in that zone before the write, and the write checks the centre still has both (a change refuses the write
 * and the ordinary path reads the centre again). Not a secret and not a permission: nothing is trusted from it.
 * Its binding says where the centre's rows are, so a door write finds them without a look-up of its own.
 */
const heldCentres = new Map<string, HeldCentre>();

/**
 * Remembers a centre read by the ordinary path, for the next door writes of this isolate, with its database's
 * binding as the directory names it. A binding changes only through the offline move, which redeploys the
 * Worker (src/databases.ts `bindingOf`): holding it for the isolate's life is safe.
 */
export function rememberCentre(centre: Centre, binding: string): void {
  heldCentres.set(centre.id, {
    timeZone: centre.openingHours.timeZone,
    retentionMonths: centre.retentionMonths,
    binding,
  });
}

/** The centre as this isolate last read it, if it did. */
export function heldCentre(id: string): HeldCentre | undefined {
  return heldCentres.get(id);
}

/** The keyed credential check of a deferred door credential, for `doorWriteGuard`. */
export async function credentialCheck(credential: DeferredCredential) {
  const credentialHash = await sha256Hex(credential.cookie);
  const csrfHash = await csrfKeyedHash(credential.cookie, credential.csrfToken, credentialHash);
  return { kind: credential.kind, credentialHash, csrfHash, roles: DOOR_ROLES };
}

/**
 * Records a tap in one round trip if the deferred credential may: the recorded visit (answered 201), or
 * `null` when nothing was written (an unknown, revoked or expired credential, a wrong CSRF token, a role or
 * centre that may not, an archived centre, another centre's service, a key already used, a centre this
 * isolate has not read yet; at a centre with a database of its own, a caller without a credential grant
 * there) — the caller then takes the ordinary path to find out why and answer.
 */
export async function recordFoldedTap(
  c: Context<AppEnv>,
  credential: DeferredCredential,
  input: VisitInput,
): Promise<z.infer<typeof RecordedVisit> | null> {
  const held = heldCentre(input.centreId);
  const serviceIds = (input.uses ?? []).map((use) => use.serviceId);
  if (held === undefined || new Set(serviceIds).size > MAX_FOLDED_SERVICES) return null;
  const { timeZone, retentionMonths } = held;
  const centre = { timeZone, retentionMonths };
  const { now } = c.get("services");
  // Where the centre shares the directory's database (the held binding says so without a read), the write
  // joins the directory's sessions and devices; in a centre's own database, its credential grants.
  const { db, d1, granted } = writeTarget(c, held.binding);
  const rows = await visitRows(c, input, { id: input.centreId, openingHours: { timeZone: centre.timeZone } });
  const at = now().toISOString();
  const check = await credentialCheck(credential);
  const statements = foldedVisitWrite(
    db,
    { ...check, granted, centreId: input.centreId, ...centre, serviceIds, at },
    rows,
    {
      centreId: input.centreId,
      action: "create",
      entity: "visit",
      entityId: rows.visit.id,
      diff: diffRecords("visit", null, visitAuditView(rows.visit, rows.uses)),
      at,
    },
  );
  // A key already used (a retried tap): the ordinary path answers with the first record.
  if (!(await wroteFirst(c, d1, statements))) return null;
  if (granted && check.kind === "door") stampGrantedDevice(c, check.credentialHash, now());
  return writtenVisit(rows, at);
}

/**
 * Where a folded door write goes: the directory's database for a centre that shares it (the write checks the
 * directory's sessions and devices), else the centre's own, checked against its credential grants.
 */
export function writeTarget(c: Context<AppEnv>, binding: string) {
  const { db, d1, dbs } = c.get("services");
  if (binding === "DB") return { db, d1, granted: false };
  return { db: dbs.dbNamed(binding), d1: dbs.d1Named(binding), granted: true };
}

/**
 * For a session or device made before the keyed CSRF hash existed, the statement that stores it, to batch
 * with the ordinary path's write (the CSRF token was just checked): its next taps take the folded path.
 */
export async function csrfHashBackfill(c: Context<AppEnv>) {
  const principal = c.get("principal");
  if (principal?.kind !== "user" && principal?.kind !== "door") return [];
  const cookie = getCookie(c, principal.kind === "user" ? SESSION_COOKIE : DOOR_DEVICE_COOKIE);
  if (!cookie) return [];
  const { db } = c.get("services");
  const [credentialHash, csrfHash] = await Promise.all([
    sha256Hex(cookie),
    csrfKeyedHash(cookie, principal.csrfToken),
  ]);
  return [
    principal.kind === "user"
      ? fillSessionCsrfHash(db, credentialHash, csrfHash)
      : fillDoorDeviceCsrfHash(db, credentialHash, csrfHash),
  ];
}

/**
 * Runs a conditional write's batch: whether its first statement wrote (returned a row). A key already used
 * is no failure (the ordinary path answers with the first record); anything else is logged, then the
 * ordinary path tries (and reports) again.
 */
export async function wroteFirst(
  c: Context<AppEnv>,
  d1: D1Database,
  statements: readonly { sql: string; params: unknown[] }[],
): Promise<boolean> {
  try {
    const results = await d1.batch(statements.map((s) => d1.prepare(s.sql).bind(...s.params)));
    return results[0]?.results[0] !== undefined;
  } catch (error) {
    if (!/UNIQUE constraint failed/.test(String(error))) {
      c.get("services").logger.warn("folded door write failed", { error: describeError(error) });
    }
    return false;
  }
}
