import type { ConsentMethod, ConsentScope } from "@halte/core";
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { recordColumns } from "./columns.js";

export const consents = sqliteTable(
  "consents",
  {
    ...recordColumns,
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    referralId: text("referral_id").notNull(),
    givenAt: text("given_at").notNull(),
    method: text("method").$type<ConsentMethod>().notNull(),
    scopes: text("scopes", { mode: "json" }).$type<ConsentScope[]>().notNull(),
    language: text("language"),
    withdrawnAt: text("withdrawn_at"),
  },
  (t) => [
    // serves: the consent of a referral
    index("consents_referral_idx").on(t.referralId),
  ],
);
