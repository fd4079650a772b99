import {
  bytesToBase64,
  contentSecurityPolicy,
  GuideLanguage,
  LESSONS_GUIDE_STYLE,
  lessonsGuideHtml,
  lessonsGuideMarkdown,
} from "@halte/core";
import {
  archiveLesson,
  getCentre,
  getLesson,
  insertLesson,
  listEvents,
  listLessons,
  replaceLesson,
} from "@halte/db";
import { z } from "@hono/zod-openapi";
import { auditStatement } from "../../audit.js";
import { assertCentreVisible, authorize, permit, requirePrincipal } from "../../auth/middleware.js";
import { defineRoute, staffOrToken } from "../../openapi.js";
import { decodeCursor, toPage } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { archiveRecord } from "../archive.js";

let guidePolicy: Promise<string> | undefined;
/**
 * The printable guide is one self-contained file with its stylesheet inline: its policy allows that one
 * stylesheet by hash, and nothing else — no script, no other style, no request.
 */
function lessonsGuidePolicy(): Promise<string> {
  guidePolicy ??= crypto.subtle
    .digest("SHA-256", new TextEncoder().encode(LESSONS_GUIDE_STYLE))
    .then((digest) =>
      contentSecurityPolicy({
        "default-src": "'none'",
        "style-src": `'sha256-${bytesToBase64(new Uint8Array(digest))}'`,
        "base-uri": "'none'",
        "form-action": "'none'",
        "frame-ancestors": "'none'",
      }),
    );
  return guidePolicy;
}

import { lessonHistoryRoutes } from "./lesson-history.js";
import { assertMayChange, checkEvidence, refuseArchived, visibleLesson } from "./lesson-rules.js";
import { reviewLessonRoutes } from "./review-lesson.js";
import { GuideQuery, LessonBody, LessonListQuery, LessonPage, LessonParams, LessonRecord } from "./schema.js";

const listRoute = defineRoute({
  method: "get",
  path: "/lessons",
  operationId: "listLessons",
  tags: ["lessons"],
  summary: "List lessons learned, by status, theme and type",
  security: staffOrToken,
  middleware: [permit("lessons:read")] as const,
  request: { query: LessonListQuery },
  responses: {
    200: { description: "A page of lessons", content: { "application/json": { schema: LessonPage } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

const guideRoute = defineRoute({
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

const createLessonRoute = defineRoute({
  method: "post",
  path: "/lessons",
  operationId: "createLesson",
  tags: ["lessons"],
  summary: "Contribute a lesson at a centre (named by `centreId` in the body); it starts as draft",
  security: staffOrToken,
  middleware: [permit("lessons:contribute")] as const,
  request: { body: { required: true, content: { "application/json": { schema: LessonBody } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: LessonRecord } } },
    ...problemResponses("malformed_request", "unauthenticated", "forbidden", "validation_failed"),
  },
});

const getRoute = defineRoute({
  method: "get",
  path: "/lessons/{lessonId}",
  operationId: "getLesson",
  tags: ["lessons"],
  summary: "Get a lesson",
  security: staffOrToken,
  middleware: [permit("lessons:read")] as const,
  request: { params: LessonParams },
  responses: {
    200: { description: "The lesson", content: { "application/json": { schema: LessonRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

const replaceRoute = defineRoute({
  method: "put",
  path: "/lessons/{lessonId}",
  operationId: "updateLesson",
  tags: ["lessons"],
  summary: "Edit a lesson; an edited lesson goes back to draft to be reviewed again",
  description:
    "Any lesson that is not archived may be edited, whatever its status. Its review held for the text that " +
    "was reviewed, so a reviewed or validated lesson that is edited returns to `draft` (and leaves the guide " +
    "until validated again). `centreId` must stay the lesson's own. Contributors without `lessons:validate` " +
    "(reception, partners) edit only the lessons they contributed (else 403).",
  security: staffOrToken,
  middleware: [permit("lessons:contribute")] as const,
  request: {
    params: LessonParams,
    body: { required: true, content: { "application/json": { schema: LessonBody } } },
  },
  responses: {
    200: { description: "Updated", content: { "application/json": { schema: LessonRecord } } },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "conflict",
      "validation_failed",
    ),
  },
});

const archiveRoute = defineRoute({
  method: "post",
  path: "/lessons/{lessonId}/archive",
  operationId: "archiveLesson",
  tags: ["lessons"],
  summary: "Archive a lesson; it leaves the guide. Archiving twice changes nothing",
  description:
    "Contributors without `lessons:validate` archive only the lessons they contributed (else 403).",
  security: staffOrToken,
  middleware: [permit("lessons:contribute")] as const,
  request: { params: LessonParams },
  responses: {
    200: { description: "Archived", content: { "application/json": { schema: LessonRecord } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found"),
  },
});

export const lessonRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const principal = requirePrincipal(c);
    const { limit, cursor, centreId, status, theme, type, includeArchived } = c.req.valid("query");
    if (centreId !== undefined) assertCentreVisible(principal, centreId);
    const rows = await listLessons(c.get("services").db, {
      centreId: centreId ?? principal.centreId,
      afterId: decodeCursor(cursor),
      limit,
      includeArchived,
      ...(status ? { status } : {}),
      ...(theme ? { theme } : {}),
      ...(type ? { type } : {}),
    });
    return c.json(toPage(rows, limit), 200);
  })
  .openapi(guideRoute, async (c) => {
    const { centreId, format, language } = c.req.valid("query");
    assertCentreVisible(requirePrincipal(c), centreId);
    const { db } = c.get("services");
    const centre = await getCentre(db, centreId);
    if (!centre) throw new ApiProblem("not_found", "No such centre");
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
  })
  .openapi(createLessonRoute, async (c) => {
    const input = c.req.valid("json");
    const principal = authorize(c, "lessons:contribute", input.centreId);
    const { db, now, newId } = c.get("services");
    if (!(await getCentre(db, input.centreId))) {
      throw new ApiProblem("validation_failed", "Unknown centre", [
        { path: ["centreId"], code: "invalid_value", message: "No such centre" },
      ]);
    }
    await checkEvidence(c, input.centreId, input.evidence);
    const id = newId();
    await db.batch([
      insertLesson(db, id, input, now().toISOString(), principal.id),
      auditStatement(c, {
        action: "create",
        entity: "lesson",
        entityId: id,
        centreId: input.centreId,
        after: { ...input, status: "draft" },
      }),
    ]);
    const created = await getLesson(db, id);
    if (!created) throw new Error("lesson vanished after insert");
    return c.json(created, 201);
  })
  .openapi(getRoute, async (c) => c.json(await visibleLesson(c, c.req.valid("param").lessonId), 200))
  .openapi(replaceRoute, async (c) => {
    const { lessonId } = c.req.valid("param");
    const input = c.req.valid("json");
    const before = await visibleLesson(c, lessonId);
    assertMayChange(c, before);
    if (input.centreId !== before.centreId) {
      throw new ApiProblem("validation_failed", "A lesson cannot move to another centre", [
        { path: ["centreId"], code: "invalid_value", message: "Must be the lesson's own centre" },
      ]);
    }
    refuseArchived(before);
    await checkEvidence(c, before.centreId, input.evidence);
    const { db, now } = c.get("services");
    await db.batch([
      replaceLesson(db, lessonId, input, now().toISOString()),
      auditStatement(c, {
        action: "update",
        entity: "lesson",
        entityId: lessonId,
        centreId: before.centreId,
        before,
        after: { ...input, status: "draft" },
      }),
    ]);
    const after = await getLesson(db, lessonId);
    if (!after) throw new Error("lesson vanished after update");
    return c.json(after, 200);
  })
  .openapi(archiveRoute, async (c) => {
    const before = await visibleLesson(c, c.req.valid("param").lessonId);
    assertMayChange(c, before);
    if (before.archivedAt !== null) return c.json(before, 200);
    return c.json(await archiveRecord(c, "lesson", before, archiveLesson), 200);
  })
  .route("/", reviewLessonRoutes)
  .route("/", lessonHistoryRoutes);
