import { describe, expect, it } from "vitest";
import { api, givenCentre, givenPartner, partnerToken, signedIn } from "./helpers.js";
import { auditOf, errorPaths, idsOf, pagesOf } from "./records-helpers.js";

const aurore = {
  name: "Aurore",
  roles: ["service_provider", "referral_destination"],
  website: "https://aurore.asso.fr",
};

describe("partners: the organisations working with a centre", () => {
  it("lets a coordinator register, read, update and archive an organisation, each write audited", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const created = await api("POST", "/api/partners", { as: coordinator, body: { centreId, ...aurore } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ centreId, ...aurore, archivedAt: null });
    const id = created.body.id;
    // Read back with the centres it works with: its home only, until it is linked to another.
    expect((await api("GET", `/api/partners/${id}`, { as: coordinator })).body).toEqual({
      ...created.body,
      centreIds: [centreId],
    });

    // A replace is whole: the website left out is gone.
    const updated = await api("PUT", `/api/partners/${id}`, {
      as: coordinator,
      body: { name: "Aurore", roles: ["service_provider", "funder"], phone: "+33 1 23 45 67 89" },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ centreId, roles: ["service_provider", "funder"] });
    expect(updated.body.website).toBeUndefined();

    const archived = await api("POST", `/api/partners/${id}/archive`, { as: coordinator });
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).not.toBeNull();
    // Archiving again changes nothing and logs nothing.
    const again = await api("POST", `/api/partners/${id}/archive`, { as: coordinator });
    expect(again.body.archivedAt).toBe(archived.body.archivedAt);

    const log = await auditOf(id);
    expect(log.map((row) => row.action)).toEqual(["create", "update", "archive"]);
    expect(log.every((row) => row.actorId === coordinator.userId && row.centreId === centreId)).toBe(true);
    expect(log[0]?.diff).toMatchObject({ after: { name: "Aurore", roles: aurore.roles } });
    expect(log[1]?.diff).toMatchObject({
      before: { roles: aurore.roles },
      after: { roles: ["service_provider", "funder"] },
    });
  });

  it("keeps an archived organisation out of lists unless asked, and refuses to edit it", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const kept = await givenPartner(centreId, "Kept");
    const gone = await givenPartner(centreId, "Gone");
    await api("POST", `/api/partners/${gone}/archive`, { as: coordinator });
    expect(idsOf(await api("GET", `/api/partners?centreId=${centreId}`, { as: coordinator }))).toEqual([
      kept,
    ]);
    expect(
      idsOf(await api("GET", `/api/partners?centreId=${centreId}&includeArchived=true`, { as: coordinator })),
    ).toEqual([kept, gone].sort());
    const edit = await api("PUT", `/api/partners/${gone}`, { as: coordinator, body: aurore });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe("conflict");
  });

  it("filters by role", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const funder = await api("POST", "/api/partners", {
      as: coordinator,
      body: { centreId, name: "Ville de Paris", roles: ["funder", "public_institution"] },
    });
    const provider = await givenPartner(centreId);
    const list = (role: string) =>
      api("GET", `/api/partners?centreId=${centreId}&role=${role}`, { as: coordinator });
    expect(idsOf(await list("funder"))).toEqual([funder.body.id]);
    expect(idsOf(await list("referral_destination"))).toEqual([provider]);
    expect(idsOf(await list("operator"))).toEqual([]);
  });

  it("pages by cursor: an empty page, and an exact multiple of the limit ends without an empty page", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const empty = await api("GET", `/api/partners?centreId=${centreId}`, { as: coordinator });
    expect(empty.body).toEqual({ items: [], nextCursor: null });

    const ids: string[] = [];
    for (const name of ["A", "B", "C", "D"]) ids.push(await givenPartner(centreId, name));
    // Ids are time-ordered only to the millisecond: pages follow id order.
    ids.sort();
    const pages = await pagesOf(`/api/partners?centreId=${centreId}`, coordinator, 2);
    expect(pages).toEqual([ids.slice(0, 2), ids.slice(2)]);
    expect(await pagesOf(`/api/partners?centreId=${centreId}`, coordinator, 4)).toEqual([ids]);
    expect(
      (await pagesOf(`/api/partners?centreId=${centreId}`, coordinator, 3)).map((p) => p.length),
    ).toEqual([3, 1]);
  });

  it("refuses invalid fields with their paths, an unknown centre, malformed JSON and unknown ids", async () => {
    const centreId = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId });
    const invalid = await api("POST", "/api/partners", {
      as: coordinator,
      body: { centreId, name: "", roles: ["donor"], website: "ftp://x", email: "nope", extra: 1 },
    });
    expect(errorPaths(invalid)).toEqual(["email", "extra", "name", "roles.0", "website"]);
    expect(invalid.body.errors.find((e: { path: string[] }) => e.path[0] === "extra").code).toBe(
      "unknown_field",
    );
    const missing = await api("POST", "/api/partners", { as: coordinator, body: { centreId } });
    expect(errorPaths(missing)).toEqual(["name", "roles"]);
    expect(missing.body.errors.every((e: { code: string }) => e.code === "required")).toBe(true);
    expect(
      errorPaths(
        await api("POST", "/api/partners", { as: coordinator, body: { centreId, ...aurore, roles: [] } }),
      ),
    ).toEqual(["roles"]);

    const admin = await signedIn("admin");
    const unknownCentre = await api("POST", "/api/partners", {
      as: admin,
      body: { centreId: "nowhere", ...aurore },
    });
    expect(errorPaths(unknownCentre)).toEqual(["centreId"]);

    const malformed = await api("POST", "/api/partners", { as: coordinator, body: "{ not json" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe("malformed_request");

    const partnerId = await givenPartner(centreId);
    // PUT takes the organisation only: the centre of a record never changes.
    expect(
      errorPaths(
        await api("PUT", `/api/partners/${partnerId}`, { as: coordinator, body: { centreId, ...aurore } }),
      ),
    ).toEqual(["centreId"]);

    for (const [method, path, body] of [
      ["GET", "/api/partners/nope", undefined],
      ["PUT", "/api/partners/nope", aurore],
      ["POST", "/api/partners/nope/archive", undefined],
    ] as const) {
      const response = await api(method, path, { as: coordinator, body });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.code).toBe("not_found");
    }

    expect(errorPaths(await api("GET", "/api/partners?role=donor", { as: coordinator }))).toEqual([
      "query.role",
    ]);
    expect(errorPaths(await api("GET", "/api/partners?limit=0", { as: coordinator }))).toEqual([
      "query.limit",
    ]);
    expect(errorPaths(await api("GET", "/api/partners?cursor=%25%25", { as: coordinator }))).toEqual([
      "query.cursor",
    ]);
  });

  it("lets reception read partners but not manage them, and keeps observers out", async () => {
    const centreId = await givenCentre();
    const partnerId = await givenPartner(centreId);
    const reception = await signedIn("reception", { centreId });
    expect((await api("GET", `/api/partners/${partnerId}`, { as: reception })).status).toBe(200);
    expect(idsOf(await api("GET", "/api/partners", { as: reception }))).toEqual([partnerId]);
    for (const [method, path, body] of [
      ["POST", "/api/partners", { centreId, ...aurore }],
      ["PUT", `/api/partners/${partnerId}`, aurore],
      ["POST", `/api/partners/${partnerId}/archive`, undefined],
    ] as const) {
      const response = await api(method, path, { as: reception, body });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body.code).toBe("forbidden");
    }
    const observer = await signedIn("observer", { centreId });
    expect((await api("GET", "/api/partners", { as: observer })).status).toBe(403);
    expect((await api("GET", `/api/partners/${partnerId}`, { as: observer })).status).toBe(403);
    expect((await api("GET", "/api/partners")).status).toBe(401);
    expect((await auditOf(partnerId)).length).toBe(0);
  });

  it("shows a partner's token or user its own organisation only, read-only", async () => {
    const centreId = await givenCentre();
    const own = await givenPartner(centreId, "Samu social");
    const other = await givenPartner(centreId, "France terre d'asile");
    for (const caller of [
      await partnerToken(centreId, own),
      await signedIn("partner", { centreId, partnerId: own }),
    ]) {
      expect(idsOf(await api("GET", "/api/partners", { as: caller }))).toEqual([own]);
      expect(
        idsOf(await api("GET", `/api/partners?centreId=${centreId}&includeArchived=true`, { as: caller })),
      ).toEqual([own]);
      expect((await api("GET", `/api/partners/${own}`, { as: caller })).body.name).toBe("Samu social");
      expect((await api("GET", `/api/partners/${other}`, { as: caller })).status).toBe(404);
      expect((await api("PUT", `/api/partners/${own}`, { as: caller, body: aurore })).status).toBe(403);
      expect((await api("POST", `/api/partners/${own}/archive`, { as: caller })).status).toBe(403);
    }
  });

  it("hides another centre's organisations as 404 and refuses to register one there", async () => {
    const mine = await givenCentre();
    const theirs = await givenCentre();
    const myPartner = await givenPartner(mine);
    const theirPartner = await givenPartner(theirs);
    const coordinator = await signedIn("coordinator", { centreId: mine });
    expect((await api("GET", `/api/partners/${theirPartner}`, { as: coordinator })).status).toBe(404);
    expect(
      (await api("PUT", `/api/partners/${theirPartner}`, { as: coordinator, body: aurore })).status,
    ).toBe(404);
    expect((await api("POST", `/api/partners/${theirPartner}/archive`, { as: coordinator })).status).toBe(
      404,
    );
    expect((await api("GET", `/api/partners?centreId=${theirs}`, { as: coordinator })).status).toBe(404);
    expect(idsOf(await api("GET", "/api/partners", { as: coordinator }))).toEqual([myPartner]);
    const there = await api("POST", "/api/partners", {
      as: coordinator,
      body: { centreId: theirs, ...aurore },
    });
    expect(there.status).toBe(403);
    expect((await auditOf(theirPartner)).length).toBe(0);

    const admin = await signedIn("admin");
    expect((await api("GET", `/api/partners/${theirPartner}`, { as: admin })).status).toBe(200);
    expect(idsOf(await api("GET", `/api/partners?centreId=${theirs}`, { as: admin }))).toEqual([
      theirPartner,
    ]);
  });
});
