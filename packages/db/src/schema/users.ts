import type { Role } from "@halte/core";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { centres } from "./centres.js";
import { recordColumns } from "./columns.js";
import { partners } from "./partners.js";

export const users = sqliteTable("users", {
  ...recordColumns,
  // unique: sign-in finds the account by its (lower-cased) email
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: text("role").$type<Role>().notNull(),
  /** The one centre the user works for; null for an admin of every centre. */
  centreId: text("centre_id").references(() => centres.id),
  /** For partner staff: the organisation whose referrals they see. */
  partnerId: text("partner_id").references(() => partners.id),
  /** PBKDF2-SHA-256 derived key, base64. */
  passwordHash: text("password_hash").notNull(),
  passwordSalt: text("password_salt").notNull(),
  passwordIterations: integer("password_iterations").notNull(),
  disabledAt: text("disabled_at"),
});
