import { text } from "drizzle-orm/sqlite-core";

/**
 * Columns every record table shares. Instants are stored as ISO 8601 UTC text with milliseconds
 * (`2026-11-28T07:03:00.000Z`): fixed width, so text order is time order and indexes serve ranges.
 */
export const recordColumns = {
  id: text("id").primaryKey(),
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
};
