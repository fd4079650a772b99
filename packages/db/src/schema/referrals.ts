import type {
  AgeBand,
  Gender,
  ReferralContact,
  ReferralNeed,
  ReferralStatus,
  StatusReason,
} from "@halte/core";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { recordColumns, recordKeyColumn } from "./columns.js";
import { partners } from "./partners.js";
import { services } from "./services.js";

export const referrals = sqliteTable(
  "referrals",
  {
    ...recordColumns,
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    serviceId: text("service_id").references(() => services.id),
    need: text("need").$type<ReferralNeed>().notNull(),
    note: text("note"),
    status: text("status").$type<ReferralStatus>().notNull(),
    statusReason: text("status_reason").$type<StatusReason>(),
    statusNote: text("status_note"),
    partnerReference: text("partner_reference"),
    /** Personal data: only with consent; purged after closure + retention. */
    contact: text("contact", { mode: "json" }).$type<ReferralContact>(),
    consentId: text("consent_id"),
    ageBand: text("age_band").$type<AgeBand>(),
    gender: text("gender").$type<Gender>(),
    languages: text("languages", { mode: "json" }).$type<string[]>().notNull(),
    requestedAt: text("requested_at"),
    closedAt: text("closed_at"),
    /** When a coordinator erased the person's details on request (GDPR art. 17); counts stay. */
    erasedAt: text("erased_at"),
    version: integer("version").notNull(),
    recordKey: recordKeyColumn(),
  },
  (t) => [
    // serves: list a centre's referrals, newest first, filtered by status
    index("referrals_centre_status_idx").on(t.centreId, t.status, t.id),
    // serves: list a centre's referrals newest first (by creation time), paged, filtered by date
    index("referrals_centre_created_idx").on(t.centreId, t.createdAt, t.id),
    // serves: a partner lists only its own referrals
    index("referrals_partner_idx").on(t.partnerId, t.id),
    // serves: the retention purge finds closed referrals past retention
    index("referrals_closed_at_idx").on(t.closedAt),
  ],
);
