import { index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { partners } from "./partners.js";

/**
 * The centres a partner works with (a directory table, docs/partners.md "One identity across centres"): its
 * home centre (`partners.centre_id`, the one that registered it) and every centre it was linked to since. Its
 * users, API tokens and webhook secrets reach exactly these centres; removing a row ends that reach at once.
 */
export const partnerCentres = sqliteTable(
  "partner_centres",
  {
    partnerId: text("partner_id")
      .notNull()
      .references(() => partners.id),
    centreId: text("centre_id")
      .notNull()
      .references(() => centres.id),
    linkedAt: text("linked_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partnerId, t.centreId] }),
    // serves: the partners a centre works with (listing a centre's partners)
    index("partner_centres_centre_idx").on(t.centreId, t.partnerId),
  ],
);
