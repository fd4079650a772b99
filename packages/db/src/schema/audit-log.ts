import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    centreId: text("centre_id"),
    actorType: text("actor_type").$type<"user" | "token" | "door" | "partner_webhook" | "system">().notNull(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id"),
    /** What changed, with personal fields replaced by "[redacted]". */
    diff: text("diff", { mode: "json" }).$type<Record<string, unknown>>(),
    at: text("at").notNull(),
  },
  (t) => [
    // serves: an admin reads a centre's log, newest first
    index("audit_log_centre_idx").on(t.centreId, t.id),
    // serves: the history of one record
    index("audit_log_entity_idx").on(t.entity, t.entityId),
  ],
);
