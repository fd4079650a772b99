import { describe, expect, it } from "vitest";
import { api, givenCentre, givenPartner, partnerToken, signedIn } from "./helpers.js";

const evacuation = {
  kind: "camp_evacuation",
  title: "Évacuation du campement",
  startsOn: "2026-01-20",
  endsOn: "2026-01-21",
};

function lesson(centreId: string, evidence: unknown[] = []) {
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
    evidence,
    contributors: ["centre_team", "people_assisted"],
    chsCommitments: [2, 8],
    periodStart: "2026-01-19",
    periodEnd: "2026-01-25",
  };
}

describe("context events", () => {
  it("are recorded by coordinators, read by observers, and filtered by date range", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const cold = await api("POST", "/api/events", {
      as: coordinator,
      body: { centreId, kind: "weather", title: "Grand froid", startsOn: "2026-02-09" },
    });
    expect(cold.status).toBe(201);
    expect(cold.body.endsOn).toBe("2026-02-09");
    const created = await api("POST", "/api/events", { as: coordinator, body: { centreId, ...evacuation } });
    const observer = await signedIn("observer", { centreId });
    const january = await api("GET", `/api/events?centreId=${centreId}&from=2026-01-21&to=2026-01-31`, {
      as: observer,
    });
    expect(january.body.items.map((e: { id: string }) => e.id)).toEqual([created.body.id]);
    expect(
      (await api("POST", "/api/events", { as: observer, body: { centreId, ...evacuation } })).status,
    ).toBe(403);
    const backwards = await api("POST", "/api/events", {
      as: coordinator,
      body: { centreId, ...evacuation, endsOn: "2026-01-01" },
    });
    expect(backwards.status).toBe(422);
    expect(backwards.body.errors[0].path).toEqual(["endsOn"]);
    expect((await api("POST", `/api/events/${created.body.id}/archive`, { as: coordinator })).status).toBe(
      200,
    );
  });
});

describe("lessons learned", () => {
  it("go from draft to reviewed to validated, and only validated ones enter the guide", async () => {
    const centreId = await givenCentre({ name: "Halte Nord" });
    const coordinator = await signedIn("coordinator", { centreId });
    const event = await api("POST", "/api/events", { as: coordinator, body: { centreId, ...evacuation } });
    const evidence = [
      { kind: "event", reference: event.body.id, description: "Evacuation", strength: "strong" },
    ];
    const created = await api("POST", "/api/lessons", { as: coordinator, body: lesson(centreId, evidence) });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe("draft");
    const id = created.body.id;

    const skip = await api("POST", `/api/lessons/${id}/status`, {
      as: coordinator,
      body: { status: "validated" },
    });
    expect(skip.status).toBe(409);
    expect(skip.body.code).toBe("illegal_transition");
    let guide = await api("GET", `/api/lessons/guide?centreId=${centreId}`, { as: coordinator });
    expect(guide.body).not.toContain("Showers saturated");

    for (const status of ["reviewed", "validated"]) {
      const moved = await api("POST", `/api/lessons/${id}/status`, { as: coordinator, body: { status } });
      expect(moved.body.status).toBe(status);
    }
    guide = await api("GET", `/api/lessons/guide?centreId=${centreId}`, { as: coordinator });
    expect(guide.headers.get("content-type")).toContain("text/markdown");
    expect(guide.body).toContain("Halte Nord");
    expect(guide.body).toContain("Showers saturated on evacuation days");

    const edited = await api("PUT", `/api/lessons/${id}`, {
      as: coordinator,
      body: { ...lesson(centreId), title: "Edited" },
    });
    expect(edited.body.status).toBe("draft");
  });

  it("refuses evidence citing an event of another centre", async () => {
    const centreId = await givenCentre();
    const other = await givenCentre();
    const admin = await signedIn("admin");
    const foreign = await api("POST", "/api/events", { as: admin, body: { centreId: other, ...evacuation } });
    const evidence = [{ kind: "event", reference: foreign.body.id, description: "x", strength: "weak" }];
    const refused = await api("POST", "/api/lessons", { as: admin, body: lesson(centreId, evidence) });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].path).toEqual(["evidence", 0, "reference"]);
  });

  it("lets observers read but not contribute, and keeps partners and reception out", async () => {
    const centreId = await givenCentre();
    const observer = await signedIn("observer", { centreId });
    expect((await api("GET", `/api/lessons?centreId=${centreId}`, { as: observer })).status).toBe(200);
    expect((await api("POST", "/api/lessons", { as: observer, body: lesson(centreId) })).status).toBe(403);
    const reception = await signedIn("reception", { centreId });
    expect((await api("GET", "/api/lessons", { as: reception })).status).toBe(403);
    const token = await partnerToken(centreId, await givenPartner(centreId));
    expect((await api("GET", "/api/lessons", { as: token })).status).toBe(403);
  });
});
