import type { AgeBand, Gender } from "@halte/core";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { recordColumns, recordKeyColumn } from "./columns.js";

export const visits = sqliteTable(
  "visits",
  {
    ...recordColumns,
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    arrivedAt: text("arrived_at").notNull(),
    /** The centre-local day of arrival, fixed at write time so rollups never re-derive time zones. */
    localDay: text("local_day").notNull(),
    /**
     * The centre-local hour of arrival (0–23), fixed at write time like `local_day`: the roll-up counts
     * arrivals per hour from it without reading zones. NULL only on rows written before migration 0006 (or
     * by raw SQL); the roll-up computes those from `arrived_at` and writes them back.
     */
    localHour: integer("local_hour"),
    /** HMAC of the card code; personal data, nulled by the retention purge. */
    visitorCodeHash: text("visitor_code_hash"),
    ageBand: text("age_band").$type<AgeBand>(),
    gender: text("gender").$type<Gender>(),
    languages: text("languages", { mode: "json" }).$type<string[]>().notNull(),
    firstVisit: integer("first_visit", { mode: "boolean" }),
    idempotencyKey: text("idempotency_key"),
    recordedBy: text("recorded_by"),
    /**
     * When the arrival was undone at the door (a mistaken tap): a voided visit stays for the audit trail
     * but counts in no figure. Every reader of visits filters on it.
     */
    voidedAt: text("voided_at"),
    recordKey: recordKeyColumn(),
  },
  (t) => [
    // serves: a retried door tap or batch is recorded once per centre
    uniqueIndex("visits_centre_idempotency_key_uq").on(t.centreId, t.idempotencyKey),
    // serves: list and roll up a centre's visits by local day
    index("visits_centre_local_day_idx").on(t.centreId, t.localDay),
    // serves: incremental rollups read what changed since the watermark
    index("visits_updated_at_idx").on(t.updatedAt),
  ],
);
