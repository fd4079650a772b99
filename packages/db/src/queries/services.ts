import type { LocalDate, Service, ServiceCategory, ServiceInput, ServiceStatus } from "@halte/core";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { partners } from "../schema/partners.js";
import { serviceUses } from "../schema/service-uses.js";
import { services } from "../schema/services.js";
import { worksAtCentre } from "./partner-centres.js";
import { byId, type PageOptions, pageConditions } from "./records.js";

type ServiceRow = typeof services.$inferSelect;

/** A stored row as the API's `Service`. */
export function serviceFromRow(row: ServiceRow): Service {
  const { description, location, ...rest } = row;
  return {
    ...rest,
    ...(description === null ? {} : { description }),
    ...(location === null ? {} : { location }),
  };
}

export interface ListServicesOptions extends PageOptions {
  category?: ServiceCategory;
  status?: ServiceStatus;
  organizationId?: string;
}

/** Services in id order, one more than `limit` so the caller knows whether a next page exists. */
export async function listServices(db: Db, options: ListServicesOptions): Promise<Service[]> {
  const rows = await db
    .select()
    .from(services)
    .where(
      pageConditions(services, options, [
        options.category ? eq(services.category, options.category) : undefined,
        options.status ? eq(services.status, options.status) : undefined,
        options.organizationId ? eq(services.organizationId, options.organizationId) : undefined,
      ]),
    )
    .orderBy(byId(services))
    .limit(options.limit + 1);
  return rows.map(serviceFromRow);
}

export async function getService(db: Db, id: string): Promise<Service | null> {
  const [row] = await db.select().from(services).where(eq(services.id, id)).limit(1);
  return row ? serviceFromRow(row) : null;
}

/** Whether an organisation is a current (not archived) partner of the centre: its home, or linked to it. */
export async function isPartnerOfCentre(db: Db, partnerId: string, centreId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: partners.id, archivedAt: partners.archivedAt })
    .from(partners)
    .where(and(eq(partners.id, partnerId), worksAtCentre(centreId)))
    .limit(1);
  return row !== undefined && row.archivedAt === null;
}

/**
 * How many uses of a service were recorded on a centre's local day (the sum of their quantities, visits
 * and partners' bulk reports alike): what the capacity of that day has already absorbed.
 */
export async function serviceUsesOn(
  db: Db,
  centreId: string,
  serviceId: string,
  day: LocalDate,
): Promise<number> {
  const [row] = await db
    .select({ total: sql<number | null>`sum(${serviceUses.quantity})` })
    .from(serviceUses)
    .where(
      and(
        eq(serviceUses.centreId, centreId),
        eq(serviceUses.localDay, day),
        eq(serviceUses.serviceId, serviceId),
        isNull(serviceUses.voidedAt),
      ),
    );
  return Number(row?.total ?? 0);
}

function columnsOf(input: ServiceInput) {
  return {
    organizationId: input.organizationId,
    name: input.name,
    description: input.description ?? null,
    category: input.category,
    status: input.status,
    languages: input.languages,
    location: input.location ?? null,
    schedule: input.schedule,
    translations: input.translations,
    ticketQueue: input.ticketQueue,
  };
}

export function insertService(db: Db, id: string, centreId: string, input: ServiceInput, at: string) {
  return db
    .insert(services)
    .values({ id, centreId, ...columnsOf(input), createdAt: at, updatedAt: at, archivedAt: null });
}

export function replaceService(db: Db, id: string, input: ServiceInput, at: string) {
  return db
    .update(services)
    .set({ ...columnsOf(input), updatedAt: at })
    .where(eq(services.id, id));
}

export function archiveService(db: Db, id: string, at: string) {
  return db.update(services).set({ archivedAt: at, updatedAt: at }).where(eq(services.id, id));
}
