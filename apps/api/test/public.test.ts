import { hsdsId } from "@halte/core";
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

describe("GET /api/public/centres/{slug}/hsds.json", () => {
  it("publishes the centre's active services as an HSDS 3.0 page, each with its organization, without sign-in", async () => {
    const slug = centreInput().slug;
    const centreId = await givenCentre({ slug });
    const partnerId = await givenPartner(centreId, "Aurore");
    const admin = await signedIn("admin");
    const created = await api("POST", "/api/services", {
      as: admin,
      body: {
        centreId,
        organizationId: partnerId,
        name: "Douches",
        description: "Douches chaudes, serviette fournie.",
        category: "hygiene",
        languages: ["fr", "ar"],
        schedule: { timeZone: "Europe/Paris", weekly: everyDay, exceptions: [] },
        translations: { ar: { name: "حمّامات" } },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const archived = await api("POST", "/api/services", {
      as: admin,
      body: { centreId, organizationId: partnerId, name: "Vestiaire", category: "hygiene", schedule: never },
    });
    await api("POST", `/api/services/${archived.body.id}/archive`, { as: admin });

    const page = await api("GET", `/api/public/centres/${slug}/hsds.json`);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toContain("public");
    expect(page.body).toMatchObject({ total_items: 1, page_number: 1, first_page: true, last_page: true });
    const [service] = page.body.contents;
    expect(service).toMatchObject({ name: "Douches", organization: { name: "Aurore" } });
    expect(service.id).toMatch(/^[0-9a-f-]{36}$/);
    // HSDS ids are the Halte ids mapped to stable UUIDv5s (docs/reports.md), never the Halte ids themselves.
    expect(service.id).toBe(hsdsId("service", created.body.id));
    expect(service.organization.id).toBe(hsdsId("organization", partnerId));
    expect(JSON.stringify(page.body)).not.toContain("Vestiaire");

    const arabic = await api("GET", `/api/public/centres/${slug}/hsds.json?language=ar`);
    expect(arabic.body.contents[0].name).toBe("حمّامات");
    expect((await api("GET", "/api/public/centres/no-such-centre/hsds.json")).status).toBe(404);
  });
});

describe("GET /api/public/centres", () => {
  it("lists open centres without sign-in: name, slug, address and languages only, archived ones left out", async () => {
    const open = centreInput();
    const closed = centreInput();
    const openId = await givenCentre({ slug: open.slug, name: "Aaa centre ouvert" });
    const closedId = await givenCentre({ slug: closed.slug });
    const admin = await signedIn("admin");
    const archived = await api("POST", `/api/centres/${closedId}/archive`, { as: admin });
    expect(archived.status, JSON.stringify(archived.body)).toBeLessThan(300);

    const response = await api("GET", "/api/public/centres");
    expect(response.status).toBe(200);
    const slugs = response.body.centres.map((centre: { slug: string }) => centre.slug);
    expect(slugs).toContain(open.slug);
    expect(slugs).not.toContain(closed.slug);
    const listed = response.body.centres.find((centre: { slug: string }) => centre.slug === open.slug);
    expect(Object.keys(listed).sort()).toEqual(["address", "languages", "name", "slug"]);
    expect(JSON.stringify(response.body)).not.toContain(openId);
  });
});

describe("service translations", () => {
  it("keeps a translated place, and refuses a translation without its name with a field error", async () => {
    const slug = centreInput().slug;
    const centreId = await givenCentre({ slug });
    const partnerId = await givenPartner(centreId);
    const admin = await signedIn("admin");
    const body = {
      centreId,
      organizationId: partnerId,
      name: "Bagagerie",
      category: "other",
      location: "Premier étage",
      schedule: never,
      translations: { ar: { name: "حفظ الأمتعة", location: "الطابق الأول" } },
    };
    const created = await api("POST", "/api/services", { as: admin, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.translations.ar).toEqual({ name: "حفظ الأمتعة", location: "الطابق الأول" });
    const directory = await api("GET", `/api/public/centres/${slug}/services`);
    expect(directory.body.services[0].translations.ar.location).toBe("الطابق الأول");

    const refused = await api("POST", "/api/services", {
      as: admin,
      body: { ...body, translations: { ar: { location: "الطابق الأول" } } },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toContainEqual(
      expect.objectContaining({ path: ["translations", "ar", "name"], code: "required" }),
    );
  });
});
