import { env } from "cloudflare:workers";
import { auditLog, serviceUses, visits } from "@halte/db";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  api,
  callHandler,
  countingD1,
  db,
  givenCentre,
  givenPartner,
  partnerToken,
  signedIn,
} from "./helpers.js";
import { fieldErrors, givenService } from "./visits-helpers.js";

async function door() {
  const centreId = await givenCentre();
  const partnerId = await givenPartner(centreId);
  const reception = await signedIn("reception", { centreId });
  return { centreId, partnerId, reception };
}

function key(prefix: string, n: number) {
  return `${prefix}-${String(n).padStart(5, "0")}`;
}

describe("recording a visit", () => {
  it("needs nothing but the centre and the time, files it under the centre's local day, and logs it", async () => {
    const { centreId, reception } = await door();
    // 23:30 UTC on 28 November is 00:30 on the 29th in Paris.
    const response = await api("POST", "/api/visits", {
      as: reception,
      body: { centreId, arrivedAt: "2026-11-28T23:30:00Z" },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      centreId,
      arrivedAt: "2026-11-28T23:30:00.000Z",
      localDay: "2026-11-29",
      hasVisitorCode: false,
      ageBand: null,
      languages: [],
      uses: [],
    });
    expect(response.body).not.toHaveProperty("visitorCodeHash");
    const log = await db.select().from(auditLog).where(eq(auditLog.entityId, response.body.id));
    expect(log.map((row) => [row.action, row.entity, row.actorId])).toEqual([
      ["create", "visit", reception.userId],
    ]);
  });

  it("records the day's service uses with the visit, in the same write", async () => {
    const { centreId, partnerId, reception } = await door();
    const shower = await givenService(centreId, partnerId);
    const meal = await givenService(centreId, partnerId, { name: "Café" });
    const response = await api("POST", "/api/visits", {
      as: reception,
      body: {
        centreId,
        arrivedAt: "2026-11-28T09:15:00+01:00",
        ageBand: "18-59",
        gender: "male",
        languages: ["prs", "fr"],
        firstVisit: true,
        uses: [{ serviceId: shower }, { serviceId: meal, quantity: 2 }],
      },
    });
    expect(response.status).toBe(201);
    expect(
      response.body.uses.map((u: { serviceId: string; quantity: number }) => [u.serviceId, u.quantity]),
    ).toEqual([
      [shower, 1],
      [meal, 2],
    ]);
    const rows = await db.select().from(serviceUses).where(eq(serviceUses.visitId, response.body.id));
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.source === "door" && row.localDay === "2026-11-28")).toBe(true);
  });

  it("stores a visitor code only as a 64-hex keyed hash, and counts the same card typed differently once", async () => {
    const { centreId, reception } = await door();
    const coordinator = await signedIn("coordinator", { centreId });
    const now = new Date().toISOString();
    for (const visitorCode of ["A-0042", " a0042 ", "A 00.42"]) {
      const response = await api("POST", "/api/visits", {
        as: reception,
        body: { centreId, arrivedAt: now, visitorCode },
      });
      expect(response.status).toBe(201);
      expect(response.body.hasVisitorCode).toBe(true);
      expect(JSON.stringify(response.body)).not.toMatch(/0042/);
    }
    const rows = await db.select().from(visits).where(eq(visits.centreId, centreId));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.visitorCodeHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toMatch(/0042/);
    }
    expect(new Set(rows.map((row) => row.visitorCodeHash)).size).toBe(1);
    const log = await db.select().from(auditLog).where(eq(auditLog.centreId, centreId));
    expect(JSON.stringify(log)).not.toContain(rows[0]?.visitorCodeHash);
    expect(JSON.stringify(log)).not.toMatch(/0042/);

    const today = await api("GET", `/api/visits/today?centreId=${centreId}`, { as: coordinator });
    expect(today.body).toMatchObject({ visits: 3, visitorCodes: 1 });
  });

  it("hashes the same card differently at another centre", async () => {
    const first = await door();
    const second = await door();
    const at = "2026-11-28T10:00:00Z";
    await api("POST", "/api/visits", {
      as: first.reception,
      body: { centreId: first.centreId, arrivedAt: at, visitorCode: "A-0042" },
    });
    await api("POST", "/api/visits", {
      as: second.reception,
      body: { centreId: second.centreId, arrivedAt: at, visitorCode: "A-0042" },
    });
    const [a] = await db.select().from(visits).where(eq(visits.centreId, first.centreId));
    const [b] = await db.select().from(visits).where(eq(visits.centreId, second.centreId));
    expect(a?.visitorCodeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a?.visitorCodeHash).not.toBe(b?.visitorCodeHash);
  });

  it("answers a retried visit with the first record (200, same id) and records it once", async () => {
    const { centreId, partnerId, reception } = await door();
    const shower = await givenService(centreId, partnerId);
    const body = {
      centreId,
      arrivedAt: "2026-11-28T09:00:00Z",
      idempotencyKey: "tablet-1:000001",
      uses: [{ serviceId: shower }],
    };
    const first = await api("POST", "/api/visits", { as: reception, body });
    expect(first.status).toBe(201);
    const again = await api("POST", "/api/visits", {
      as: reception,
      body: { ...body, ageBand: "60+" },
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.ageBand).toBeNull();
    expect(again.body.uses).toHaveLength(1);
    expect(await db.select().from(visits).where(eq(visits.centreId, centreId))).toHaveLength(1);
    expect(await db.select().from(serviceUses).where(eq(serviceUses.centreId, centreId))).toHaveLength(1);
    const log = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.centreId, centreId), eq(auditLog.entity, "visit")));
    expect(log).toHaveLength(1);
  });

  it("refuses invalid fields with 422 and one error per field", async () => {
    const { centreId, reception } = await door();
    const response = await api("POST", "/api/visits", {
      as: reception,
      body: {
        centreId,
        ageBand: "adult",
        languages: ["French"],
        visitorCode: "---",
        idempotencyKey: "short",
        colour: "blue",
      },
    });
    expect(response.status).toBe(422);
    expect(response.body.code).toBe("validation_failed");
    expect(fieldErrors(response.body)).toEqual([
      "ageBand:invalid_value",
      "arrivedAt:required",
      "colour:unknown_field",
      "idempotencyKey:too_small",
      "languages.0:invalid_format",
      "visitorCode:invalid_format",
    ]);
  });

  it("refuses a use of another centre's service and an unknown centre with 422 naming the field", async () => {
    const { centreId, reception } = await door();
    const elsewhere = await givenCentre();
    const foreign = await givenService(elsewhere, await givenPartner(elsewhere));
    const response = await api("POST", "/api/visits", {
      as: reception,
      body: { centreId, arrivedAt: "2026-11-28T09:00:00Z", uses: [{ serviceId: foreign }] },
    });
    expect(response.status).toBe(422);
    expect(fieldErrors(response.body)).toEqual(["uses.0.serviceId:invalid_value"]);
    const admin = await signedIn("admin");
    const unknown = await api("POST", "/api/visits", {
      as: admin,
      body: { centreId: "no-such-centre", arrivedAt: "2026-11-28T09:00:00Z" },
    });
    expect(unknown.status).toBe(422);
    expect(fieldErrors(unknown.body)).toEqual(["centreId:invalid_value"]);
    expect(await db.select().from(visits).where(eq(visits.centreId, centreId))).toHaveLength(0);
  });

  it("answers malformed JSON with 400", async () => {
    const { reception } = await door();
    const response = await api("POST", "/api/visits", { as: reception, body: "{ nope" });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe("malformed_request");
  });

  it("lets reception, coordinators and admins record, and no one else", async () => {
    const { centreId, partnerId } = await door();
    const body = { centreId, arrivedAt: "2026-11-28T09:00:00Z" };
    expect((await api("POST", "/api/visits", { body })).status).toBe(401);
    for (const role of ["coordinator", "admin"] as const) {
      const caller = await signedIn(role, { centreId });
      expect((await api("POST", "/api/visits", { as: caller, body })).status).toBe(201);
    }
    const observer = await signedIn("observer", { centreId });
    expect((await api("POST", "/api/visits", { as: observer, body })).status).toBe(403);
    const token = await partnerToken(centreId, partnerId);
    expect((await api("POST", "/api/visits", { as: token, body })).status).toBe(403);
    const otherReception = await signedIn("reception", { centreId: await givenCentre() });
    expect((await api("POST", "/api/visits", { as: otherReception, body })).status).toBe(403);
  });
});

describe("recording a batch of visits", () => {
  it("records 1,000 visits once even when the same batch is sent twice", async () => {
    const { centreId, partnerId, reception } = await door();
    const shower = await givenService(centreId, partnerId);
    const batch = Array.from({ length: 1000 }, (_, n) => ({
      centreId,
      arrivedAt: new Date(Date.UTC(2026, 10, 28, 8, 0, n)).toISOString(),
      idempotencyKey: key("offline", n),
      ...(n % 10 === 0 ? { uses: [{ serviceId: shower }] } : {}),
    }));
    const first = await api("POST", "/api/visits/batch", { as: reception, body: { visits: batch } });
    expect(first.status).toBe(200);
    expect(first.body.created).toBe(1000);
    expect(first.body.results).toHaveLength(1000);
    expect(first.body.results[7]).toMatchObject({ idempotencyKey: key("offline", 7), status: "created" });

    const second = await api("POST", "/api/visits/batch", { as: reception, body: { visits: batch } });
    expect(second.status).toBe(200);
    expect(second.body.duplicates).toBe(1000);
    expect(second.body.results.every((r: { status: string }) => r.status === "duplicate")).toBe(true);
    expect(second.body.results.map((r: { id: string }) => r.id)).toEqual(
      first.body.results.map((r: { id: string }) => r.id),
    );
    expect(await db.select({ id: visits.id }).from(visits).where(eq(visits.centreId, centreId))).toHaveLength(
      1000,
    );
    expect(
      await db.select({ id: serviceUses.id }).from(serviceUses).where(eq(serviceUses.centreId, centreId)),
    ).toHaveLength(100);
    const log = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.centreId, centreId), eq(auditLog.entity, "visit")));
    expect(log.map((row) => [row.action, row.diff])).toEqual([
      ["create_batch", { after: { received: 1000, created: 1000 } }],
    ]);
  });

  it("records the new part of a half-sent batch and the same key twice in one batch once", async () => {
    const { centreId, reception } = await door();
    const at = "2026-11-28T09:00:00Z";
    await api("POST", "/api/visits/batch", {
      as: reception,
      body: { visits: [{ centreId, arrivedAt: at, idempotencyKey: "half-00001" }] },
    });
    const response = await api("POST", "/api/visits/batch", {
      as: reception,
      body: {
        visits: [
          { centreId, arrivedAt: at, idempotencyKey: "half-00001" },
          { centreId, arrivedAt: at, idempotencyKey: "half-00002" },
          { centreId, arrivedAt: at, idempotencyKey: "half-00002" },
        ],
      },
    });
    expect(response.body.results.map((r: { status: string }) => r.status)).toEqual([
      "duplicate",
      "created",
      "duplicate",
    ]);
    expect(response.body.results[1].id).toBe(response.body.results[2].id);
    expect(await db.select().from(visits).where(eq(visits.centreId, centreId))).toHaveLength(2);
  });

  it("refuses the whole batch when one visit is invalid, naming visits.N.field, and writes nothing", async () => {
    const { centreId, reception } = await door();
    const batch = Array.from({ length: 5 }, (_, n) => ({
      centreId,
      arrivedAt: "2026-11-28T09:00:00Z",
      idempotencyKey: key("bad", n),
    }));
    const invalid = batch.map((v, n) => (n === 3 ? { ...v, gender: "unknown" } : v));
    const response = await api("POST", "/api/visits/batch", { as: reception, body: { visits: invalid } });
    expect(response.status).toBe(422);
    expect(fieldErrors(response.body)).toEqual(["visits.3.gender:invalid_value"]);

    const elsewhere = await givenCentre();
    const foreign = await givenService(elsewhere, await givenPartner(elsewhere));
    const unknownService = batch.map((v, n) => (n === 4 ? { ...v, uses: [{ serviceId: foreign }] } : v));
    const second = await api("POST", "/api/visits/batch", {
      as: reception,
      body: { visits: unknownService },
    });
    expect(second.status).toBe(422);
    expect(fieldErrors(second.body)).toEqual(["visits.4.uses.0.serviceId:invalid_value"]);

    const missingKey = batch.map((v, n) => (n === 0 ? { centreId, arrivedAt: v.arrivedAt } : v));
    const third = await api("POST", "/api/visits/batch", { as: reception, body: { visits: missingKey } });
    expect(fieldErrors(third.body)).toEqual(["visits.0.idempotencyKey:required"]);
    expect(await db.select().from(visits).where(eq(visits.centreId, centreId))).toHaveLength(0);
  });

  it("refuses an empty batch, more than 1,000 visits, and another centre's visits", async () => {
    const { centreId, reception } = await door();
    const empty = await api("POST", "/api/visits/batch", { as: reception, body: { visits: [] } });
    expect(fieldErrors(empty.body)).toEqual(["visits:too_small"]);
    const tooMany = Array.from({ length: 1001 }, (_, n) => ({
      centreId,
      arrivedAt: "2026-11-28T09:00:00Z",
      idempotencyKey: key("many", n),
    }));
    const big = await api("POST", "/api/visits/batch", { as: reception, body: { visits: tooMany } });
    expect(big.status).toBe(422);
    expect(fieldErrors(big.body)).toEqual(["visits:too_big"]);
    const other = await givenCentre();
    const foreign = await api("POST", "/api/visits/batch", {
      as: reception,
      body: {
        visits: [{ centreId: other, arrivedAt: "2026-11-28T09:00:00Z", idempotencyKey: "other-0001" }],
      },
    });
    expect(foreign.status).toBe(403);
  });
});

describe("reading visits", () => {
  it("lists a centre's visits of a period without any visitor code hash", async () => {
    const { centreId, reception } = await door();
    const coordinator = await signedIn("coordinator", { centreId });
    for (const arrivedAt of ["2026-10-31T23:30:00Z", "2026-11-01T09:00:00Z", "2026-11-30T23:30:00Z"]) {
      await api("POST", "/api/visits", { as: reception, body: { centreId, arrivedAt, visitorCode: "B-7" } });
    }
    // In Paris: 31 Oct 23:30 is in November; 30 Nov 23:30 UTC is 1 December.
    const november = await api("GET", `/api/visits?centreId=${centreId}&period=202611`, { as: coordinator });
    expect(november.status).toBe(200);
    expect(november.body.items.map((v: { localDay: string }) => v.localDay)).toEqual([
      "2026-11-01",
      "2026-11-01",
    ]);
    expect(november.body.items.every((v: { hasVisitorCode: boolean }) => v.hasVisitorCode)).toBe(true);
    expect(JSON.stringify(november.body)).not.toMatch(/visitorCodeHash|[0-9a-f]{64}/);

    const paged = await api("GET", `/api/visits?centreId=${centreId}&limit=2`, { as: coordinator });
    expect(paged.body.items).toHaveLength(2);
    const rest = await api(
      "GET",
      `/api/visits?centreId=${centreId}&limit=2&cursor=${paged.body.nextCursor}`,
      {
        as: coordinator,
      },
    );
    expect(rest.body.items).toHaveLength(1);
    expect(rest.body.nextCursor).toBeNull();
  });

  it("shows a centre-bound caller only its own centre and refuses readers without visits:read", async () => {
    const first = await door();
    const second = await door();
    await api("POST", "/api/visits", {
      as: second.reception,
      body: { centreId: second.centreId, arrivedAt: "2026-11-28T09:00:00Z" },
    });
    const coordinator = await signedIn("coordinator", { centreId: first.centreId });
    const mine = await api("GET", "/api/visits?limit=200", { as: coordinator });
    expect(mine.body.items.every((v: { centreId: string }) => v.centreId === first.centreId)).toBe(true);
    const theirs = await api("GET", `/api/visits?centreId=${second.centreId}`, { as: coordinator });
    expect(theirs.status).toBe(403);
    expect((await api("GET", "/api/visits", { as: first.reception })).status).toBe(403);
    const observer = await signedIn("observer", { centreId: first.centreId });
    expect((await api("GET", "/api/visits", { as: observer })).status).toBe(403);
  });

  it("refuses an impossible period or cursor with 422", async () => {
    const { centreId } = await door();
    const coordinator = await signedIn("coordinator", { centreId });
    const period = await api("GET", "/api/visits?period=2025W53", { as: coordinator });
    expect(period.status).toBe(422);
    expect(fieldErrors(period.body)).toEqual(["query.period:invalid_format"]);
    const cursor = await api("GET", "/api/visits?cursor=%%%", { as: coordinator });
    expect(cursor.status).toBe(422);
  });

  it("gives the door today's visits and each service's uses against its capacity", async () => {
    const { centreId, partnerId, reception } = await door();
    const shower = await givenService(centreId, partnerId, { name: "Douches", dailyCapacity: 12 });
    const cafe = await givenService(centreId, partnerId, { name: "Café" });
    const now = new Date().toISOString();
    await api("POST", "/api/visits", {
      as: reception,
      body: { centreId, arrivedAt: now, uses: [{ serviceId: shower, quantity: 2 }, { serviceId: cafe }] },
    });
    await api("POST", "/api/visits", {
      as: reception,
      body: { centreId, arrivedAt: now, uses: [{ serviceId: shower }] },
    });
    await api("POST", "/api/visits", {
      as: reception,
      body: { centreId, arrivedAt: "2020-01-01T10:00:00Z" },
    });
    const today = await api("GET", "/api/visits/today", { as: reception });
    expect(today.status).toBe(200);
    expect(today.body).toMatchObject({ centreId, visits: 2, capacity: 100, remaining: 98 });
    const byName = Object.fromEntries(today.body.services.map((s: { name: string }) => [s.name, s]));
    expect(byName.Douches).toMatchObject({ serviceId: shower, uses: 3, capacity: 12, remaining: 9 });
    expect(byName.Café).toMatchObject({ serviceId: cafe, uses: 1, capacity: null, remaining: null });

    const admin = await signedIn("admin");
    expect((await api("GET", "/api/visits/today", { as: admin })).status).toBe(422);
    expect((await api("GET", "/api/visits/today?centreId=nope", { as: admin })).status).toBe(404);
    const observer = await signedIn("observer", { centreId });
    expect((await api("GET", "/api/visits/today", { as: observer })).status).toBe(403);
  });
});

describe("the door's hot path", () => {
  it("costs three D1 round trips per tap — session, centre and services with the keys, write — single or batched", async () => {
    const { centreId, partnerId, reception } = await door();
    const shower = await givenService(centreId, partnerId);
    const tap = (n: number) => ({
      centreId,
      arrivedAt: "2026-11-28T09:00:00Z",
      idempotencyKey: key("trips", n),
      uses: [{ serviceId: shower }],
    });
    const count = { roundTrips: 0 };
    const bindings = { DB: countingD1(env.DB, count) };
    const single = await callHandler("POST", "/api/visits", {
      as: reception,
      body: JSON.stringify(tap(1)),
      bindings,
    });
    expect(single.status).toBe(201);
    expect(count.roundTrips).toBe(3);

    count.roundTrips = 0;
    const batch = await callHandler("POST", "/api/visits/batch", {
      as: reception,
      body: JSON.stringify({ visits: [tap(2), tap(3)] }),
      bindings,
    });
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ created: 2, duplicates: 0 });
    expect(count.roundTrips).toBe(3);
    expect(await db.select().from(visits).where(eq(visits.centreId, centreId))).toHaveLength(3);
  });

  it("settles the same backlog uploaded three times at once: each tap stored once, every answer agreeing", async () => {
    const { centreId, partnerId, reception } = await door();
    const shower = await givenService(centreId, partnerId);
    const backlog = Array.from({ length: 30 }, (_, n) => ({
      centreId,
      arrivedAt: "2026-11-28T09:00:00Z",
      idempotencyKey: key("race", n),
      ...(n % 3 === 0 ? { uses: [{ serviceId: shower }] } : {}),
    }));
    const answers = await Promise.all(
      [0, 1, 2].map(() => api("POST", "/api/visits/batch", { as: reception, body: { visits: backlog } })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    const idsOf = (answer: (typeof answers)[number]) =>
      answer.body.results.map((r: { idempotencyKey: string; id: string }) => `${r.idempotencyKey}=${r.id}`);
    expect(idsOf(answers[1] as (typeof answers)[number])).toEqual(
      idsOf(answers[0] as (typeof answers)[number]),
    );
    expect(idsOf(answers[2] as (typeof answers)[number])).toEqual(
      idsOf(answers[0] as (typeof answers)[number]),
    );
    expect(answers.reduce((sum, answer) => sum + answer.body.created, 0)).toBe(30);
    const stored = await db.select().from(visits).where(eq(visits.centreId, centreId));
    expect(stored).toHaveLength(30);
    const uses = await db.select().from(serviceUses).where(eq(serviceUses.centreId, centreId));
    expect(uses).toHaveLength(10);
    expect(new Set(uses.map((use) => use.visitId)).size).toBe(10);
    expect(uses.every((use) => stored.some((visit) => visit.id === use.visitId))).toBe(true);
  });

  it("writes only what is missing when another upload stored one of the taps in between, and logs that", async () => {
    const { centreId, reception } = await door();
    const backlog = Array.from({ length: 5 }, (_, n) => ({
      centreId,
      arrivedAt: "2026-11-28T09:00:00Z",
      idempotencyKey: key("between", n),
    }));
    let competitor: string | undefined;
    // Just before this upload's write, another client (the same tablet's other tab) stores tap 2.
    const DB = countingD1(env.DB, { roundTrips: 0 }, async (sql) => {
      if (competitor !== undefined || !sql.some((text) => /^insert into "visits"/i.test(text))) return;
      const other = await api("POST", "/api/visits", { as: reception, body: backlog[2] });
      expect(other.status).toBe(201);
      competitor = other.body.id;
    });
    const answer = await callHandler("POST", "/api/visits/batch", {
      as: reception,
      body: JSON.stringify({ visits: backlog }),
      bindings: { DB },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ created: 4, duplicates: 1 });
    expect((answer.body as { results: unknown[] }).results[2]).toEqual({
      idempotencyKey: key("between", 2),
      id: competitor,
      status: "duplicate",
    });
    expect(await db.select().from(visits).where(eq(visits.centreId, centreId))).toHaveLength(5);
    const log = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.centreId, centreId), eq(auditLog.action, "create_batch")));
    expect(log.map((row) => row.diff)).toEqual([{ after: { received: 5, created: 4 } }]);
  });

  it("answers a retried tap with its first record even after its centre was archived", async () => {
    const { centreId, reception } = await door();
    const body = { centreId, arrivedAt: "2026-11-28T09:00:00Z", idempotencyKey: "tablet-9:000001" };
    const first = await api("POST", "/api/visits", { as: reception, body });
    expect(first.status).toBe(201);
    const admin = await signedIn("admin");
    expect((await api("POST", `/api/centres/${centreId}/archive`, { as: admin })).status).toBe(200);
    const again = await api("POST", "/api/visits", { as: reception, body });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const fresh = await api("POST", "/api/visits", {
      as: reception,
      body: { ...body, idempotencyKey: "tablet-9:000002" },
    });
    expect(fresh.status).toBe(422);
    expect(fieldErrors(fresh.body)).toEqual(["centreId:invalid_value"]);
  });
});
