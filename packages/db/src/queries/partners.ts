import type { Partner, PartnerInput, PartnerRole } from "@halte/core";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { apiTokens } from "../schema/api-tokens.js";
import { partners } from "../schema/partners.js";
import { sessions } from "../schema/sessions.js";
import { users } from "../schema/users.js";
import { webhookDeliveries } from "../schema/webhook-deliveries.js";
import { webhookEndpoints } from "../schema/webhook-endpoints.js";
import { webhookSecrets } from "../schema/webhook-secrets.js";
import { worksAtCentre } from "./partner-centres.js";
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

/**
 * Partners in id order, one more than `limit` so the caller knows whether a next page exists. A centre's
 * partners are those whose home it is and those linked to it (`partner_centres`).
 */
export async function listPartners(db: Db, options: ListPartnersOptions): Promise<Partner[]> {
  const rows = await db
    .select()
    .from(partners)
    .where(
      pageConditions(partners, { ...options, centreId: null }, [
        options.centreId !== null ? worksAtCentre(options.centreId) : undefined,
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

/** The stored columns of a partner's editable fields (absent optional texts as NULL). */
export function partnerColumns(input: PartnerInput) {
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
    .values({ id, centreId, ...partnerColumns(input), createdAt: at, updatedAt: at, archivedAt: null });
}

export function replacePartner(db: Db, id: string, input: PartnerInput, at: string) {
  return db
    .update(partners)
    .set({ ...partnerColumns(input), updatedAt: at })
    .where(eq(partners.id, id));
}

export function archivePartner(db: Db, id: string, at: string) {
  return db.update(partners).set({ archivedAt: at, updatedAt: at }).where(eq(partners.id, id));
}

/**
 * The statements that shut an organisation out when it is archived, to run in the same batch as the
 * archive: every live session of its staff and every API token and webhook secret is revoked, every endpoint
 * disabled, and every delivery not yet sent marked failed. Sign-in, sessions, tokens and deliveries also
 * check the partner's `archived_at` when used, so a row written by a request racing the archive is refused
 * all the same.
 */
export function revokePartnerAccess(db: Db, partnerId: string, at: string) {
  const staff = db.select({ id: users.id }).from(users).where(eq(users.partnerId, partnerId));
  const endpoints = db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.partnerId, partnerId));
  return [
    db
      .update(sessions)
      .set({ revokedAt: at })
      .where(and(inArray(sessions.userId, staff), isNull(sessions.revokedAt))),
    db
      .update(apiTokens)
      .set({ revokedAt: at })
      .where(and(eq(apiTokens.partnerId, partnerId), isNull(apiTokens.revokedAt))),
    db
      .update(webhookSecrets)
      .set({ revokedAt: at })
      .where(and(eq(webhookSecrets.partnerId, partnerId), isNull(webhookSecrets.revokedAt))),
    db
      .update(webhookDeliveries)
      .set({ status: "failed" })
      .where(and(inArray(webhookDeliveries.endpointId, endpoints), eq(webhookDeliveries.status, "pending"))),
    db
      .update(webhookEndpoints)
      .set({ disabledAt: at, disabledReason: "manual", updatedAt: at })
      .where(and(eq(webhookEndpoints.partnerId, partnerId), isNull(webhookEndpoints.disabledAt))),
  ] as const;
}

/** Whether an organisation is archived (or unknown): nothing is sent to it or done in its name then. */
export async function partnerIsArchived(db: Db, id: string): Promise<boolean> {
  const [row] = await db
    .select({ archivedAt: partners.archivedAt })
    .from(partners)
    .where(eq(partners.id, id))
    .limit(1);
  return !row || row.archivedAt !== null;
}

/** The directory's whole row of a partner, to copy into its centre's own database. */
export async function getPartnerRow(db: Db, id: string): Promise<PartnerRow | null> {
  const [row] = await db.select().from(partners).where(eq(partners.id, id)).limit(1);
  return row ?? null;
}

/**
 * The statement writing a partner's row into its centre's database as the directory holds it (inserted,
 * or replaced): referrals, uses and capacity reports there name the partner by a foreign key. The partner's
 * identity, users, tokens and secrets stay in the directory.
 */
export function copyPartnerRow(centreDb: Db, row: typeof partners.$inferInsert) {
  const { id: _id, ...fields } = row;
  return centreDb.insert(partners).values(row).onConflictDoUpdate({ target: partners.id, set: fields });
}

/** The ids of a partner's staff accounts (what an archive or an unlink fences in centre databases). */
export async function partnerStaffIds(db: Db, partnerId: string): Promise<string[]> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.partnerId, partnerId));
  return rows.map((row) => row.id);
}
