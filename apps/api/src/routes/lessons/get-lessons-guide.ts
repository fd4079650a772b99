import { GuideLanguage, lessonsGuideHtml, lessonsGuideMarkdown } from "@halte/core";
import { getCentre, listEvents, listLessons } from "@halte/db";
import { z } from "@hono/zod-openapi";
import { assertCentreVisible, permit, requirePrincipal } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { GuideQuery } from "./schema.js";
import { lessonsGuidePolicy } from "./shared.js";

const route = defineRoute({
  method: "get",
  path: "/lessons/guide",
  operationId: "getLessonsGuide",
  tags: ["lessons"],
  summary:
    "The guide for opening the next centre: a centre's validated lessons as Markdown or printable HTML",
  description:
    "Markdown by default; `format=html` gives one self-contained page (inline A4 print style, a page per " +
    "theme, no script) to print or save as PDF. `language=fr` prints the headings, labels and statement " +
    "template in French (English by default); the lessons themselves stay in the words they were written in.",
  security: staffOrToken,
  middleware: [permit("lessons:read")] as const,
  request: {
    query: GuideQuery.extend({
      format: z
        .enum(["markdown", "html"])
        .default("markdown")
        .openapi({ description: "Markdown or printable HTML" }),
      language: GuideLanguage.default("en").openapi({
        description:
          "The language of the guide's headings, labels and statement template (the lessons stay as written)",
      }),
    }),
  },
  responses: {
    200: {
      description: "The guide",
      content: { "text/markdown": { schema: z.string() }, "text/html": { schema: z.string() } },
    },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

export const getLessonsGuideRoute = createRouter().openapi(route, async (c) => {
  const { centreId, format, language } = c.req.valid("query");
  assertCentreVisible(requirePrincipal(c), centreId);
  const { db: directory, dbs } = c.get("services");
  const centre = await getCentre(directory, centreId);
  if (!centre) throw new ApiProblem("not_found", "No such centre");
  // The centre's lessons and events are in its own database.
  const db = await dbs.dbFor(centreId);
  // The guide is a short document: a few hundred lessons and events at most per centre.
  const lessons = await listLessons(db, { centreId, limit: 1000, status: "validated" });
  const events = await listEvents(db, { centreId, limit: 1000 });
  if (format === "html") {
    // The page's `lang` is the guide's language: its headings and labels are in it.
    const html = lessonsGuideHtml(lessons, { centreName: centre.name, events, language });
    return c.body(html, 200, {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": await lessonsGuidePolicy(),
    });
  }
  const markdown = lessonsGuideMarkdown(lessons, { centreName: centre.name, events, language });
  return c.body(markdown, 200, { "content-type": "text/markdown; charset=utf-8" });
});
