import { describe, expect, it } from "vitest";
import { api, type Caller, givenCentre, givenPartner, partnerToken, signedIn } from "./helpers.js";
import { auditOf, errorPaths, idsOf, pagesOf } from "./records-helpers.js";

const evacuation = {
  kind: "camp_evacuation",
  title: "Évacuation du campement",
  startsOn: "2026-01-20",
  endsOn: "2026-01-21",
};

async function givenEvent(as: Caller, centreId: string, body: Record<string, unknown> = evacuation) {
  const created = await api("POST", "/api/events", { as, body: { centreId, ...body } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

describe("context events", () => {
  it("lets a coordinator record, read, update and archive an event, each write audited", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const cold = await api("POST", "/api/events", {
      as: coordinator,
      body: { centreId, kind: "weather", title: "Grand froid", startsOn: "2026-02-09" },
    });
    expect(cold.status).toBe(201);
    // A one-day event ends the day it starts.
    expect(cold.body).toMatchObject({
      centreId,
      kind: "weather",
      startsOn: "2026-02-09",
      endsOn: "2026-02-09",
    });
    const id = cold.body.id;
    expect((await api("GET", `/api/events/${id}`, { as: coordinator })).body).toEqual(cold.body);

    const longer = await api("PUT", `/api/events/${id}`, {
      as: coordinator,
      body: { centreId, kind: "weather", title: "Grand froid", startsOn: "2026-02-09", endsOn: "2026-02-15" },
    });
    expect(longer.status).toBe(200);
    expect(longer.body.endsOn).toBe("2026-02-15");

    const archived = await api("POST", `/api/events/${id}/archive`, { as: coordinator });
    expect(archived.body.archivedAt).not.toBeNull();
    expect((await api("POST", `/api/events/${id}/archive`, { as: coordinator })).body.archivedAt).toBe(
      archived.body.archivedAt,
    );
    expect(idsOf(await api("GET", `/api/events?centreId=${centreId}`, { as: coordinator }))).toEqual([]);
    expect(
      idsOf(await api("GET", `/api/events?centreId=${centreId}&includeArchived=true`, { as: coordinator })),
    ).toEqual([id]);
    const edit = await api("PUT", `/api/events/${id}`, {
      as: coordinator,
      body: { centreId, ...evacuation },
    });
    expect(edit.status).toBe(409);

    const log = await auditOf(id);
    expect(log.map((row) => row.action)).toEqual(["create", "update", "archive"]);
    expect(log.every((row) => row.actorId === coordinator.userId && row.centreId === centreId)).toBe(true);
    expect(log[1]?.diff).toEqual({ before: { endsOn: "2026-02-09" }, after: { endsOn: "2026-02-15" } });
  });

  it("lists the events overlapping a range of local days", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const early = await givenEvent(coordinator, centreId, {
      kind: "surge",
      title: "Afflux",
      startsOn: "2026-01-10",
    });
    const evac = await givenEvent(coordinator, centreId);
    const cold = await givenEvent(coordinator, centreId, {
      kind: "weather",
      title: "Grand froid",
      startsOn: "2026-02-09",
    });
    const range = (query: string) =>
      api("GET", `/api/events?centreId=${centreId}&${query}`, { as: coordinator });
    expect(idsOf(await range("from=2026-01-21&to=2026-01-31"))).toEqual([evac]);
    expect(idsOf(await range("from=2026-01-10&to=2026-01-10"))).toEqual([early]);
    expect(idsOf(await range("from=2026-01-11&to=2026-01-19"))).toEqual([]);
    expect(idsOf(await range("from=2026-01-21")).sort()).toEqual([evac, cold].sort());
    expect(idsOf(await range("to=2026-01-20")).sort()).toEqual([early, evac].sort());
    expect(errorPaths(await range("from=2026-02-01&to=2026-01-01"))).toEqual(["query.to"]);
    expect(errorPaths(await range("from=20260101"))).toEqual(["query.from"]);
  });

  it("pages by cursor: an empty page, and an exact multiple of the limit", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    expect((await api("GET", `/api/events?centreId=${centreId}`, { as: coordinator })).body).toEqual({
      items: [],
      nextCursor: null,
    });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await givenEvent(coordinator, centreId));
    ids.sort();
    expect(await pagesOf(`/api/events?centreId=${centreId}`, coordinator, 2)).toEqual([
      ids.slice(0, 2),
      ids.slice(2),
    ]);
    expect(await pagesOf(`/api/events?centreId=${centreId}&from=2026-01-01`, coordinator, 4)).toEqual([ids]);
  });

  it("refuses invalid events with their paths, malformed JSON, an unknown centre, a move and unknown ids", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const backwards = await api("POST", "/api/events", {
      as: coordinator,
      body: { centreId, ...evacuation, endsOn: "2026-01-01" },
    });
    expect(errorPaths(backwards)).toEqual(["endsOn"]);
    const invalid = await api("POST", "/api/events", {
      as: coordinator,
      body: { centreId, kind: "party", title: "", startsOn: "20 janvier", colour: "red" },
    });
    expect(errorPaths(invalid)).toEqual(["colour", "kind", "startsOn", "title"]);
    expect(errorPaths(await api("POST", "/api/events", { as: coordinator, body: {} }))).toEqual([
      "centreId",
      "kind",
      "startsOn",
      "title",
    ]);
    const admin = await signedIn("admin");
    expect(
      errorPaths(
        await api("POST", "/api/events", { as: admin, body: { centreId: "nowhere", ...evacuation } }),
      ),
    ).toEqual(["centreId"]);
    const malformed = await api("POST", "/api/events", { as: coordinator, body: "[" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe("malformed_request");

    const id = await givenEvent(coordinator, centreId);
    const elsewhere = await givenCentre();
    const moved = await api("PUT", `/api/events/${id}`, {
      as: admin,
      body: { centreId: elsewhere, ...evacuation },
    });
    expect(errorPaths(moved)).toEqual(["centreId"]);
    for (const [method, path, body] of [
      ["GET", "/api/events/nope", undefined],
      ["PUT", "/api/events/nope", { centreId, ...evacuation }],
      ["POST", "/api/events/nope/archive", undefined],
    ] as const) {
      expect((await api(method, path, { as: coordinator, body })).status, `${method} ${path}`).toBe(404);
    }
    expect((await auditOf(id)).map((row) => row.action)).toEqual(["create"]);
  });

  it("shows events to observers and contributors but lets only coordinators and admins manage them", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const id = await givenEvent(coordinator, centreId);
    const observer = await signedIn("observer", { centreId });
    expect(idsOf(await api("GET", "/api/events", { as: observer }))).toEqual([id]);
    expect((await api("GET", `/api/events/${id}`, { as: observer })).status).toBe(200);
    for (const [method, path, body] of [
      ["POST", "/api/events", { centreId, ...evacuation }],
      ["PUT", `/api/events/${id}`, { centreId, ...evacuation }],
      ["POST", `/api/events/${id}/archive`, undefined],
    ] as const) {
      expect((await api(method, path, { as: observer, body })).status, `${method} ${path}`).toBe(403);
    }
    for (const caller of [
      await signedIn("reception", { centreId }),
      await partnerToken(centreId, await givenPartner(centreId)),
    ]) {
      // They contribute lessons, which may cite events: they read them, and manage none.
      expect(idsOf(await api("GET", "/api/events", { as: caller }))).toEqual([id]);
      expect((await api("GET", `/api/events/${id}`, { as: caller })).status).toBe(200);
      expect(
        (await api("POST", "/api/events", { as: caller, body: { centreId, ...evacuation } })).status,
      ).toBe(403);
    }
    expect((await api("GET", "/api/events")).status).toBe(401);
    expect((await auditOf(id)).map((row) => row.action)).toEqual(["create"]);
  });

  it("hides another centre's events as 404 and refuses to record one there", async () => {
    const mine = await givenCentre();
    const theirs = await givenCentre();
    const theirEvent = await givenEvent(await signedIn("admin"), theirs);
    const coordinator = await signedIn("coordinator", { centreId: mine });
    for (const [method, path, body] of [
      ["GET", `/api/events/${theirEvent}`, undefined],
      ["PUT", `/api/events/${theirEvent}`, { centreId: theirs, ...evacuation }],
      ["POST", `/api/events/${theirEvent}/archive`, undefined],
      ["GET", `/api/events?centreId=${theirs}`, undefined],
    ] as const) {
      expect((await api(method, path, { as: coordinator, body })).status, `${method} ${path}`).toBe(404);
    }
    expect(idsOf(await api("GET", "/api/events", { as: coordinator }))).toEqual([]);
    expect(
      (await api("POST", "/api/events", { as: coordinator, body: { centreId: theirs, ...evacuation } }))
        .status,
    ).toBe(403);
  });
});

describe("the people an event concerned", () => {
  it("keeps an optional count of people and of vulnerable people, and refuses impossible ones", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const created = await api("POST", "/api/events", {
      as: coordinator,
      body: { centreId, ...evacuation, peopleConcerned: 1609, vulnerableConcerned: 75 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ peopleConcerned: 1609, vulnerableConcerned: 75 });
    const plain = await api("POST", "/api/events", { as: coordinator, body: { centreId, ...evacuation } });
    expect(plain.body).toMatchObject({ peopleConcerned: null, vulnerableConcerned: null });

    const edited = await api("PUT", `/api/events/${created.body.id}`, {
      as: coordinator,
      body: { centreId, ...evacuation, peopleConcerned: 1700 },
    });
    expect(edited.body).toMatchObject({ peopleConcerned: 1700, vulnerableConcerned: null });

    const tooMany = await api("POST", "/api/events", {
      as: coordinator,
      body: { centreId, ...evacuation, peopleConcerned: 10, vulnerableConcerned: 11 },
    });
    expect(tooMany.status).toBe(422);
    expect(errorPaths(tooMany)).toEqual(["vulnerableConcerned"]);
    const negative = await api("POST", "/api/events", {
      as: coordinator,
      body: { centreId, ...evacuation, peopleConcerned: -3 },
    });
    expect(errorPaths(negative)).toEqual(["peopleConcerned"]);
  });
});
