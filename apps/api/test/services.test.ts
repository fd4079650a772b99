import { serviceUses } from "@halte/db";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "../src/ids.js";
import { api, type Caller, db, givenCentre, givenPartner, partnerToken, signedIn } from "./helpers.js";
import { auditOf, errorPaths, idsOf, pagesOf } from "./records-helpers.js";

const everyDay = (opensAt: string, closesAt: string) =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt, closesAt }));

function showers(organizationId: string) {
  return {
    organizationId,
    name: "Douches",
    category: "hygiene",
    languages: ["fr", "ar"],
    schedule: {
      timeZone: "Europe/Paris",
      weekly: everyDay("08:00", "19:00"),
      exceptions: [{ date: "2026-12-25", kind: "closed", reason: "Christmas" }],
      dailyCapacity: 120,
    },
    translations: { en: { name: "Showers" } },
  };
}

/** A service through the API, as a coordinator of its centre would add it. */
async function givenService(as: Caller, centreId: string, body: Record<string, unknown>): Promise<string> {
  const created = await api("POST", "/api/services", { as, body: { centreId, ...body } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

/** A UTC calendar day `offset` days from now, as YYYY-MM-DD. */
function utcDay(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

async function givenUses(centreId: string, serviceId: string, localDay: string, quantity: number) {
  const at = new Date().toISOString();
  await db.insert(serviceUses).values({
    id: uuidv7(new Date()),
    centreId,
    serviceId,
    usedAt: `${localDay}T10:00:00.000Z`,
    localDay,
    quantity,
    source: "door",
    createdAt: at,
    updatedAt: at,
  });
}

describe("services: what a centre offers, HSDS-aligned", () => {
  it("lets a coordinator add, read, update and archive a service, each write audited", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const coordinator = await signedIn("coordinator", { centreId });
    const created = await api("POST", "/api/services", {
      as: coordinator,
      body: { centreId, ...showers(partnerId) },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      centreId,
      organizationId: partnerId,
      status: "active",
      category: "hygiene",
      languages: ["fr", "ar"],
      schedule: { dailyCapacity: 120, exceptions: [{ date: "2026-12-25", kind: "closed" }] },
      translations: { en: { name: "Showers" } },
      archivedAt: null,
    });
    expect(typeof created.body.openingStatus.open).toBe("boolean");
    const id = created.body.id;
    const read = await api("GET", `/api/services/${id}`, { as: coordinator });
    expect(read.body.name).toBe("Douches");

    const closed = await api("PUT", `/api/services/${id}`, {
      as: coordinator,
      body: { ...showers(partnerId), status: "temporarily closed" },
    });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe("temporarily closed");
    // Not active: closed whatever the schedule says, with no next opening to promise.
    expect(closed.body.openingStatus).toEqual({ open: false, closesAt: null, nextOpensAt: null });

    const archived = await api("POST", `/api/services/${id}/archive`, { as: coordinator });
    expect(archived.body.archivedAt).not.toBeNull();
    await api("POST", `/api/services/${id}/archive`, { as: coordinator });
    expect(idsOf(await api("GET", `/api/services?centreId=${centreId}`, { as: coordinator }))).toEqual([]);
    expect(
      idsOf(await api("GET", `/api/services?centreId=${centreId}&includeArchived=true`, { as: coordinator })),
    ).toEqual([id]);
    const edit = await api("PUT", `/api/services/${id}`, { as: coordinator, body: showers(partnerId) });
    expect(edit.status).toBe(409);

    const log = await auditOf(id);
    expect(log.map((row) => row.action)).toEqual(["create", "update", "archive"]);
    expect(log.every((row) => row.actorId === coordinator.userId && row.centreId === centreId)).toBe(true);
    expect(log[1]?.diff).toEqual({ before: { status: "active" }, after: { status: "temporarily closed" } });
  });

  it("tells whether a service is open now and until when, or when it next opens", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const coordinator = await signedIn("coordinator", { centreId });
    const today = utcDay(0);
    const tomorrow = utcDay(1);
    const later = utcDay(10);
    const openToday = await givenService(coordinator, centreId, {
      ...showers(partnerId),
      schedule: {
        timeZone: "UTC",
        weekly: [],
        exceptions: [{ date: today, kind: "open", slots: [{ opensAt: "00:00", closesAt: "24:00" }] }],
      },
    });
    const opensLater = await givenService(coordinator, centreId, {
      ...showers(partnerId),
      schedule: {
        timeZone: "UTC",
        weekly: [],
        exceptions: [{ date: later, kind: "open", slots: [{ opensAt: "10:00", closesAt: "12:00" }] }],
      },
    });
    const never = await givenService(coordinator, centreId, {
      ...showers(partnerId),
      schedule: { timeZone: "UTC", weekly: [], exceptions: [] },
    });
    const aroundTheClock = await givenService(coordinator, centreId, {
      ...showers(partnerId),
      schedule: { timeZone: "Europe/Paris", weekly: everyDay("00:00", "24:00"), exceptions: [] },
    });
    const statusOf = async (id: string) =>
      (await api("GET", `/api/services/${id}`, { as: coordinator })).body.openingStatus;
    expect(await statusOf(openToday)).toEqual({
      open: true,
      closesAt: `${tomorrow}T00:00:00.000Z`,
      nextOpensAt: null,
    });
    expect(await statusOf(opensLater)).toEqual({
      open: false,
      closesAt: null,
      nextOpensAt: `${later}T10:00:00.000Z`,
    });
    expect(await statusOf(never)).toEqual({ open: false, closesAt: null, nextOpensAt: null });
    expect(await statusOf(aroundTheClock)).toEqual({ open: true, closesAt: null, nextOpensAt: null });
  });

  it("lists only the active services open at an instant, exceptions and time zone included", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const coordinator = await signedIn("coordinator", { centreId });
    const day = await givenService(coordinator, centreId, showers(partnerId));
    const evening = await givenService(coordinator, centreId, {
      ...showers(partnerId),
      name: "Soupe du soir",
      category: "food",
      schedule: { timeZone: "Europe/Paris", weekly: everyDay("19:00", "23:00"), exceptions: [] },
    });
    await givenService(coordinator, centreId, { ...showers(partnerId), status: "temporarily closed" });
    const openAt = (instant: string) =>
      api("GET", `/api/services?centreId=${centreId}&openAt=${encodeURIComponent(instant)}`, {
        as: coordinator,
      });
    expect(idsOf(await openAt("2026-12-25T10:00:00+01:00"))).toEqual([]);
    expect(idsOf(await openAt("2026-12-26T10:00:00+01:00"))).toEqual([day]);
    // 18:30 UTC is 19:30 in Paris.
    expect(idsOf(await openAt("2026-12-26T18:30:00Z"))).toEqual([evening]);
    const both = await api(
      "GET",
      `/api/services?centreId=${centreId}&category=hygiene&openAt=${encodeURIComponent("2026-12-26T10:00:00+01:00")}`,
      { as: coordinator },
    );
    expect(idsOf(both)).toEqual([day]);
    expect(
      idsOf(await api("GET", `/api/services?centreId=${centreId}&category=food`, { as: coordinator })),
    ).toEqual([evening]);
    expect(
      (
        await api("GET", `/api/services?centreId=${centreId}&status=temporarily%20closed`, {
          as: coordinator,
        })
      ).body.items[0].status,
    ).toBe("temporarily closed");
    expect(errorPaths(await api("GET", `/api/services?openAt=tomorrow`, { as: coordinator }))).toEqual([
      "query.openAt",
    ]);
  });

  it("pages by cursor, with and without the openAt filter", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const coordinator = await signedIn("coordinator", { centreId });
    expect((await api("GET", `/api/services?centreId=${centreId}`, { as: coordinator })).body).toEqual({
      items: [],
      nextCursor: null,
    });
    const open: string[] = [];
    const all: string[] = [];
    for (const index of [0, 1, 2, 3, 4, 5]) {
      const closedOnBoxingDay = index % 2 === 1;
      const id = await givenService(coordinator, centreId, {
        ...showers(partnerId),
        name: `Service ${index}`,
        schedule: {
          ...showers(partnerId).schedule,
          exceptions: closedOnBoxingDay ? [{ date: "2026-12-26", kind: "closed" }] : [],
        },
      });
      all.push(id);
      if (!closedOnBoxingDay) open.push(id);
    }
    all.sort();
    open.sort();
    expect(await pagesOf(`/api/services?centreId=${centreId}`, coordinator, 3)).toEqual([
      all.slice(0, 3),
      all.slice(3),
    ]);
    const boxingDay = `/api/services?centreId=${centreId}&openAt=${encodeURIComponent("2026-12-26T10:00:00+01:00")}`;
    // Full pages despite the closed services in between, and no empty last page.
    expect(await pagesOf(boxingDay, coordinator, 2)).toEqual([open.slice(0, 2), open.slice(2)]);
    expect(await pagesOf(boxingDay, coordinator, 3)).toEqual([open]);
  });

  it("tells a day's capacity, the uses recorded that day and what remains", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const coordinator = await signedIn("coordinator", { centreId });
    const id = await givenService(coordinator, centreId, showers(partnerId));
    const other = await givenService(coordinator, centreId, showers(partnerId));
    await givenUses(centreId, id, "2026-12-26", 1);
    await givenUses(centreId, id, "2026-12-26", 1);
    await givenUses(centreId, id, "2026-12-26", 10);
    await givenUses(centreId, id, "2026-12-27", 7);
    await givenUses(centreId, other, "2026-12-26", 50);

    const boxingDay = await api("GET", `/api/services/${id}/capacity?date=2026-12-26`, { as: coordinator });
    expect(boxingDay.status).toBe(200);
    expect(boxingDay.body).toEqual({
      serviceId: id,
      date: "2026-12-26",
      dailyCapacity: 120,
      used: 12,
      remaining: 108,
      slots: [{ opensAt: "08:00", closesAt: "19:00" }],
      partnerReport: null,
    });
    const christmas = await api("GET", `/api/services/${id}/capacity?date=2026-12-25`, { as: coordinator });
    expect(christmas.body).toMatchObject({ dailyCapacity: 0, used: 0, remaining: 0, slots: [] });

    // Slot capacities count when every slot has one; the smaller limit wins.
    const slotted = await givenService(coordinator, centreId, {
      ...showers(partnerId),
      schedule: {
        timeZone: "Europe/Paris",
        weekly: [
          { weekday: 6, opensAt: "08:00", closesAt: "12:00", capacity: 30 },
          { weekday: 6, opensAt: "14:00", closesAt: "18:00", capacity: 40 },
        ],
        exceptions: [],
      },
    });
    await givenUses(centreId, slotted, "2026-12-26", 75);
    expect(
      (await api("GET", `/api/services/${slotted}/capacity?date=2026-12-26`, { as: coordinator })).body,
    ).toMatchObject({ dailyCapacity: 70, used: 75, remaining: 0 });
    const unlimited = await givenService(coordinator, centreId, {
      ...showers(partnerId),
      schedule: { timeZone: "Europe/Paris", weekly: everyDay("08:00", "19:00"), exceptions: [] },
    });
    expect(
      (await api("GET", `/api/services/${unlimited}/capacity?date=2026-12-26`, { as: coordinator })).body,
    ).toMatchObject({ dailyCapacity: null, used: 0, remaining: null });

    const today = await api("GET", `/api/services/${id}/capacity`, { as: coordinator });
    expect(today.body.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(
      errorPaths(await api("GET", `/api/services/${id}/capacity?date=2026-13-01`, { as: coordinator })),
    ).toEqual(["query.date"]);
    expect((await api("GET", "/api/services/nope/capacity", { as: coordinator })).status).toBe(404);
  });

  it("refuses a provider that is not a current partner of the centre", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const elsewhere = await givenPartner(await givenCentre());
    const archived = await givenPartner(centreId, "Archived");
    await api("POST", `/api/partners/${archived}/archive`, { as: coordinator });
    for (const organizationId of [elsewhere, archived, "no-such-partner"]) {
      const refused = await api("POST", "/api/services", {
        as: coordinator,
        body: { centreId, ...showers(organizationId) },
      });
      expect(errorPaths(refused)).toEqual(["organizationId"]);
    }
    const partnerId = await givenPartner(centreId);
    const id = await givenService(coordinator, centreId, showers(partnerId));
    expect(
      errorPaths(await api("PUT", `/api/services/${id}`, { as: coordinator, body: showers(elsewhere) })),
    ).toEqual(["organizationId"]);
    expect((await auditOf(id)).map((row) => row.action)).toEqual(["create"]);
  });

  it("refuses invalid services with their paths, malformed JSON, an unknown centre and unknown ids", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const coordinator = await signedIn("coordinator", { centreId });
    const overlapping = showers(partnerId);
    overlapping.schedule.weekly.push({ weekday: 1, opensAt: "18:00", closesAt: "20:00" });
    const invalid = await api("POST", "/api/services", {
      as: coordinator,
      body: { centreId, ...overlapping, status: "closed", languages: ["Dari"], category: "spa", extra: true },
    });
    expect(errorPaths(invalid)).toEqual([
      "category",
      "extra",
      "languages.0",
      "schedule.weekly.7.opensAt",
      "status",
    ]);

    const schedule = await api("POST", "/api/services", {
      as: coordinator,
      body: {
        centreId,
        ...showers(partnerId),
        schedule: {
          timeZone: "Mars/Olympus",
          weekly: [{ weekday: 8, opensAt: "10:00", closesAt: "09:00" }],
          exceptions: [
            { date: "2026-12-25", kind: "closed" },
            { date: "2026-12-25", kind: "closed" },
          ],
          dailyCapacity: 0,
        },
      },
    });
    expect(errorPaths(schedule)).toEqual(
      expect.arrayContaining([
        "schedule.timeZone",
        "schedule.weekly.0.weekday",
        "schedule.weekly.0.closesAt",
        "schedule.exceptions.1.date",
        "schedule.dailyCapacity",
      ]),
    );
    const missing = await api("POST", "/api/services", { as: coordinator, body: { centreId } });
    expect(errorPaths(missing)).toEqual(["category", "name", "organizationId", "schedule"]);

    const admin = await signedIn("admin");
    expect(
      errorPaths(
        await api("POST", "/api/services", {
          as: admin,
          body: { centreId: "nowhere", ...showers(partnerId) },
        }),
      ),
    ).toEqual(["centreId"]);
    const malformed = await api("POST", "/api/services", { as: coordinator, body: "{" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe("malformed_request");
    for (const [method, path, body] of [
      ["GET", "/api/services/nope", undefined],
      ["PUT", "/api/services/nope", showers(partnerId)],
      ["POST", "/api/services/nope/archive", undefined],
    ] as const) {
      expect((await api(method, path, { as: coordinator, body })).status, `${method} ${path}`).toBe(404);
    }
    expect(errorPaths(await api("GET", "/api/services?category=spa", { as: coordinator }))).toEqual([
      "query.category",
    ]);
  });

  it("lets every role read its centre's services, but only coordinators and admins manage them", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const coordinator = await signedIn("coordinator", { centreId });
    const id = await givenService(coordinator, centreId, showers(partnerId));
    for (const caller of [
      await signedIn("reception", { centreId }),
      await signedIn("observer", { centreId }),
      await partnerToken(centreId, partnerId),
    ]) {
      expect((await api("GET", `/api/services/${id}`, { as: caller })).status).toBe(200);
      expect(idsOf(await api("GET", "/api/services", { as: caller }))).toEqual([id]);
      expect((await api("GET", `/api/services/${id}/capacity`, { as: caller })).status).toBe(200);
      for (const [method, path, body] of [
        ["POST", "/api/services", { centreId, ...showers(partnerId) }],
        ["PUT", `/api/services/${id}`, showers(partnerId)],
        ["POST", `/api/services/${id}/archive`, undefined],
      ] as const) {
        expect((await api(method, path, { as: caller, body })).status, `${method} ${path}`).toBe(403);
      }
    }
    expect((await auditOf(id)).map((row) => row.action)).toEqual(["create"]);
  });

  it("hides another centre's services as 404 and refuses to add one there", async () => {
    const mine = await givenCentre();
    const theirs = await givenCentre();
    const theirPartner = await givenPartner(theirs);
    const admin = await signedIn("admin");
    const theirService = await givenService(admin, theirs, showers(theirPartner));
    const coordinator = await signedIn("coordinator", { centreId: mine });
    for (const [method, path, body] of [
      ["GET", `/api/services/${theirService}`, undefined],
      ["GET", `/api/services/${theirService}/capacity`, undefined],
      ["PUT", `/api/services/${theirService}`, showers(theirPartner)],
      ["POST", `/api/services/${theirService}/archive`, undefined],
      ["GET", `/api/services?centreId=${theirs}`, undefined],
    ] as const) {
      expect((await api(method, path, { as: coordinator, body })).status, `${method} ${path}`).toBe(404);
    }
    expect(idsOf(await api("GET", "/api/services", { as: coordinator }))).toEqual([]);
    const there = await api("POST", "/api/services", {
      as: coordinator,
      body: { centreId: theirs, ...showers(theirPartner) },
    });
    expect(there.status).toBe(403);
  });
});
