import { auditLog } from "@halte/db";
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { api, centreInput, db, givenCentre, signedIn } from "./helpers.js";

describe("centres", () => {
  it("lets an admin open a centre, read it back, update and archive it, and logs each write", async () => {
    const admin = await signedIn("admin");
    const input = centreInput();
    const created = await api("POST", "/api/centres", { as: admin, body: input });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "La Halte de Jour",
      disclosureThreshold: 5,
      archivedAt: null,
    });
    const id = created.body.id;

    const read = await api("GET", `/api/centres/${id}`, { as: admin });
    expect(read.body.openingHours.timeZone).toBe("Europe/Paris");

    const updated = await api("PUT", `/api/centres/${id}`, {
      as: admin,
      body: { ...input, dailyCapacity: 120 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.dailyCapacity).toBe(120);

    const archived = await api("POST", `/api/centres/${id}/archive`, { as: admin });
    expect(archived.body.archivedAt).not.toBeNull();
    const listed = await api("GET", "/api/centres?limit=200", { as: admin });
    expect(listed.body.items.map((c: { id: string }) => c.id)).not.toContain(id);

    const log = await db.select().from(auditLog).where(eq(auditLog.entityId, id)).orderBy(asc(auditLog.id));
    expect(log.map((row) => [row.action, row.actorId])).toEqual([
      ["create", admin.userId],
      ["update", admin.userId],
      ["archive", admin.userId],
    ]);
    expect(log[1]?.diff).toEqual({ before: { dailyCapacity: 100 }, after: { dailyCapacity: 120 } });
  });

  it("refuses a second centre with the same slug with 409", async () => {
    const admin = await signedIn("admin");
    const input = centreInput();
    expect((await api("POST", "/api/centres", { as: admin, body: input })).status).toBe(201);
    const again = await api("POST", "/api/centres", { as: admin, body: { ...input, name: "Autre" } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("conflict");
  });

  it("answers invalid fields with 422 and one error per field", async () => {
    const admin = await signedIn("admin");
    const response = await api("POST", "/api/centres", {
      as: admin,
      body: { ...centreInput(), disclosureThreshold: 2, slug: "Not A Slug", colour: "blue" },
    });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const fields = response.body.errors.map(
      (e: { path: string[]; code: string }) => `${e.path.join(".")}:${e.code}`,
    );
    expect(fields.sort()).toEqual([
      "colour:unknown_field",
      "disclosureThreshold:too_small",
      "slug:invalid_format",
    ]);
  });

  it("answers malformed JSON with 400 and a non-JSON body with 415", async () => {
    const admin = await signedIn("admin");
    const malformed = await api("POST", "/api/centres", { as: admin, body: "{ not json" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe("malformed_request");
    const form = await api("POST", "/api/centres", {
      as: admin,
      body: "name=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
  });

  it("answers a body over 1 MB with 413", async () => {
    const admin = await signedIn("admin");
    const response = await api("POST", "/api/centres", {
      as: admin,
      body: { ...centreInput(), address: "x".repeat(1024 * 1024 + 10) },
    });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe("payload_too_large");
  });

  it("shows a coordinator only their own centre, and hides others as 404", async () => {
    const mine = await givenCentre();
    const other = await givenCentre();
    const coordinator = await signedIn("coordinator", { centreId: mine });
    const listed = await api("GET", "/api/centres", { as: coordinator });
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([mine]);
    expect((await api("GET", `/api/centres/${other}`, { as: coordinator })).status).toBe(404);
  });

  it("pages through centres with a cursor, without repeats or gaps", async () => {
    const admin = await signedIn("admin");
    for (let i = 0; i < 5; i++) await givenCentre();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = await api("GET", `/api/centres${query}`, { as: admin });
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const all = await api("GET", "/api/centres?limit=200", { as: admin });
    expect(seen).toEqual(all.body.items.map((c: { id: string }) => c.id));
    expect((await api("GET", "/api/centres?cursor=%%%", { as: admin })).status).toBe(422);
    expect((await api("GET", "/api/centres?limit=0", { as: admin })).status).toBe(422);
  });

  it("refuses anonymous callers with 401 and a coordinator's attempt to open a centre with 403", async () => {
    expect((await api("GET", "/api/centres")).status).toBe(401);
    const coordinator = await signedIn("coordinator", { centreId: await givenCentre() });
    const response = await api("POST", "/api/centres", { as: coordinator, body: centreInput() });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe("forbidden");
  });
});
