import { isOpen, openingStatus, type Service } from "@halte/core";
import { type Db, getService, isPartnerOfCentre, type ListServicesOptions, listServices } from "@halte/db";
import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { assertCentreVisible, authorize } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { ApiProblem } from "../../problem.js";
import type { OpeningStatus } from "./schema.js";

/** Only an active service opens: a temporarily closed, inactive or defunct one is closed whatever its schedule. */
export function statusAt(service: Service, at: Date): z.infer<typeof OpeningStatus> {
  if (service.status !== "active") return { open: false, closesAt: null, nextOpensAt: null };
  const status = openingStatus(service.schedule, at);
  return status.open
    ? { open: true, closesAt: status.closesAt?.toISOString() ?? null, nextOpensAt: null }
    : { open: false, closesAt: null, nextOpensAt: status.nextOpensAt?.toISOString() ?? null };
}

export function withOpeningStatus(service: Service, at: Date) {
  return { ...service, openingStatus: statusAt(service, at) };
}

export function isOpenAt(service: Service, instant: string): boolean {
  return service.status === "active" && isOpen(service.schedule, instant);
}

/**
 * Up to `limit + 1` services open at `instant`, in id order. The schedule lives in JSON, so the filter runs
 * here: rows are scanned in batches until the page is full, and the page keeps the usual cursor meaning.
 */
export async function listOpenServices(
  db: Db,
  options: ListServicesOptions,
  instant: string,
): Promise<Service[]> {
  const batch = Math.max(options.limit + 1, 100);
  const matches: Service[] = [];
  let afterId = options.afterId;
  for (;;) {
    const rows = await listServices(db, { ...options, limit: batch, ...(afterId ? { afterId } : {}) });
    const scanned = rows.slice(0, batch);
    for (const service of scanned) {
      if (!isOpenAt(service, instant)) continue;
      matches.push(service);
      if (matches.length > options.limit) return matches;
    }
    const last = scanned.at(-1);
    if (rows.length <= batch || !last) return matches;
    afterId = last.id;
  }
}

/**
 * A service's provider must be a current (not archived) partner of the service's centre. Checked on the
 * centre's database (`centreDb`): its copy of the partner's row is what the service's foreign key names, and
 * a partner edit writes that copy before the directory's row; and, when that is not the directory, on the
 * directory too (`directory`): a copy stays in a centre's database after the partner is unlinked from it
 * (its records there name it), and only the directory says which centres a partner works with now.
 */
export async function checkOrganization(
  centreDb: Db,
  organizationId: string,
  centreId: string,
  directory: Db,
) {
  const current =
    (await isPartnerOfCentre(centreDb, organizationId, centreId)) &&
    (centreDb === directory || (await isPartnerOfCentre(directory, organizationId, centreId)));
  if (!current) {
    throw new ApiProblem("validation_failed", "The provider is not a partner of this centre", [
      { path: ["organizationId"], code: "invalid_value", message: "Not a current partner of this centre" },
    ]);
  }
}

/**
 * The service if the caller's role may and its centre is the caller's, with the database it lives in; 404 for
 * another centre's (a caller bound to one centre looks only in that centre's database).
 */
export async function visibleService(
  c: Context<AppEnv>,
  serviceId: string,
  permission: "services:read" | "services:manage",
): Promise<{ service: Service; db: Db }> {
  const principal = authorize(c, permission);
  const held = await c.get("services").dbs.findInReachable(principal, (db) => getService(db, serviceId));
  if (!held) throw new ApiProblem("not_found", "No such service");
  assertCentreVisible(principal, held.found.centreId);
  return { service: held.found, db: held.db };
}
