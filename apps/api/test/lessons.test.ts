import { describe, expect, it } from "vitest";
import { api, type Caller, givenCentre, givenPartner, partnerToken, signedIn } from "./helpers.js";
import { auditOf, errorPaths, idsOf, pagesOf } from "./records-helpers.js";

function lesson(centreId: string, overrides: Record<string, unknown> = {}) {
  return {
    centreId,
    type: "critical_point",
    theme: "premises_logistics",
    title: "Showers saturated on evacuation days",
    statement: {
      context: "a camp evacuation nearby",
      situation: "twice the usual number of people arrived before 9:00",
      result: "all showers were booked by 10:00",
      cause: "slots were not staggered",
      recommendation: "plan staggered slots when an evacuation is announced",
    },
    evidence: [],
    contributors: ["centre_team", "people_assisted"],
    chsCommitments: [2, 8],
    periodStart: "2026-01-19",
    periodEnd: "2026-01-25",
    ...overrides,
  };
}

async function givenLesson(as: Caller, centreId: string, overrides: Record<string, unknown> = {}) {
  const created = await api("POST", "/api/lessons", { as, body: lesson(centreId, overrides) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

async function givenEvent(as: Caller, centreId: string) {
  const created = await api("POST", "/api/events", {
    as,
    body: { centreId, kind: "camp_evacuation", title: "Évacuation", startsOn: "2026-01-20" },
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

const move = (as: Caller, id: string, status: string) =>
  api("POST", `/api/lessons/${id}/status`, { as, body: { status } });

describe("lessons learned", () => {
  it("start as drafts and move draft → reviewed → validated, each move audited", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const created = await api("POST", "/api/lessons", { as: coordinator, body: lesson(centreId) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      centreId,
      status: "draft",
      chsCommitments: [2, 8],
      archivedAt: null,
    });
    const id = created.body.id;
    expect((await api("GET", `/api/lessons/${id}`, { as: coordinator })).body).toEqual(created.body);

    const skip = await move(coordinator, id, "validated");
    expect(skip.status).toBe(409);
    expect(skip.body.code).toBe("illegal_transition");
    expect((await move(coordinator, id, "draft")).status).toBe(409);

    expect((await move(coordinator, id, "reviewed")).body.status).toBe("reviewed");
    expect((await move(coordinator, id, "reviewed")).status).toBe(409);
    // Four eyes: the author cannot validate their own lesson; a colleague can.
    const own = await move(coordinator, id, "validated");
    expect(own.status).toBe(409);
    expect(own.body.detail).toBe("A lesson is validated by someone other than its author");
    const colleague = await signedIn("coordinator", { centreId });
    expect((await move(colleague, id, "validated")).body.status).toBe("validated");
    const unexplained = await move(coordinator, id, "draft");
    expect(unexplained.status).toBe(422);
    expect(errorPaths(unexplained)).toEqual(["reason"]);
    const back = await api("POST", `/api/lessons/${id}/status`, {
      as: coordinator,
      body: { status: "draft", reason: "The May figures were corrected" },
    });
    expect(back.body.status).toBe("draft");

    const log = await auditOf(id);
    expect(log.map((row) => row.action)).toEqual(["create", "status", "status", "status"]);
    expect(log.map((row) => row.diff?.after)).toEqual([
      expect.objectContaining({ status: "draft", title: "Showers saturated on evacuation days" }),
      { status: "reviewed" },
      { status: "validated" },
      { status: "draft", reason: "The May figures were corrected" },
    ]);
    expect(log.map((row) => row.actorId)).toEqual([
      coordinator.userId,
      coordinator.userId,
      colleague.userId,
      coordinator.userId,
    ]);
    expect(log.every((row) => row.centreId === centreId)).toBe(true);

    const history = await api("GET", `/api/lessons/${id}/history`, { as: colleague });
    expect(history.body.items).toEqual([
      expect.objectContaining({ action: "create", toStatus: "draft", actorName: "Test coordinator" }),
      expect.objectContaining({ action: "status", fromStatus: "draft", toStatus: "reviewed", reason: null }),
      expect.objectContaining({ action: "status", fromStatus: "reviewed", toStatus: "validated" }),
      expect.objectContaining({
        fromStatus: "validated",
        toStatus: "draft",
        reason: "The May figures were corrected",
      }),
    ]);
  });

  it("sends an edited validated lesson back to draft, out of the guide until validated again", async () => {
    const centreId = await givenCentre({ name: "Halte Nord" });
    const coordinator = await signedIn("coordinator", { centreId });
    const id = await givenLesson(coordinator, centreId);
    await move(coordinator, id, "reviewed");
    await move(await signedIn("coordinator", { centreId }), id, "validated");
    const guide = () => api("GET", `/api/lessons/guide?centreId=${centreId}`, { as: coordinator });
    expect((await guide()).body).toContain("Showers saturated on evacuation days");

    const edited = await api("PUT", `/api/lessons/${id}`, {
      as: coordinator,
      body: lesson(centreId, { title: "Stagger shower slots on evacuation days" }),
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ status: "draft", title: "Stagger shower slots on evacuation days" });
    expect((await guide()).body).not.toContain("Stagger shower slots");
    const log = await auditOf(id);
    expect(log.at(-1)?.action).toBe("update");
    expect(log.at(-1)?.diff).toEqual({
      before: { title: "Showers saturated on evacuation days", status: "validated" },
      after: { title: "Stagger shower slots on evacuation days", status: "draft" },
    });
  });

  it("archives a lesson once, and refuses to edit or move an archived one", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const id = await givenLesson(coordinator, centreId);
    const archived = await api("POST", `/api/lessons/${id}/archive`, { as: coordinator });
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).not.toBeNull();
    expect((await api("POST", `/api/lessons/${id}/archive`, { as: coordinator })).body.archivedAt).toBe(
      archived.body.archivedAt,
    );
    expect((await move(coordinator, id, "reviewed")).status).toBe(409);
    expect((await api("PUT", `/api/lessons/${id}`, { as: coordinator, body: lesson(centreId) })).status).toBe(
      409,
    );
    expect(idsOf(await api("GET", `/api/lessons?centreId=${centreId}`, { as: coordinator }))).toEqual([]);
    expect(
      idsOf(await api("GET", `/api/lessons?centreId=${centreId}&includeArchived=true`, { as: coordinator })),
    ).toEqual([id]);
    expect((await auditOf(id)).map((row) => row.action)).toEqual(["create", "archive"]);
  });

  it("filters by status, theme and type", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const draft = await givenLesson(coordinator, centreId);
    const reviewed = await givenLesson(coordinator, centreId, {
      type: "good_practice",
      theme: "coordination",
    });
    await move(coordinator, reviewed, "reviewed");
    const list = (query: string) =>
      api("GET", `/api/lessons?centreId=${centreId}&${query}`, { as: coordinator });
    expect(idsOf(await list("status=draft"))).toEqual([draft]);
    expect(idsOf(await list("status=reviewed"))).toEqual([reviewed]);
    expect(idsOf(await list("status=validated"))).toEqual([]);
    expect(idsOf(await list("theme=coordination"))).toEqual([reviewed]);
    expect(idsOf(await list("type=critical_point"))).toEqual([draft]);
    expect(idsOf(await list("type=good_practice&theme=premises_logistics"))).toEqual([]);
    expect(errorPaths(await list("status=published&theme=weather"))).toEqual(["query.status", "query.theme"]);
  });

  it("pages by cursor: an empty page, and an exact multiple of the limit", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    expect((await api("GET", `/api/lessons?centreId=${centreId}`, { as: coordinator })).body).toEqual({
      items: [],
      nextCursor: null,
    });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await givenLesson(coordinator, centreId));
    ids.sort();
    expect(await pagesOf(`/api/lessons?centreId=${centreId}`, coordinator, 3)).toEqual([
      ids.slice(0, 3),
      ids.slice(3),
    ]);
    expect(await pagesOf(`/api/lessons?centreId=${centreId}&status=draft`, coordinator, 6)).toEqual([ids]);
  });

  const figure = {
    report: "visits",
    periodType: "week",
    period: "2026W04",
    breakdown: "visits",
    value: 385,
    publishedAt: "2026-02-01T09:00:00.000Z",
  };

  it("accepts evidence citing the centre's own events only, archived ones included", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const own = await givenEvent(coordinator, centreId);
    const past = await givenEvent(coordinator, centreId);
    await api("POST", `/api/events/${past}/archive`, { as: coordinator });
    const foreign = await givenEvent(await signedIn("admin"), await givenCentre());
    const cite = (reference: string, kind = "event") => ({
      kind,
      reference,
      description: "x",
      strength: "strong",
    });

    const ok = await api("POST", "/api/lessons", {
      as: coordinator,
      body: lesson(centreId, {
        evidence: [cite(own), cite(past), { ...cite("visits:2026W04:visits", "figure"), figure }],
      }),
    });
    expect(ok.status).toBe(201);
    expect(ok.body.evidence).toHaveLength(3);
    expect(ok.body.evidence[2].figure).toEqual(figure);
    // A figure is picked from a report, not typed as a path.
    const typed = await api("POST", "/api/lessons", {
      as: coordinator,
      body: lesson(centreId, { evidence: [cite("reports/visits?period=2026W04", "figure")] }),
    });
    expect(errorPaths(typed)).toEqual(["evidence.0.figure"]);

    const refused = await api("POST", "/api/lessons", {
      as: coordinator,
      body: lesson(centreId, { evidence: [cite(own), cite(foreign), cite("no-such-event")] }),
    });
    expect(errorPaths(refused)).toEqual(["evidence.1.reference", "evidence.2.reference"]);
    const edit = await api("PUT", `/api/lessons/${ok.body.id}`, {
      as: coordinator,
      body: lesson(centreId, { evidence: [cite(foreign)] }),
    });
    expect(errorPaths(edit)).toEqual(["evidence.0.reference"]);
    expect((await auditOf(ok.body.id)).map((row) => row.action)).toEqual(["create"]);
  });

  it("refuses invalid lessons with their paths, malformed JSON, an unknown centre, a move and unknown ids", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const invalid = await api("POST", "/api/lessons", {
      as: coordinator,
      body: lesson(centreId, {
        type: "anecdote",
        contributors: [],
        chsCommitments: [2, 2, 10],
        periodEnd: "2026-01-01",
        status: "validated",
        statement: { context: "a", situation: "b", result: "c", cause: "d" },
        evidence: [{ kind: "rumour", reference: "x", description: "y", strength: "strong" }],
      }),
    });
    expect(errorPaths(invalid)).toEqual(
      expect.arrayContaining([
        "chsCommitments.2",
        "contributors",
        "evidence.0.kind",
        "statement.recommendation",
        "status",
        "type",
      ]),
    );
    expect(invalid.body.errors.find((e: { path: string[] }) => e.path[0] === "status").code).toBe(
      "unknown_field",
    );
    const backwards = await api("POST", "/api/lessons", {
      as: coordinator,
      body: lesson(centreId, { periodEnd: "2026-01-01" }),
    });
    expect(errorPaths(backwards)).toEqual(["periodEnd"]);
    const admin = await signedIn("admin");
    expect(errorPaths(await api("POST", "/api/lessons", { as: admin, body: lesson("nowhere") }))).toEqual([
      "centreId",
    ]);
    const malformed = await api("POST", "/api/lessons", { as: coordinator, body: "{ title: " });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe("malformed_request");

    const id = await givenLesson(coordinator, centreId);
    expect(
      errorPaths(await api("PUT", `/api/lessons/${id}`, { as: admin, body: lesson(await givenCentre()) })),
    ).toEqual(["centreId"]);
    expect(errorPaths(await move(coordinator, id, "published"))).toEqual(["status"]);
    expect(
      errorPaths(
        await api("POST", `/api/lessons/${id}/status`, {
          as: coordinator,
          body: { status: "reviewed", note: "ok" },
        }),
      ),
    ).toEqual(["note"]);
    for (const [method, path, body] of [
      ["GET", "/api/lessons/nope", undefined],
      ["PUT", "/api/lessons/nope", lesson(centreId)],
      ["POST", "/api/lessons/nope/status", { status: "reviewed" }],
      ["POST", "/api/lessons/nope/archive", undefined],
    ] as const) {
      expect((await api(method, path, { as: coordinator, body })).status, `${method} ${path}`).toBe(404);
    }
    expect((await auditOf(id)).map((row) => row.action)).toEqual(["create"]);
  });

  it("lets observers read lessons but not contribute; reception and partners contribute their own drafts", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const id = await givenLesson(coordinator, centreId);
    const observer = await signedIn("observer", { centreId });
    expect(idsOf(await api("GET", "/api/lessons", { as: observer }))).toEqual([id]);
    expect((await api("GET", `/api/lessons/${id}`, { as: observer })).status).toBe(200);
    for (const [method, path, body] of [
      ["POST", "/api/lessons", lesson(centreId)],
      ["PUT", `/api/lessons/${id}`, lesson(centreId)],
      ["POST", `/api/lessons/${id}/status`, { status: "reviewed" }],
      ["POST", `/api/lessons/${id}/archive`, undefined],
    ] as const) {
      expect((await api(method, path, { as: observer, body })).status, `${method} ${path}`).toBe(403);
    }
    const partnerId = await givenPartner(centreId);
    for (const caller of [
      await signedIn("reception", { centreId }),
      await signedIn("partner", { centreId, partnerId }),
      await partnerToken(centreId, partnerId),
    ]) {
      expect(idsOf(await api("GET", "/api/lessons", { as: caller }))).toContain(id);
      const mine = await givenLesson(caller, centreId);
      expect((await api("GET", `/api/lessons/${mine}`, { as: coordinator })).body.createdBy).toBe(
        caller.userId,
      );
      const edited = await api("PUT", `/api/lessons/${mine}`, {
        as: caller,
        body: lesson(centreId, { title: "Edited by its author" }),
      });
      expect(edited.body.title).toBe("Edited by its author");
      expect((await move(caller, mine, "reviewed")).body.status).toBe("reviewed");
      // Only a validator validates, and nobody but its author or a coordinator changes a draft.
      expect((await move(caller, mine, "validated")).status).toBe(403);
      expect((await move(coordinator, mine, "validated")).body.status).toBe("validated");
      for (const [method, path, body] of [
        ["PUT", `/api/lessons/${id}`, lesson(centreId)],
        ["POST", `/api/lessons/${id}/status`, { status: "reviewed" }],
        ["POST", `/api/lessons/${id}/archive`, undefined],
      ] as const) {
        const refused = await api(method, path, { as: caller, body });
        expect(refused.status, `${method} ${path}`).toBe(403);
        expect(refused.body.detail).toBe("You may change only the lessons you contributed");
      }
    }
    expect((await api("GET", `/api/lessons/${id}`)).status).toBe(401);
    expect((await auditOf(id)).map((row) => row.action)).toEqual(["create"]);
  });

  it("hides another centre's lessons as 404 and refuses to contribute one there", async () => {
    const mine = await givenCentre();
    const theirs = await givenCentre();
    const theirLesson = await givenLesson(await signedIn("admin"), theirs);
    const coordinator = await signedIn("coordinator", { centreId: mine });
    for (const [method, path, body] of [
      ["GET", `/api/lessons/${theirLesson}`, undefined],
      ["PUT", `/api/lessons/${theirLesson}`, lesson(theirs)],
      ["POST", `/api/lessons/${theirLesson}/status`, { status: "reviewed" }],
      ["POST", `/api/lessons/${theirLesson}/archive`, undefined],
      ["GET", `/api/lessons?centreId=${theirs}`, undefined],
      ["GET", `/api/lessons/guide?centreId=${theirs}`, undefined],
    ] as const) {
      expect((await api(method, path, { as: coordinator, body })).status, `${method} ${path}`).toBe(404);
    }
    expect(idsOf(await api("GET", "/api/lessons", { as: coordinator }))).toEqual([]);
    expect((await api("POST", "/api/lessons", { as: coordinator, body: lesson(theirs) })).status).toBe(403);
    expect((await auditOf(theirLesson)).map((row) => row.action)).toEqual(["create"]);
  });
});
