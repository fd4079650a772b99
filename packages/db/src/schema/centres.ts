import type { Schedule } from "@halte/core";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { recordColumns } from "./columns.js";

export const centres = sqliteTable("centres", {
  ...recordColumns,
  name: text("name").notNull(),
  // unique: the public directory finds a centre by its slug
  slug: text("slug").notNull().unique(),
  address: text("address"),
  openingHours: text("opening_hours", { mode: "json" }).$type<Schedule>().notNull(),
  timeZone: text("time_zone").notNull(),
  dailyCapacity: integer("daily_capacity"),
  disclosureThreshold: integer("disclosure_threshold").notNull(),
  /** Largest noise of the cell-key perturbation of shared figures (docs/disclosure.md). */
  perturbationMaxNoise: integer("perturbation_max_noise").notNull().default(2),
  retentionMonths: integer("retention_months").notNull(),
  languages: text("languages", { mode: "json" }).$type<string[]>().notNull(),
  /** The languages reception can tick at the door; empty: the built-in six (core `doorLanguagesOf`). */
  doorLanguages: text("door_languages", { mode: "json" }).$type<string[]>().notNull().default([]),
  archivedAt: text("archived_at"),
  /**
   * The Worker's D1 binding that holds this centre's people and visits (docs/scale.md, "One database per
   * centre"). `DB`, the directory's own binding, on a single-database install; `CENTRE_<SLUG>` once the centre
   * has its own database (`npm run centre:add`). Never part of the API's `Centre`.
   */
  d1Binding: text("d1_binding").notNull().default("DB"),
});
