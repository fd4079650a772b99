import type { ServiceUseSource } from "@halte/core";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { recordColumns, recordKeyColumn } from "./columns.js";
import { partners } from "./partners.js";
import { services } from "./services.js";
import { visits } from "./visits.js";

export const serviceUses = sqliteTable(
  "service_uses",
  {
    ...recordColumns,
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    serviceId: text("service_id")
      .notNull()
      .references(() => services.id),
    visitId: text("visit_id").references(() => visits.id),
    usedAt: text("used_at").notNull(),
    localDay: text("local_day").notNull(),
    quantity: integer("quantity").notNull(),
    source: text("source").$type<ServiceUseSource>().notNull(),
    partnerId: text("partner_id").references(() => partners.id),
    idempotencyKey: text("idempotency_key"),
    /** Who recorded the use (a door tap's staff user or door device); null for rows older than the column. */
    recordedBy: text("recorded_by"),
    /** When the use was undone at the door: kept for the audit trail, counted in no figure. */
    voidedAt: text("voided_at"),
    recordKey: recordKeyColumn(),
  },
  (t) => [
    // serves: a retried report of uses is recorded once per centre
    uniqueIndex("service_uses_centre_idempotency_key_uq").on(t.centreId, t.idempotencyKey),
    // serves: uses of a centre by local day (rollups, remaining capacity at the door)
    index("service_uses_centre_local_day_idx").on(t.centreId, t.localDay, t.serviceId),
    // serves: the uses recorded with one visit
    index("service_uses_visit_id_idx").on(t.visitId),
    // serves: incremental rollups read what changed since the watermark (without it, every run scans
    // the whole table: 2.4 s a night for one centre-year, see docs/benchmarks.md)
    index("service_uses_updated_at_idx").on(t.updatedAt),
  ],
);
