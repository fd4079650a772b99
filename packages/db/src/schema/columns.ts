import { integer, text } from "drizzle-orm/sqlite-core";

/**
 * Columns every record table shares. Instants are stored as ISO 8601 UTC text with milliseconds
 * (`2026-11-28T07:03:00.000Z`): fixed width, so text order is time order and indexes serve ranges.
 */
export const recordColumns = {
  id: text("id").primaryKey(),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
};

/**
 * A random record key in [1, 2³²), drawn when a row is inserted (core's `cell-key.ts`: the keys of the rows
 * a published figure counts decide its perturbation). Never sent to a client. Rows written by raw SQL
 * without one get theirs from the table's insert trigger (migration 0004), so no row is left keyless.
 */
export function drawRecordKey(): number {
  const [key] = crypto.getRandomValues(new Uint32Array(1));
  return key === undefined || key === 0 ? 1 : key;
}

/** The `record_key` column of visits, service uses and referrals. */
export const recordKeyColumn = () => integer("record_key").notNull().default(0).$defaultFn(drawRecordKey);
