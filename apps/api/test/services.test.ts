import { describe, expect, it } from "vitest";
import { api, givenCentre, givenPartner, partnerToken, signedIn } from "./helpers.js";

function showers(organizationId: string) {
  return {
    organizationId,
    name: "Douches",
    category: "hygiene",
    languages: ["fr", "ar"],
    schedule: {
      timeZone: "Europe/Paris",
      weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: "08:00", closesAt: "19:00" })),
      exceptions: [{ date: "2026-12-25", kind: "closed", reason: "Christmas" }],
      dailyCapacity: 120,
    },
    translations: { en: { name: "Showers" } },
  };
}

describe("services", () => {
  it("lets a coordinator add, update and archive a service, and tells whether it is open now", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const coordinator = await signedIn("coordinator", { centreId });
    const created = await api("POST", "/api/services", {
      as: coordinator,
      body: { centreId, ...showers(partnerId) },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: "active",
      category: "hygiene",
      translations: { en: { name: "Showers" } },
    });
    expect(typeof created.body.openingNow.open).toBe("boolean");
    const id = created.body.id;

    const closedForWorks = await api("PUT", `/api/services/${id}`, {
      as: coordinator,
      body: { ...showers(partnerId), status: "temporarily closed" },
    });
    expect(closedForWorks.body.status).toBe("temporarily closed");

    const christmas = await api(
      "GET",
      `/api/services?centreId=${centreId}&openAt=2026-12-25T10:00:00%2B01:00`,
      {
        as: coordinator,
      },
    );
    expect(christmas.body.items).toEqual([]);
    const boxingDay = await api(
      "GET",
      `/api/services?centreId=${centreId}&openAt=2026-12-26T10:00:00%2B01:00`,
      {
        as: coordinator,
      },
    );
    expect(boxingDay.body.items.map((s: { id: string }) => s.id)).toEqual([id]);

    const capacity = await api("GET", `/api/services/${id}/capacity?date=2026-12-26`, { as: coordinator });
    expect(capacity.body).toMatchObject({ dailyCapacity: 120, used: 0, remaining: 120 });
    const closedDay = await api("GET", `/api/services/${id}/capacity?date=2026-12-25`, { as: coordinator });
    expect(closedDay.body.dailyCapacity).toBe(0);

    expect((await api("POST", `/api/services/${id}/archive`, { as: coordinator })).status).toBe(200);
    expect((await api("GET", `/api/services?centreId=${centreId}`, { as: coordinator })).body.items).toEqual(
      [],
    );
  });

  it("refuses a provider that is not a partner of the centre, and invalid schedules with their paths", async () => {
    const centreId = await givenCentre();
    const elsewhere = await givenPartner(await givenCentre());
    const coordinator = await signedIn("coordinator", { centreId });
    const foreign = await api("POST", "/api/services", {
      as: coordinator,
      body: { centreId, ...showers(elsewhere) },
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors[0].path).toEqual(["organizationId"]);

    const partnerId = await givenPartner(centreId);
    const overlapping = showers(partnerId);
    overlapping.schedule.weekly.push({ weekday: 1, opensAt: "18:00", closesAt: "20:00" });
    const invalid = await api("POST", "/api/services", {
      as: coordinator,
      body: { centreId, ...overlapping, status: "closed", languages: ["Dari"] },
    });
    expect(invalid.status).toBe(422);
    const paths = invalid.body.errors.map((e: { path: (string | number)[] }) => e.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["status", "languages.0", "schedule.weekly.7.opensAt"]));
  });

  it("lets every role read services, partners through their token, but only coordinators manage them", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const coordinator = await signedIn("coordinator", { centreId });
    const created = await api("POST", "/api/services", {
      as: coordinator,
      body: { centreId, ...showers(partnerId) },
    });
    for (const caller of [
      await signedIn("reception", { centreId }),
      await signedIn("observer", { centreId }),
      await partnerToken(centreId, partnerId),
    ]) {
      expect((await api("GET", `/api/services/${created.body.id}`, { as: caller })).status).toBe(200);
      expect((await api("POST", `/api/services/${created.body.id}/archive`, { as: caller })).status).toBe(
        403,
      );
    }
    const otherCoordinator = await signedIn("coordinator", { centreId: await givenCentre() });
    expect((await api("GET", `/api/services/${created.body.id}`, { as: otherCoordinator })).status).toBe(404);
  });
});
