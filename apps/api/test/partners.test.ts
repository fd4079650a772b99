import { auditLog } from "@halte/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { api, db, givenCentre, givenPartner, partnerToken, signedIn } from "./helpers.js";

const aurore = {
  name: "Aurore",
  roles: ["service_provider", "referral_destination"],
  website: "https://aurore.asso.fr",
};

describe("partners", () => {
  it("lets a coordinator register, update, list and archive an organisation, each write audited", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const created = await api("POST", "/api/partners", { as: coordinator, body: { centreId, ...aurore } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ centreId, name: "Aurore", archivedAt: null });
    const id = created.body.id;

    const updated = await api("PUT", `/api/partners/${id}`, {
      as: coordinator,
      body: { ...aurore, roles: ["service_provider", "funder"] },
    });
    expect(updated.body.roles).toEqual(["service_provider", "funder"]);

    const funders = await api("GET", `/api/partners?centreId=${centreId}&role=funder`, { as: coordinator });
    expect(funders.body.items.map((p: { id: string }) => p.id)).toEqual([id]);
    const destinations = await api("GET", `/api/partners?centreId=${centreId}&role=referral_destination`, {
      as: coordinator,
    });
    expect(destinations.body.items).toEqual([]);

    expect(
      (await api("POST", `/api/partners/${id}/archive`, { as: coordinator })).body.archivedAt,
    ).not.toBeNull();
    expect((await api("GET", `/api/partners?centreId=${centreId}`, { as: coordinator })).body.items).toEqual(
      [],
    );
    const withArchived = await api("GET", `/api/partners?centreId=${centreId}&includeArchived=true`, {
      as: coordinator,
    });
    expect(withArchived.body.items).toHaveLength(1);

    const log = await db.select().from(auditLog).where(eq(auditLog.entityId, id));
    expect(log.map((row) => row.action).sort()).toEqual(["archive", "create", "update"]);
  });

  it("refuses invalid fields with their paths, and an unknown centre", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const invalid = await api("POST", "/api/partners", {
      as: coordinator,
      body: { centreId, name: "", roles: ["donor"], website: "ftp://x", extra: 1 },
    });
    expect(invalid.status).toBe(422);
    const paths = invalid.body.errors.map((e: { path: (string | number)[] }) => e.path.join("."));
    expect(paths.sort()).toEqual(["extra", "name", "roles.0", "website"]);
    const admin = await signedIn("admin");
    const unknown = await api("POST", "/api/partners", {
      as: admin,
      body: { centreId: "nowhere", ...aurore },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].path).toEqual(["centreId"]);
  });

  it("lets reception read but not manage partners, and refuses observers and partner tokens", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const reception = await signedIn("reception", { centreId });
    expect((await api("GET", `/api/partners/${partnerId}`, { as: reception })).status).toBe(200);
    expect((await api("POST", "/api/partners", { as: reception, body: {} })).status).toBe(403);
    const observer = await signedIn("observer", { centreId });
    expect((await api("GET", "/api/partners", { as: observer })).status).toBe(403);
    const token = await partnerToken(centreId, partnerId);
    expect((await api("GET", "/api/partners", { as: token })).status).toBe(403);
  });

  it("hides another centre's partner as 404 and refuses to register one there", async () => {
    const mine = await givenCentre();
    const theirs = await givenCentre();
    const theirPartner = await givenPartner(theirs);
    const coordinator = await signedIn("coordinator", { centreId: mine });
    expect((await api("GET", `/api/partners/${theirPartner}`, { as: coordinator })).status).toBe(404);
    expect((await api("GET", `/api/partners?centreId=${theirs}`, { as: coordinator })).status).toBe(404);
    const there = await api("POST", "/api/partners", {
      as: coordinator,
      body: { centreId: theirs, ...aurore },
    });
    expect(there.status).toBe(403);
  });
});
