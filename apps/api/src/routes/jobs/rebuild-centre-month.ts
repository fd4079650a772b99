import { Id, localDateOf } from "@halte/core";
import { daysToRebuild, getCentre, getCentreRow } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { authorize, permit } from "../../auth/middleware.js";
import { centreRowForFigures, monthPartialStatements } from "../../jobs/months.js";
import { rollDays } from "../../jobs/rollup.js";
import { defineRoute, staffOnly } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";

const route = defineRoute({
  method: "post",
  path: "/jobs/rebuild",
  operationId: "rebuildCentreMonth",
  middleware: [permit("centre:manage")] as const,
  tags: ["jobs"],
  summary: "Re-roll one month of a centre's day partials from its rows (admin); run it month by month",
  description:
    "A month is at most 31 days of one centre: one invocation's work, well inside D1's limits. The result " +
    "equals what the incremental roll-up stores for the same rows, byte for byte. The month's merged " +
    "partial, and the month, quarter and year figures it completes (read by reports across centres), are " +
    "stored again from the rebuilt days.",
  security: staffOnly,
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.strictObject({
            centreId: Id,
            month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "Use YYYY-MM"),
          }),
        },
      },
    },
  },
  responses: {
    200: {
      description: "How much was re-rolled",
      content: {
        "application/json": {
          schema: z.object({
            daysRolled: z.int(),
            daysFrozen: z.int().openapi({
              description:
                "Days past the centre's retention, left as they were (their visitor codes are purged)",
            }),
            rowsRead: z.int(),
          }),
        },
      },
    },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "validation_failed",
    ),
  },
});

export const rebuildCentreMonthRoute = createRouter().openapi(route, async (c) => {
  const { centreId, month } = c.req.valid("json");
  authorize(c, "centre:manage", centreId);
  const { db: directory, dbs, now, newId, logger } = c.get("services");
  if (!(await getCentre(directory, centreId))) throw new ApiProblem("not_found", "No such centre");
  // The days are re-rolled in the centre's own database.
  const db = await dbs.dbFor(centreId);
  const days = await daysToRebuild(db, centreId, `${month}-01`, `${month}-31`);
  const rolled = await rollDays({ db, directory, now: now(), newId }, days);
  // The month's stored partial, merged again from the days just rebuilt (into the centre's database), and
  // the month, quarter and year figures it completes (into the figures database, first).
  const centre = await getCentreRow(db, centreId);
  const statements = await monthPartialStatements({
    db,
    figures: dbs.figures,
    centreId,
    months: [month],
    at: now(),
    today: centre ? localDateOf(now(), centre.timeZone) : "",
  });
  const copy = await centreRowForFigures(db, dbs.figures, centreId, dbs.figuresApart);
  // The centre's row goes first when the figures have a database of their own: their rows name it.
  const [firstFigure, ...moreFigures] = statements.figures.length > 0 ? [...copy, ...statements.figures] : [];
  if (firstFigure) await dbs.figures.batch([firstFigure, ...moreFigures]);
  const [first, ...rest] = statements.centre;
  if (first) await db.batch([first, ...rest]);
  logger.info("rollup rebuild", { centreId, month, ...rolled });
  return c.json(rolled, 200);
});
