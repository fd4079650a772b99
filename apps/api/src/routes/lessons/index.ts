import {
  canMoveLesson,
  type Evidence,
  type FieldError,
  Id,
  Lesson,
  LessonInput,
  LessonStatus,
  LessonTheme,
  LessonType,
  lessonsGuideMarkdown,
} from "@halte/core";
import {
  archiveLesson,
  getCentre,
  getEvent,
  getLesson,
  insertLesson,
  listEvents,
  listLessons,
  replaceLesson,
  setLessonStatus,
} from "@halte/db";
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { auditStatement } from "../../audit.js";
import { assertCentreVisible, authorize, permit, requirePrincipal } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { staffOrToken } from "../../openapi.js";
import { decodeCursor, PageQuery, pageOf, toPage } from "../../pagination.js";
import { ApiProblem, problemResponses } from "../../problem.js";
import { createRouter } from "../../router.js";
import { archiveRecord, IncludeArchived } from "../archive.js";

const LessonRecord = Lesson.openapi("Lesson");
const LessonParams = z.object({ lessonId: z.string().min(1).max(64) });
const StatusChange = z.strictObject({ status: LessonStatus }).openapi("LessonStatusChange");

async function visibleLesson(c: Context<AppEnv>, lessonId: string) {
  const lesson = await getLesson(c.get("services").db, lessonId);
  if (!lesson) throw new ApiProblem("not_found", "No such lesson");
  assertCentreVisible(requirePrincipal(c), lesson.centreId);
  return lesson;
}

/** Evidence that cites an event must cite one of the lesson's own centre. */
async function checkEvidence(c: Context<AppEnv>, centreId: string, evidence: readonly Evidence[]) {
  const errors: FieldError[] = [];
  for (const [index, item] of evidence.entries()) {
    if (item.kind !== "event") continue;
    const event = await getEvent(c.get("services").db, item.reference);
    if (!event || event.centreId !== centreId) {
      errors.push({
        path: ["evidence", index, "reference"],
        code: "invalid_value",
        message: "No such event at this centre",
      });
    }
  }
  if (errors.length > 0)
    throw new ApiProblem("validation_failed", "Some evidence cites unknown events", errors);
}

const listRoute = createRoute({
  method: "get",
  path: "/lessons",
  tags: ["lessons"],
  summary: "List lessons learned, by status, theme and type",
  security: staffOrToken,
  middleware: [permit("lessons:read")] as const,
  request: {
    query: PageQuery.extend({
      centreId: Id.optional(),
      status: LessonStatus.optional(),
      theme: LessonTheme.optional(),
      type: LessonType.optional(),
      includeArchived: IncludeArchived,
    }),
  },
  responses: {
    200: {
      description: "A page of lessons",
      content: { "application/json": { schema: pageOf(LessonRecord, "Lesson") } },
    },
    ...problemResponses("unauthenticated", "forbidden", "validation_failed"),
  },
});

const guideRoute = createRoute({
  method: "get",
  path: "/lessons/guide",
  tags: ["lessons"],
  summary: "The guide for opening the next centre: a centre's validated lessons as Markdown",
  security: staffOrToken,
  middleware: [permit("lessons:read")] as const,
  request: { query: z.object({ centreId: Id }) },
  responses: {
    200: { description: "The guide", content: { "text/markdown": { schema: z.string() } } },
    ...problemResponses("unauthenticated", "forbidden", "not_found", "validation_failed"),
  },
});

const createLessonRoute = createRoute({
  method: "post",
  path: "/lessons",
  tags: ["lessons"],
  summary: "Contribute a lesson (starts as draft)",
  security: staffOrToken,
  middleware: [permit("lessons:contribute")] as const,
  request: { body: { required: true, content: { "application/json": { schema: LessonInput } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: LessonRecord } } },
    ...problemResponses("malformed_request", "unauthenticated", "forbidden", "validation_failed"),
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/lessons/{lessonId}",
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

const replaceRoute = createRoute({
  method: "put",
  path: "/lessons/{lessonId}",
  tags: ["lessons"],
  summary: "Edit a lesson; an edited lesson goes back to draft to be reviewed again",
  security: staffOrToken,
  middleware: [permit("lessons:contribute")] as const,
  request: {
    params: LessonParams,
    body: { required: true, content: { "application/json": { schema: LessonInput } } },
  },
  responses: {
    200: { description: "Updated", content: { "application/json": { schema: LessonRecord } } },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "validation_failed",
    ),
  },
});

const statusRoute = createRoute({
  method: "post",
  path: "/lessons/{lessonId}/status",
  tags: ["lessons"],
  summary: "Review a lesson: draft → reviewed → validated, or back to draft",
  description: "Validating needs the `lessons:validate` permission (coordinators, admins).",
  security: staffOrToken,
  middleware: [permit("lessons:contribute")] as const,
  request: {
    params: LessonParams,
    body: { required: true, content: { "application/json": { schema: StatusChange } } },
  },
  responses: {
    200: { description: "Moved", content: { "application/json": { schema: LessonRecord } } },
    ...problemResponses(
      "malformed_request",
      "unauthenticated",
      "forbidden",
      "not_found",
      "illegal_transition",
      "validation_failed",
    ),
  },
});

const archiveRoute = createRoute({
  method: "post",
  path: "/lessons/{lessonId}/archive",
  tags: ["lessons"],
  summary: "Archive a lesson; it leaves the guide",
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
    const { centreId } = c.req.valid("query");
    assertCentreVisible(requirePrincipal(c), centreId);
    const { db } = c.get("services");
    const centre = await getCentre(db, centreId);
    if (!centre) throw new ApiProblem("not_found", "No such centre");
    // The guide is a short document: a few hundred lessons and events at most per centre.
    const lessons = await listLessons(db, { centreId, limit: 1000, status: "validated" });
    const events = await listEvents(db, { centreId, limit: 1000 });
    const markdown = lessonsGuideMarkdown(lessons, { centreName: centre.name, events });
    return c.body(markdown, 200, { "content-type": "text/markdown; charset=utf-8" });
  })
  .openapi(createLessonRoute, async (c) => {
    const input = c.req.valid("json");
    authorize(c, "lessons:contribute", input.centreId);
    const { db, now, newId } = c.get("services");
    if (!(await getCentre(db, input.centreId))) {
      throw new ApiProblem("validation_failed", "Unknown centre", [
        { path: ["centreId"], code: "invalid_value", message: "No such centre" },
      ]);
    }
    await checkEvidence(c, input.centreId, input.evidence);
    const id = newId();
    await db.batch([
      insertLesson(db, id, input, now().toISOString()),
      auditStatement(c, {
        action: "create",
        entity: "lesson",
        entityId: id,
        centreId: input.centreId,
        after: input,
      }),
    ]);
    return c.json((await getLesson(db, id)) as Lesson, 201);
  })
  .openapi(getRoute, async (c) => c.json(await visibleLesson(c, c.req.valid("param").lessonId), 200))
  .openapi(replaceRoute, async (c) => {
    const { lessonId } = c.req.valid("param");
    const input = c.req.valid("json");
    const before = await visibleLesson(c, lessonId);
    authorize(c, "lessons:contribute", before.centreId);
    if (input.centreId !== before.centreId) {
      throw new ApiProblem("validation_failed", "A lesson cannot move to another centre", [
        { path: ["centreId"], code: "invalid_value", message: "Must be the lesson's own centre" },
      ]);
    }
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
    return c.json((await getLesson(db, lessonId)) as Lesson, 200);
  })
  .openapi(statusRoute, async (c) => {
    const { lessonId } = c.req.valid("param");
    const { status } = c.req.valid("json");
    const before = await visibleLesson(c, lessonId);
    authorize(c, status === "validated" ? "lessons:validate" : "lessons:contribute", before.centreId);
    if (!canMoveLesson(before.status, status)) {
      throw new ApiProblem("illegal_transition", `A ${before.status} lesson cannot become ${status}`);
    }
    const { db, now } = c.get("services");
    await db.batch([
      setLessonStatus(db, lessonId, status, now().toISOString()),
      auditStatement(c, {
        action: "status",
        entity: "lesson",
        entityId: lessonId,
        centreId: before.centreId,
        before: { status: before.status },
        after: { status },
      }),
    ]);
    return c.json((await getLesson(db, lessonId)) as Lesson, 200);
  })
  .openapi(archiveRoute, async (c) => {
    const before = await visibleLesson(c, c.req.valid("param").lessonId);
    authorize(c, "lessons:contribute", before.centreId);
    return c.json(await archiveRecord(c, "lesson", before, archiveLesson), 200);
  });
