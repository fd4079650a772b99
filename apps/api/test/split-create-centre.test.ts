// Issue 16, one database per centre: `POST /api/centres` with `d1Binding` opens a centre whose rows live in
// that database from its first tap — the copy of its row there, the directory's row naming it — and refuses
// a binding the Worker lacks with a 422 that names the field, writing nothing. All through the Worker, on
// real local D1 (the pool binds DB and CENTRE_A..C).
import { env } from "cloudflare:workers";
import { auditLog, centres, visits } from "@halte/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { earlierToday } from "../scripts/todays-clock.mjs";
import { api, centreInput, db, signedIn } from "./helpers.js";
import { centreDb } from "./split-helpers.js";

const tap = (centreId: string, key: string) => ({
  centreId,
  // A minute ago, but today in Paris at any hour: the tests read these taps in today's counts.
  arrivedAt: earlierToday(new Date(), 60_000, "Europe/Paris")(60_000).toISOString(),
  idempotencyKey: key,
  uses: [],
});

describe("POST /api/centres with d1Binding", () => {
  it("opens a centre in CENTRE_B whose door taps land in CENTRE_B only", async () => {
    const admin = await signedIn("admin");
    const input = centreInput({ name: "Le Relais" });
    const created = await api("POST", "/api/centres", {
      as: admin,
      body: { ...input, d1Binding: "CENTRE_B" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: "Le Relais", slug: input.slug });
    expect(created.body).not.toHaveProperty("d1Binding");
    const centreId = created.body.id as string;

    const [directoryRow] = await db.select().from(centres).where(eq(centres.id, centreId));
    expect(directoryRow?.d1Binding).toBe("CENTRE_B");
    const [copy] = await centreDb("CENTRE_B").select().from(centres).where(eq(centres.id, centreId));
    expect(copy).toMatchObject({ slug: input.slug, name: "Le Relais", d1Binding: "CENTRE_B" });
    const audit = await db.select().from(auditLog).where(eq(auditLog.entityId, centreId));
    expect(audit.map((row) => row.action)).toEqual(["create"]);

    const reception = await signedIn("reception", { centreId });
    const tapped = await api("POST", "/api/visits", {
      as: reception,
      body: tap(centreId, `new-b-${centreId}`),
    });
    expect(tapped.status, JSON.stringify(tapped.body)).toBe(201);
    const today = await api("GET", `/api/visits/today?centreId=${centreId}`, { as: reception });
    expect(today.status).toBe(200);
    expect(today.body.visits).toBe(1);

    const inB = await centreDb("CENTRE_B").select().from(visits).where(eq(visits.centreId, centreId));
    expect(inB.map((visit) => visit.id)).toEqual([tapped.body.id]);
    for (const elsewhere of [db, centreDb("CENTRE_A"), centreDb("CENTRE_C")]) {
      expect(await elsewhere.select().from(visits).where(eq(visits.centreId, centreId))).toEqual([]);
    }
  });

  it("puts the centre in the directory's own database without d1Binding, or with DB", async () => {
    const admin = await signedIn("admin");
    for (const body of [centreInput(), { ...centreInput(), d1Binding: "DB" }]) {
      const created = await api("POST", "/api/centres", { as: admin, body });
      expect(created.status).toBe(201);
      const [row] = await db.select().from(centres).where(eq(centres.id, created.body.id));
      expect(row?.d1Binding).toBe("DB");
    }
  });

  it("refuses a binding the Worker lacks, is not a D1 database, or is the figures' — 422, nothing written", async () => {
    const admin = await signedIn("admin");
    const cases: Array<[string, RegExp]> = [
      ["CENTRE_NOWHERE", /no D1 database bound as CENTRE_NOWHERE/],
      // A binding of another kind (a string var, a queue) is no database.
      ["ENVIRONMENT", /no D1 database bound as ENVIRONMENT/],
      ["JOB_QUEUE", /no D1 database bound as JOB_QUEUE/],
      ["FIGURES", /figures across centres/],
      ["centre_b", /binding name/],
      ["", /binding name/],
    ];
    for (const [d1Binding, message] of cases) {
      const input = centreInput();
      const refused = await api("POST", "/api/centres", { as: admin, body: { ...input, d1Binding } });
      expect(refused.status, d1Binding).toBe(422);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
      expect(refused.body.errors).toMatchObject([{ path: ["d1Binding"] }]);
      expect(JSON.stringify(refused.body.errors)).toMatch(message);
      expect(await db.select().from(centres).where(eq(centres.slug, input.slug))).toEqual([]);
      for (const binding of ["CENTRE_A", "CENTRE_B", "CENTRE_C"] as const) {
        expect(await centreDb(binding).select().from(centres).where(eq(centres.slug, input.slug))).toEqual(
          [],
        );
      }
    }
  });

  it("converges on a retry after a copy was left without its directory row", async () => {
    const admin = await signedIn("admin");
    const input = centreInput();
    // What an attempt stopped between its two writes leaves: a copy under another id, no directory row.
    const at = new Date().toISOString();
    await centreDb("CENTRE_A")
      .insert(centres)
      .values({
        id: "stopped-attempt",
        ...input,
        timeZone: input.openingHours.timeZone,
        createdAt: at,
        updatedAt: at,
        archivedAt: null,
        d1Binding: "CENTRE_A",
      });
    const created = await api("POST", "/api/centres", {
      as: admin,
      body: { ...input, d1Binding: "CENTRE_A" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const copies = await centreDb("CENTRE_A").select().from(centres).where(eq(centres.slug, input.slug));
    expect(copies.map((row) => row.id)).toEqual([created.body.id]);
    // The slug is taken now: the same request again is a conflict, with nothing written.
    const again = await api("POST", "/api/centres", { as: admin, body: { ...input, d1Binding: "CENTRE_A" } });
    expect(again.status).toBe(409);
  });

  it("refuses with 409 a slug whose copy in that database has records, keeping them", async () => {
    const admin = await signedIn("admin");
    const input = centreInput();
    const at = new Date().toISOString();
    const row = {
      id: "copy-with-records",
      ...input,
      timeZone: input.openingHours.timeZone,
      createdAt: at,
      updatedAt: at,
      archivedAt: null,
      d1Binding: "CENTRE_C",
    };
    await centreDb("CENTRE_C").insert(centres).values(row);
    await env.CENTRE_C.prepare(
      "INSERT INTO visits (id, centre_id, arrived_at, local_day, local_hour, languages, idempotency_key, created_at, updated_at) VALUES ('kept-visit', 'copy-with-records', ?1, '2026-01-05', 11, '[]', 'kept-1', ?1, ?1)",
    )
      .bind(at)
      .run();
    const refused = await api("POST", "/api/centres", {
      as: admin,
      body: { ...input, d1Binding: "CENTRE_C" },
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(409);
    expect(refused.body.detail).toContain("already holds a centre");
    expect(await db.select().from(centres).where(eq(centres.slug, input.slug))).toEqual([]);
    const copies = await centreDb("CENTRE_C").select().from(centres).where(eq(centres.slug, input.slug));
    expect(copies.map((copy) => copy.id)).toEqual(["copy-with-records"]);
  });
});
