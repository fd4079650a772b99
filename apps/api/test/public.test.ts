import { describe, expect, it } from "vitest";
import { api, centreInput, givenCentre, givenPartner, signedIn } from "./helpers.js";

const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: "00:00", closesAt: "24:00" }));
const never = { timeZone: "Europe/Paris", weekly: [], exceptions: [] };

describe("GET /api/public/centres/{slug}/services", () => {
  it("answers without sign-in with each service's opening status, languages and public texts only", async () => {
    const slug = centreInput().slug;
    const centreId = await givenCentre({ slug });
    const partnerId = await givenPartner(centreId);
    const admin = await signedIn("admin");
    for (const [name, schedule] of [
      ["Douches", { timeZone: "Europe/Paris", weekly: everyDay, exceptions: [], dailyCapacity: 40 }],
      ["Permanence juridique", never],
    ] as const) {
      const created = await api("POST", "/api/services", {
        as: admin,
        body: {
          centreId,
          organizationId: partnerId,
          name,
          category: "hygiene",
          languages: ["fr", "ar"],
          schedule,
          translations: { ar: { name: "خدمة" } },
        },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }

    const response = await api("GET", `/api/public/centres/${slug}/services`);
    expect(response.status).toBe(200);
    expect(response.body.centre).toMatchObject({ slug, timeZone: "Europe/Paris" });
    const byName = Object.fromEntries(
      response.body.services.map((s: { name: string }) => [s.name, s]),
    ) as Record<string, Record<string, unknown>>;
    expect(byName.Douches).toMatchObject({
      languages: ["fr", "ar"],
      translations: { ar: { name: "خدمة" } },
      openingStatus: { open: true, nextOpensAt: null },
    });
    expect(byName["Permanence juridique"]?.openingStatus).toEqual({
      open: false,
      closesAt: null,
      nextOpensAt: null,
    });
    // Nothing internal: no provider, capacity or centre id in the public answer.
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(partnerId);
    expect(text).not.toContain(centreId);
    expect(text).not.toContain("dailyCapacity");
  });

  it("answers 404 problem details for an unknown or archived centre", async () => {
    const unknown = await api("GET", "/api/public/centres/no-such-centre/services");
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe("not_found");
  });
});
