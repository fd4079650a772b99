import { CentreInput } from "@halte/core";
import { copyCentreRow, deleteCentreCopyBySlug, getCentre, insertCentre } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { auditStatement } from "../../audit.js";
import { authorizeUnbound, permit } from "../../auth/middleware.js";
import type { Databases } from "../../databases.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { CentreRecord, slugTaken } from "./shared.js";

/** A new centre: the centre's fields, and where its rows are to live. */
const NewCentre = CentreInput.extend({
  d1Binding: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/, "must be a binding name (capitals, digits and _)")
    .optional()
    .openapi({
      description:
        "The binding of the D1 database the centre's rows live in: an existing, migrated database this " +
        "Worker has (e.g. `CENTRE_MONTREUIL`, made by `npm run centre:add`'s steps, docs/deploy.md). `DB` " +
        "(the directory's own database) when left out. A name the Worker lacks, or that is not a D1 " +
        "database, is refused with 422.",
      example: "CENTRE_MONTREUIL",
    }),
}).openapi("NewCentre");

const route = defineRoute({
  method: "post",
  path: "/centres",
  operationId: "createCentre",
  middleware: [permit("centre:manage")] as const,
  tags: ["centres"],
  summary: "Open a new centre (an admin bound to no centre)",
  description:
    "With `d1Binding`, the centre's rows live in that database (one database per centre, docs/scale.md): " +
    "the copy of its row is written there first, then the directory's row naming it.",
  security: staffOrToken,
  request: { body: { required: true, content: { "application/json": { schema: NewCentre } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: CentreRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "conflict", "validation_failed"),
  },
});

function refuseBinding(binding: string, message: string): never {
  throw new ApiProblem("validation_failed", message.replace("{binding}", binding), [
    { path: ["d1Binding"], code: "invalid_value", message: message.replace("{binding}", binding) },
  ]);
}

/**
 * The binding's database, checked before anything is written: a D1 database of this Worker (not the
 * figures'), migrated (it has the `centres` table).
 */
async function centreDatabaseFor(dbs: Databases, binding: string) {
  if (!dbs.canHoldCentre(binding)) {
    refuseBinding(
      binding,
      binding === "FIGURES"
        ? "FIGURES holds the figures across centres, not a centre's rows"
        : "This Worker has no D1 database bound as {binding}",
    );
  }
  if (binding === "DB") return dbs.directory;
  const d1 = dbs.d1Named(binding);
  try {
    await d1.prepare("SELECT 1 FROM centres LIMIT 1").all();
  } catch (error) {
    // Only a missing table says "not migrated"; any other failure is the database's, not the caller's.
    if (!/no such table/i.test(String((error as Error | undefined)?.message))) throw error;
    refuseBinding(binding, "The database bound as {binding} is not migrated (it has no centres table)");
  }
  return dbs.dbNamed(binding);
}

/**
 * Writes the copy of the new centre's row into its own database, as the edit routes do before the
 * directory (`writeCentreCopy`): until the directory's row exists no request reaches the centre, so a
 * failure between the two writes leaves nothing served wrongly, and a retry converges — the copy a
 * stopped attempt left under another id gives way to the new one.
 */
async function writeNewCentreCopy(
  dbs: Databases,
  binding: string,
  row: Parameters<typeof copyCentreRow>[1],
): Promise<void> {
  const centreDb = await centreDatabaseFor(dbs, binding);
  if (binding === "DB") return;
  try {
    await centreDb.batch([deleteCentreCopyBySlug(centreDb, row.slug, row.id), copyCentreRow(centreDb, row)]);
  } catch (error) {
    // Records point at that copy: it is no leftover. Any other failure is the database's (a 5xx, retried).
    if (!/FOREIGN KEY constraint failed/i.test(String((error as Error | undefined)?.message))) throw error;
    throw new ApiProblem(
      "conflict",
      `The database bound as ${binding} already holds a centre with the slug "${row.slug}" and its records`,
    );
  }
}

export const createCentreRoute = createRouter().openapi(route, async (c) => {
  authorizeUnbound(c, "centre:manage");
  const { d1Binding: binding = "DB", ...input } = c.req.valid("json");
  const { db, dbs, now, newId } = c.get("services");
  if (await slugTaken(db, input.slug)) {
    throw new ApiProblem("conflict", `The slug "${input.slug}" is already used by another centre`);
  }
  const id = newId();
  const at = now().toISOString();
  await writeNewCentreCopy(dbs, binding, {
    id,
    ...input,
    timeZone: input.openingHours.timeZone,
    createdAt: at,
    updatedAt: at,
    archivedAt: null,
    d1Binding: binding,
  });
  await db.batch([
    insertCentre(db, id, input, at, binding),
    auditStatement(c, {
      action: "create",
      entity: "centre",
      entityId: id,
      centreId: id,
      after: binding === "DB" ? input : { ...input, d1Binding: binding },
    }),
  ]);
  const created = await getCentre(db, id);
  if (!created) throw new Error("centre vanished after insert");
  return c.json(created, 201);
});
