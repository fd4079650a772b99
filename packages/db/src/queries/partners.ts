import type { Partner, PartnerInput, PartnerRole } from "@halte/core";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { partners } from "../schema/partners.js";
import { byId, type PageOptions, pageConditions } from "./records.js";

type PartnerRow = typeof partners.$inferSelect;

/** A stored row as the API's `Partner` (absent optional texts are left out, as the input schema has them). */
export function partnerFromRow(row: PartnerRow): Partner {
  const { description, website, email, phone, ...rest } = row;
  return {
    ...rest,
    ...(description === null ? {} : { description }),
    ...(website === null ? {} : { website }),
    ...(email === null ? {} : { email }),
    ...(phone === null ? {} : { phone }),
  };
}

export interface ListPartnersOptions extends PageOptions {
  role?: PartnerRole;
  /** A partner caller sees only its own organisation. */
  onlyId?: string;
}

/** Partners in id order, one more than `limit` so the caller knows whether a next page exists. */
export async function listPartners(db: Db, options: ListPartnersOptions): Promise<Partner[]> {
  const rows = await db
    .select()
    .from(partners)
    .where(
      pageConditions(partners, options, [
        options.onlyId ? eq(partners.id, options.onlyId) : undefined,
        options.role
          ? sql`EXISTS (SELECT 1 FROM json_each(${partners.roles}) WHERE value = ${options.role})`
          : undefined,
      ]),
    )
    .orderBy(byId(partners))
    .limit(options.limit + 1);
  return rows.map(partnerFromRow);
}

export async function getPartner(db: Db, id: string): Promise<Partner | null> {
  const [row] = await db.select().from(partners).where(eq(partners.id, id)).limit(1);
  return row ? partnerFromRow(row) : null;
}

function columnsOf(input: PartnerInput) {
  return {
    name: input.name,
    roles: input.roles,
    description: input.description ?? null,
    website: input.website ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
  };
}

export function insertPartner(db: Db, id: string, centreId: string, input: PartnerInput, at: string) {
  return db
    .insert(partners)
    .values({ id, centreId, ...columnsOf(input), createdAt: at, updatedAt: at, archivedAt: null });
}

export function replacePartner(db: Db, id: string, input: PartnerInput, at: string) {
  return db
    .update(partners)
    .set({ ...columnsOf(input), updatedAt: at })
    .where(eq(partners.id, id));
}

export function archivePartner(db: Db, id: string, at: string) {
  return db.update(partners).set({ archivedAt: at, updatedAt: at }).where(eq(partners.id, id));
}
